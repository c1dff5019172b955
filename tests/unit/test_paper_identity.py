"""A paper's title: the metadata's when it is one, else the first page's largest type."""

from __future__ import annotations

from pathlib import Path

import pytest

from litcurate.extractors.pdf.document import Document, Page, Word
from litcurate.extractors.pdf.paper_identity import find_title


def _word(text: str, x0: float, top: float, size: float) -> Word:
    return Word(text, x0, top, x0 + 6 * len(text), top + size, size)


def _line(text: str, top: float, size: float) -> list[Word]:
    words, x0 = [], 50.0
    for token in text.split():
        words.append(_word(token, x0, top, size))
        x0 += 6 * len(token) + 4
    return words


def _document(lines: list[tuple[str, float, float]], title: str = "") -> Document:
    words = tuple(w for text, top, size in lines for w in _line(text, top, size))
    return Document((Page(1, 612, 792, words),), {"Title": title} if title else {})


FIRST_PAGE = [("Research Article", 136, 18), ("Sleep Duration and Periodontitis", 160, 18),
              ("in a National Sample", 180, 18), ("A. Author and B. Author", 220, 11),
              ("Abstract. We studied sleep.", 260, 9)]


@pytest.mark.parametrize("metadata", ["8095138.dvi", "OPENMED-D-16-00049.indd", "draft.docx",
                                      "Microsoft Word - review", "untitled", "12345", ""])
def test_placeholder_metadata_titles_give_way_to_the_first_page(metadata: str) -> None:
    title = find_title(_document(FIRST_PAGE, metadata))
    assert title == "Sleep Duration and Periodontitis in a National Sample"


def test_a_real_metadata_title_is_kept() -> None:
    title = "Effect of gargling with tea: a meta-analysis"
    assert find_title(_document(FIRST_PAGE, title)) == title


def test_only_a_label_line_is_left_out() -> None:
    """A title that merely starts with a label word keeps it; a label alone is kept too."""
    kept = [("Review of Migraine Prevalence", 136, 18), ("in Iran", 160, 18)]
    assert find_title(_document(kept)) == "Review of Migraine Prevalence in Iran"
    assert find_title(_document([("Case Report", 136, 18)])) == "Case Report"


def test_a_case_report_with_a_file_name_for_title() -> None:
    """The PDF's metadata title is its typesetter's file name; the stages say what they
    found in words ("1 table")."""
    from litcurate.extractors.stage_chain import PaperSource, extract_paper

    pdf = Path(__file__).parents[1] / "fixtures" / "corpus" / "casrepinfect2016_tularemia_case.pdf"
    stages: list[tuple[str, str]] = []
    extraction = extract_paper(PaperSource(path=pdf, sha256="0" * 64),
                               on_stage=lambda stage, detail: stages.append((stage, detail)))
    assert extraction.paper.title == "First Pediatric Case of Tularemia after a Coyote Bite"
    assert ("outcomes", "1 table") in stages
