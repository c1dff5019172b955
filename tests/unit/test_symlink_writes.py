"""Nothing litcurate writes goes through a link: a pull, sources.yaml and a corrections
file replace a link planted in their place, and the link's target is never touched."""

from __future__ import annotations

from pathlib import Path

from litcurate.pipeline.corrections import save_corrections
from litcurate.pipeline.sources.manifest import SourceEntry, SourcesManifest, save_manifest
from litcurate.pipeline.sources.pull import pull_source
from tests.conftest import SAMPLE_PDF

PRECIOUS = b"%PDF-1.4 someone else's file\n"


def planted(tmp_path: Path, link: Path) -> Path:
    """A file outside the folder, and a link to it where litcurate will write."""
    outside = tmp_path / "outside" / f"precious-{link.name}"
    outside.parent.mkdir(exist_ok=True)
    outside.write_bytes(PRECIOUS)
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(outside)
    return outside


def test_a_pull_replaces_a_link_and_leaves_its_target(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    outside = planted(tmp_path, raw / "p.pdf")
    pull_source(SourceEntry(file="p.pdf", url=SAMPLE_PDF.as_uri()), raw, allow_schemes=("file",))
    assert outside.read_bytes() == PRECIOUS
    assert not (raw / "p.pdf").is_symlink()
    assert (raw / "p.pdf").read_bytes() == SAMPLE_PDF.read_bytes()


def test_sources_yaml_and_corrections_replace_a_link(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    manifest_target = planted(tmp_path, raw / "sources.yaml")
    manifest_target.write_text("papers: []\n", encoding="utf-8")
    save_manifest(raw, SourcesManifest(papers=[SourceEntry(file="a.pdf")]))
    assert manifest_target.read_text(encoding="utf-8") == "papers: []\n"
    assert not (raw / "sources.yaml").is_symlink()
    corrections = tmp_path / "curated" / "corrections" / "p.yaml"
    corrections_target = planted(tmp_path, corrections)
    save_corrections(corrections, [])
    assert corrections_target.read_bytes() == PRECIOUS and not corrections.is_symlink()
