"""Unreadable inputs fail with one clear, typed reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from litcurate.extractors.errors import (
    CorruptPdfError,
    EmptyFileError,
    ExtractionError,
    NotAPdfError,
)
from litcurate.extractors.reader import read_pdf
from tests.conftest import SAMPLE_PDF


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(EmptyFileError, match="empty file"):
        read_pdf(path)


def test_not_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "notes.pdf"
    path.write_text("these are my notes, not a PDF\n")
    with pytest.raises(NotAPdfError, match="not a PDF"):
        read_pdf(path)


def test_truncated_pdf(tmp_path: Path) -> None:
    path = tmp_path / "truncated.pdf"
    path.write_bytes(SAMPLE_PDF.read_bytes()[:3000])
    with pytest.raises(ExtractionError) as caught:
        read_pdf(path)
    assert isinstance(caught.value, CorruptPdfError)
    assert "\n" not in caught.value.reason
