"""The sources manifest is valid and vouches for the files actually in data/raw/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import Result

from litcurate.pipeline.sources.manifest import (
    ManifestError,
    discover_pdfs,
    load_manifest,
    save_manifest,
)
from litcurate.schemas.loader import file_sha256
from tests.conftest import RAW, ROOT


def test_every_sample_pdf_is_listed_with_its_current_hash() -> None:
    manifest = load_manifest(RAW)
    for pdf in discover_pdfs(RAW):
        entry = manifest.entry_for(pdf.name)
        assert entry is not None, f"{pdf.name} missing from sources.yaml"
        assert entry.sha256 == file_sha256(pdf), f"{pdf.name}: update its sha256"
        assert entry.licence and entry.citation


def test_missing_manifest_is_empty(tmp_path: Path) -> None:
    assert load_manifest(tmp_path).papers == []


def test_invalid_manifest_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "sources.yaml").write_text("papers:\n  - file: a.pdf\n    colour: red\n")
    with pytest.raises(ManifestError, match=r"sources\.yaml"):
        load_manifest(tmp_path)


PDF = ROOT / "tests" / "fixtures" / "tables" / "chromium" / "borderless.pdf"


def add(raw: Path, *arguments: str) -> Result:
    from typer.testing import CliRunner

    from litcurate.pipeline.cli.app import app

    return CliRunner().invoke(app, ["add", *arguments, "--raw", str(raw)])


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    """A raw folder holding the project's own sources.yaml, as a curator wrote it."""
    folder = tmp_path / "raw"
    folder.mkdir()
    shutil.copy(RAW / "sources.yaml", folder / "sources.yaml")
    return folder


def test_add_keeps_the_manifest_as_written_and_appends(raw: Path) -> None:
    before = (raw / "sources.yaml").read_text(encoding="utf-8")
    added = add(raw, str(PDF), "--citation", "Doe J. A table: tested. 2024.",
                "--licence", "cc-by-4.0")
    assert added.exit_code == 0, added.output
    after = (raw / "sources.yaml").read_text(encoding="utf-8")
    assert after.startswith(before)  # comments, quotes and long lines of others untouched
    entry = load_manifest(raw).entry_for("borderless.pdf")
    assert entry is not None and entry.licence == "CC-BY-4.0"  # the SPDX spelling
    assert entry.citation == "Doe J. A table: tested. 2024." and len(entry.sha256) == 64


def test_a_pull_records_its_date_in_place(raw: Path) -> None:
    before = (raw / "sources.yaml").read_text(encoding="utf-8").splitlines()
    manifest = load_manifest(raw)
    first = manifest.papers[0].model_copy(update={"pulled": "2026-12-01"})
    save_manifest(raw, manifest.model_copy(update={"papers": [first, *manifest.papers[1:]]}))
    after = (raw / "sources.yaml").read_text(encoding="utf-8").splitlines()
    (line,) = [line for line in after if line not in before]
    assert line.strip() in {"pulled: '2026-12-01'", 'pulled: "2026-12-01"', "pulled: 2026-12-01"}
    assert [line for line in after if line in before] == before


def test_add_refuses_a_file_that_is_not_a_pdf(raw: Path, tmp_path: Path) -> None:
    fake = tmp_path / "page.pdf"
    fake.write_text("<html>a journal's landing page</html>", encoding="utf-8")
    before = (raw / "sources.yaml").read_text(encoding="utf-8")
    refused = add(raw, str(fake))
    assert refused.exit_code == 2 and "page.pdf: not a PDF (no %PDF- header)" in refused.output
    assert (raw / "sources.yaml").read_text(encoding="utf-8") == before
    assert not (raw / "page.pdf").exists()


@pytest.mark.parametrize(("licence", "said"), [
    ("CC BY-NC", "'CC BY-NC' is not an SPDX id; did you mean CC-BY-NC-4.0?"),
    ("open access", "'open access' is not an SPDX id (e.g. CC-BY-4.0"),
])
def test_add_refuses_a_licence_that_is_not_an_spdx_id(raw: Path, licence: str,
                                                      said: str) -> None:
    refused = add(raw, str(PDF), "--licence", licence)
    assert refused.exit_code == 2 and said in " ".join(refused.output.split())
    assert load_manifest(raw).entry_for("borderless.pdf") is None


def test_add_warns_when_the_same_bytes_are_already_listed(raw: Path) -> None:
    assert add(raw, str(PDF)).exit_code == 0
    twin = add(raw, str(PDF), "--name", "borderless-copy.pdf")
    assert twin.exit_code == 0, twin.output
    assert "borderless-copy.pdf has the same bytes as borderless.pdf" in " ".join(
        twin.output.split())
