"""Line grouping: marks join the line they sit on, pages are grouped once and closed."""

from __future__ import annotations

from pathlib import Path

import pdfplumber

from litcurate.extractors.pdf.document import Page, Word
from litcurate.extractors.pdf.reader import pdf_to_pages, read_pdf
from litcurate.extractors.pdf.word_segments import (
    page_to_layout_lines,
    with_layout_lines,
    words_to_layout_lines,
    words_to_lines,
)
from tests.hostile_pdfs import build_many_pages, build_text_pdf


def word(text: str, x0: float, top: float, size: float = 10.0) -> Word:
    return Word(text, x0, top, x0 + 0.5 * size * len(text), top + size, size)


def test_mark_joins_the_line_it_touches_and_later_marks_see_the_grown_line() -> None:
    value = word("12.5", 100, 100)
    first = word("a", 120.5, 106, size=6)  # lowered, touching "12.5"
    second = word("b", 124, 110.5, size=6)  # below the band of "12.5", inside the first mark's
    below = word("next", 100, 130)
    lines = words_to_lines([below, value, second, first])
    assert [[w.text for w in line] for line in lines] == [["12.5", "a", "b"], ["next"]]


def test_mark_beside_no_line_is_a_line_of_its_own() -> None:
    lines = words_to_lines([word("Outcome", 50, 100), word("*", 300, 300, size=6)])
    assert [[w.text for w in line] for line in lines] == [["Outcome"], ["*"]]


def test_hand_made_page_is_grouped_when_asked() -> None:
    words = (word("Table", 50, 100), word("1.", 80, 100), word("Results", 50, 120))
    page = Page(1, 600.0, 800.0, words)
    assert page.lines is None
    assert page_to_layout_lines(page) == tuple(words_to_layout_lines(words))


def test_grouped_page_and_its_views_reuse_their_lines() -> None:
    view = Page(1, 800.0, 600.0, (word("Rotated", 50, 50),), rotation=90)
    page = with_layout_lines(Page(1, 600.0, 800.0, (word("Upright", 50, 50),), views=(view,)))
    assert page.lines is not None and page_to_layout_lines(page) is page.lines
    assert [line.text for line in page_to_layout_lines(page.views[0])] == ["Rotated"]


def test_read_pages_carry_their_lines(tmp_path: Path) -> None:
    document = read_pdf(build_text_pdf(tmp_path / "paper.pdf"))
    for page in document.pages:
        assert page.lines == tuple(words_to_layout_lines(page.words))


def test_each_page_is_closed_once_read(tmp_path: Path) -> None:
    """pdfplumber's parsed layout of a page is dropped once the page is read (memory)."""
    path = build_many_pages(tmp_path / "long.pdf", pages=5)
    with pdfplumber.open(path) as pdf:
        pages = pdf_to_pages(pdf)
        assert len(pages) == 5
        assert not any(hasattr(page, "_layout") or hasattr(page, "_objects")
                       for page in pdf.pages)
