"""The extraction cache key moves with everything an extraction depends on."""

from __future__ import annotations

from pathlib import Path

from litcurate.extractors.stage_chain import PaperExtraction
from litcurate.pipeline.execution.extraction_cache import (
    corrections_digest,
    extraction_key,
    load_cached,
    store,
)
from litcurate.pipeline.sources.manifest import SourceEntry
from litcurate.schemas import Paper

SHA = "b" * 64


def test_key_changes_with_bytes_entry_and_corrections(tmp_path: Path) -> None:
    entry = SourceEntry(file="a.pdf", licence="CC-BY-4.0")
    base = extraction_key(SHA, "a.pdf", entry, corrections_digest(tmp_path))
    assert base == extraction_key(SHA, "a.pdf", entry, corrections_digest(tmp_path))
    assert base != extraction_key("c" * 64, "a.pdf", entry, corrections_digest(tmp_path))
    assert base != extraction_key(SHA, "copy.pdf", entry, corrections_digest(tmp_path))
    assert base != extraction_key(SHA, "a.pdf", entry.model_copy(update={"licence": "CC0"}),
                                  corrections_digest(tmp_path))
    (tmp_path / "corrections").mkdir()
    (tmp_path / "corrections" / "p.yaml").write_text("[]\n", encoding="utf-8")
    assert base != extraction_key(SHA, "a.pdf", entry, corrections_digest(tmp_path))


def test_entries_round_trip_and_damage_is_ignored(tmp_path: Path) -> None:
    paper = Paper(paper_id="p", file_name="a.pdf", sha256=SHA, pages=1, extractor_version="t")
    store(tmp_path, "k", PaperExtraction(paper=paper))
    cached = load_cached(tmp_path, "k")
    assert cached is not None and cached.paper == paper
    (tmp_path / "k.pickle").write_bytes(b"not a pickle")
    assert load_cached(tmp_path, "k") is None
    assert load_cached(tmp_path, "missing") is None
