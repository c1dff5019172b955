"""Doubts about a table's reading: continuations judged, causes found and folded into one issue."""

from __future__ import annotations

import csv
from pathlib import Path

from litcurate.extractors.pdf.document import Page, Word
from litcurate.extractors.pdf.word_segments import words_to_layout_lines
from litcurate.extractors.tables.checks import (
    Finding,
    continuation_doubt,
    grid_findings,
    table_issue,
)
from litcurate.extractors.tables.detection import Caption, TableRegion
from litcurate.pipeline.pages.review_page import _table_section, table_notes
from litcurate.schemas import Cell


def cell(row: int, col: int, text: str) -> Cell:
    return Cell(table_id="p:table-1", row=row, col=col, text=text, page=3,
                x0=col * 100.0, top=row * 10.0, x1=col * 100.0 + 90, bottom=row * 10.0 + 8)


def words(text: str, x: float, top: float, size: float = 8.0) -> list[Word]:
    out: list[Word] = []
    for token in text.split():
        width = 0.5 * size * len(token)
        out.append(Word(token, x, top, x + width, top + size, size))
        x += width + 0.3 * size
    return out


def test_rows_holding_runs_of_values_mean_the_columns_collapsed() -> None:
    cells = [cell(r, 0, f"Study {r}") for r in range(4)]
    cells += [cell(r, 1, "378 237 117 188 73") for r in range(4)]
    assert [f.cause for f in grid_findings(cells)] == ["columns-collapsed"]


def test_rows_opening_mid_sentence_are_unaligned_and_a_clean_grid_has_no_finding() -> None:
    clean = [cell(r, c, text) for r in range(4)
             for c, text in enumerate((f"Trial {r}", "Adults with pain", "Exercise"))]
    assert grid_findings(clean) == []
    cut = clean + [cell(r, c, text) for r in range(4, 8)
                   for c, text in enumerate(("", "years with newly", "weekly sessions"))]
    assert [f.cause for f in grid_findings(cut)] == ["rows-unaligned"]


def test_a_tables_findings_fold_into_one_issue_named_by_the_first_cause() -> None:
    issue = table_issue("p:table-1", "p", "Table 1", [
        Finding("continuation-rejected", 4, "a figure caption comes before it"),
        Finding("columns-collapsed", 3, "3 of 4 rows hold a run of values")])
    assert issue is not None and issue.rule == "columns-collapsed" and issue.page == 3
    assert "continuation-rejected (page 4)" in issue.message
    assert table_issue("p:table-1", "p", "Table 1", []) is None


def region_on(page: Page, top: float, bottom: float) -> TableRegion:
    (line,) = words_to_layout_lines(words("Table 1. Outcomes", 40, 60))
    caption = Caption("Table 1", "Table 1. Outcomes", False, (line,))
    return TableRegion(page.number, caption, 40.0, top, 400.0, bottom, (), (), True)


def test_a_continuation_after_a_figure_caption_is_rejected() -> None:
    rows = [w for r in range(3) for w in words(f"Ho{r} 12 14", 40, 200 + 12 * r)]
    figure = words("Fig. 3. Funnel plot of the included studies", 40, 150, 9)
    page = Page(4, 600.0, 800.0, tuple(figure + rows), body_size=10.0)
    columns = [(40.0, 60.0), (100.0, 120.0)]
    assert continuation_doubt(page, region_on(page, 190, 240), columns) is not None
    plain = Page(4, 600.0, 800.0, tuple(rows), body_size=10.0)
    assert continuation_doubt(plain, region_on(plain, 190, 240), [(38.0, 60.0)]) is None


def test_review_page_lists_a_tables_own_issues_above_its_grid(tmp_path: Path) -> None:
    def write(name: str, rows: list[dict[str, str]]) -> None:
        with (tmp_path / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)

    write("tables", [{"table_id": "p:table-1", "paper_id": "p", "label": "Table 1"}])
    write("issues", [{"record_id": "p:table-1", "paper_id": "p", "rule": "columns-collapsed",
                      "message": "Table 1: columns-collapsed (page 3): runs of values"},
                     {"record_id": "p:outcome-1", "paper_id": "p", "rule": "other",
                      "message": "a cell's issue"}])
    notes = table_notes(tmp_path, "p")
    assert notes == {"p:table-1": ["columns-collapsed: Table 1: columns-collapsed (page 3): "
                                   "runs of values"]}
    table = {"table_id": "p:table-1", "label": "Table 1", "pages": "3", "page": "3",
             "caption": "Outcomes", "x0": "40", "top": "100", "x1": "400", "bottom": "300"}
    html = _table_section(table, [], {}, None, notes["p:table-1"])
    assert "class='issues table-issues'" in html and "columns-collapsed" in html
