"""The reader's lean page objects equal pdfplumber's own on real pages (keys it keeps)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from litcurate.extractors.pdf.page_objects import page_objects
from tests.conftest import BMC_PDF, ROOT, SAMPLE_PDF

CORPUS = ROOT / "tests" / "fixtures" / "corpus"
PAPERS = [SAMPLE_PDF, BMC_PDF, *sorted(CORPUS.glob("*.pdf"))]  # the rotated one among them


def comparable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list | tuple) else value


@pytest.mark.parametrize("pdf_path", PAPERS, ids=lambda p: p.stem)
def test_lean_objects_are_pdfplumbers_for_every_key_they_keep(pdf_path: Path) -> None:
    """Lean objects (the reader's own interpreter and char device) against pdfplumber's
    full objects (pdfminer's tokenizer and layout)."""
    counts = dict.fromkeys(("char", "line", "rect"), 0)
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            lean = page_objects(page)
            full = page.objects
            for kind, objects in lean.items():
                theirs = full.get(kind, [])
                assert len(objects) == len(theirs), (page.page_number, kind)
                for ours, their in zip(objects, theirs, strict=True):
                    assert {k: comparable(v) for k, v in ours.items()} == \
                        {k: comparable(their[k]) for k in ours}
                counts[kind] += len(objects)
            page.close()
    assert counts["char"] > 10_000 and counts["line"] + counts["rect"] > 0


def test_words_from_lean_objects_are_pdfplumbers(tmp_path: Path) -> None:
    settings: dict[str, Any] = {"x_tolerance_ratio": 0.15, "y_tolerance": 2.0,
                                "extra_attrs": ["size", "fontname", "upright"]}
    with pdfplumber.open(BMC_PDF) as pdf, pdfplumber.open(BMC_PDF) as lean_pdf:
        for page, lean_page in zip(pdf.pages, lean_pdf.pages, strict=True):
            lean_page._objects = page_objects(lean_page)
            assert lean_page.extract_words(**settings) == page.extract_words(**settings)
