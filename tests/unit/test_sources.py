"""The sources manifest is valid and vouches for the files actually in data/raw/."""

from __future__ import annotations

from pathlib import Path

import pytest

from litcurate.pipeline.sources.manifest import ManifestError, discover_pdfs, load_manifest
from litcurate.schemas.loader import file_sha256
from tests.conftest import RAW


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
