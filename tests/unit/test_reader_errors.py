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
from litcurate.extractors.pdf.reader import read_pdf
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
    # pdfminer's own words, not the name of the class pdfplumber wraps them in
    assert caught.value.reason.startswith("corrupt PDF (")
    assert "Exception" not in caught.value.reason


def test_page_without_area_is_reported_not_crashed(tmp_path: Path) -> None:
    from tests.hostile_pdfs import build_text_pdf

    path = build_text_pdf(tmp_path / "flat.pdf")
    flat = path.read_bytes().replace(b"/MediaBox [ 0 0 612 792 ]", b"/MediaBox [ 0 0 612 -0  ]")
    path.write_bytes(flat)  # same length: the xref offsets still hold
    with pytest.raises(CorruptPdfError, match=r"page 1 has no area: 612 x 0 pt"):
        read_pdf(path)


def test_reasons_are_one_printable_line() -> None:
    from litcurate.extractors.errors import one_line

    error = CorruptPdfError("corrupt PDF (Non-Ascii85 digit found: \x93\nat 12)")
    assert error.reason == "corrupt PDF (Non-Ascii85 digit found: \\x93 at 12)"
    assert len(one_line("x" * 1000)) == 300
    assert one_line("résumé") == "résumé"
