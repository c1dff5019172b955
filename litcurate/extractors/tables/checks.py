"""Does a table's reading look right? Continuations judged, and table-level causes found.

A continued part is accepted only when it looks like the same table: its phrases sit
in the first part's columns, it is not prose, and no figure caption comes between.
After a table is read, its grid is checked for the failures that leave no other trace:
a region that ran into prose, columns collapsed into one string of values, rows cut
from wrapped cells. Each cause found is one finding; ``table_issue`` folds a table's
findings into one issue, not one per row.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from litcurate.extractors.geometry import overlap
from litcurate.extractors.pdf.document import Page
from litcurate.extractors.pdf.word_segments import Line, page_to_layout_lines
from litcurate.extractors.tables.detection import CONTINUED_PATTERN, TableRegion
from litcurate.extractors.tables.settings import DEFAULT_SETTINGS, TableSettings
from litcurate.schemas import Cell, Issue
from litcurate.schemas.issue_catalogue import make_issue

FIGURE_CAPTION = re.compile(r"^(?:Fig\.?|Figure|FIGURE|FIG\.?)\s*S?\d+[A-Za-z]?\b")
NUMBER = re.compile(r"^[-+\u2212]?\(?\d+(?:[.,\u00b7]\d+)?%?\)?[,;]?$")
# The causes, in the order a folded issue names them: the first is its rule.
CAUSES = ("region-overlaps-prose", "columns-collapsed", "rows-unaligned", "continuation-rejected")


@dataclass(frozen=True)
class Finding:
    """One cause of a doubtful table reading and what showed it."""

    cause: str
    page: int
    detail: str


def region_lines(page: Page, region: TableRegion) -> list[Line]:
    """The page's lines inside the region, cut to its x-range, caption and "continued"
    notes left out. Reuses the lines the reader grouped once per page."""
    caption = {id(w) for line in region.caption.lines for w in line.words}
    caption_bottom = max((line.bottom for line in region.caption.lines), default=0.0)
    lines: list[Line] = []
    for line in page_to_layout_lines(page):
        if line.top <= region.top - 0.5 or line.bottom > region.bottom + 0.5:
            continue
        inside = tuple(s for s in line.segments if region.x0 - 1 <= s.x0 and s.x1 <= region.x1 + 1)
        if line.top < caption_bottom:
            inside = tuple(s for s in inside if not any(id(w) in caption for w in s.words))
        if not inside or (len(inside) <= 2 and CONTINUED_PATTERN.fullmatch(
                Line(inside).text.strip(" ()."))):
            continue
        lines.append(Line(inside))
    return lines


def _is_prose_line(line: Line, width: float, body_size: float,
                   settings: TableSettings = DEFAULT_SETTINGS) -> bool:
    """A line of body type running as one phrase over most of the region's width."""
    return (len(line.segments) == 1
            and line.size >= body_size - settings.body_size_tolerance
            and line.x1 - line.x0 >= settings.prose_width_share * width)


def _column_runs(line: Line, starts: Sequence[float]) -> dict[int, tuple[float, float, float]]:
    """A line's text per column: (x0, x1, smallest size) of the phrases in each column,
    a phrase placed by its middle among the columns' left edges ``starts``. Justified
    prose stretches its word spaces, so one column's run may be several phrases."""
    runs: dict[int, tuple[float, float, float]] = {}
    for phrase in line.segments:
        words = phrase.words
        left, right = min(w.x0 for w in words), max(w.x1 for w in words)
        size = max(w.size for w in words)
        col = max(bisect_right(starts, (left + right) / 2) - 1, 0)
        x0, x1, smallest = runs.get(col, (left, right, size))
        runs[col] = (min(x0, left), max(x1, right), min(smallest, size))
    return runs


def _justified(lines: Sequence[Line], columns: Sequence[tuple[float, float]], body_size: float,
               settings: TableSettings = DEFAULT_SETTINGS) -> tuple[list[Line], float]:
    """Lines holding body type set flush with both edges of its column (justified
    prose), and the share of all column runs so set. Text cells are set ragged, and
    runs narrower than a measure of prose (a column of equal-width numbers) do not count."""
    starts = sorted(c[0] for c in columns)
    runs = [_column_runs(line, starts) for line in lines]
    extents: dict[int, tuple[float, float]] = {}
    for by_col in runs:
        for col, (x0, x1, _) in by_col.items():
            left, right = extents.get(col, (x0, x1))
            extents[col] = (min(left, x0), max(right, x1))
    slack = settings.flush_slack

    def flush(col: int, run: tuple[float, float, float]) -> bool:
        return (run[2] >= body_size - settings.body_size_tolerance
                and run[1] - run[0] >= settings.prose_run_em * run[2]
                and abs(run[0] - extents[col][0]) <= slack
                and abs(run[1] - extents[col][1]) <= slack)

    flush_lines = [line for line, by_col in zip(lines, runs, strict=True)
                   if any(flush(col, run) for col, run in by_col.items())]
    total = sum(len(by_col) for by_col in runs)
    share = sum(flush(c, r) for by_col in runs for c, r in by_col.items()) / total if total else 0.0
    return flush_lines, share


def prose_lines(page: Page, region: TableRegion, columns: Sequence[tuple[float, float]] = (),
                settings: TableSettings = DEFAULT_SETTINGS) -> list[Line]:
    """The region's lines that read as body prose, not as table rows: long single
    phrases over the region, or, when most lines are so, lines justified in columns."""
    lines = region_lines(page, region)
    width = region.x1 - region.x0
    wide = [ln for ln in lines if _is_prose_line(ln, width, page.body_size, settings)]
    justified, share = _justified(lines, columns, page.body_size, settings) if columns else ([], 0)
    if share < settings.justified_line_share:
        justified = []
    return sorted({id(ln): ln for ln in [*wide, *justified]}.values(), key=lambda ln: ln.top)


def _figure_caption_between(page: Page, region: TableRegion) -> bool:
    """A figure caption above the continued part on its page, inside it or in its legend."""
    bottom = max([region.bottom] + [ln.bottom for ln in region.legend])
    return any(FIGURE_CAPTION.match(ln.text) for ln in page_to_layout_lines(page)
               if ln.top < bottom and ln.x1 > region.x0 and ln.x0 < region.x1)


def _off_columns_share(lines: Sequence[Line], columns: Sequence[tuple[float, float]],
                       settings: TableSettings = DEFAULT_SETTINGS) -> float:
    """Share of phrases that fall outside the first part's columns or run across two."""
    slack = settings.snap_tolerance
    phrases = [s for ln in lines for s in ln.segments]
    if not phrases or not columns:
        return 0.0
    off = 0
    for phrase in phrases:
        x0, x1 = phrase.x0, phrase.x1
        touched = sum(1 for c in columns if overlap(x0, x1, c[0] - slack, c[1] + slack)
                      > settings.column_touch_share * (x1 - x0))
        if touched != 1:
            off += 1
    return off / len(phrases)


def continuation_doubt(page: Page, region: TableRegion, columns: Sequence[tuple[float, float]],
                       settings: TableSettings = DEFAULT_SETTINGS) -> str | None:
    """Why the caption-less rest found on ``page`` is not the open table's, or None.

    A "continued" note is taken at its word, unless a figure caption comes between;
    otherwise the part must keep to the table's columns and must not read as prose.
    """
    if _figure_caption_between(page, region):
        return "a figure caption comes before it"
    lines = region_lines(page, region)
    marked = any(CONTINUED_PATTERN.search(ln.text) for ln in page_to_layout_lines(page)
                 if ln.top < region.top + 1)
    if marked:
        return None
    # Justified columns are not judged here: a long table set in body type fills its
    # columns as evenly as prose does.
    width = region.x1 - region.x0
    prose = [ln for ln in lines if _is_prose_line(ln, width, page.body_size, settings)]
    if len(prose) >= 2 and len(prose) >= settings.prose_line_share * len(lines):
        return "it reads as prose"
    share = _off_columns_share(lines, columns, settings)
    if share > settings.off_column_share:
        return f"{share:.0%} of its phrases are off the table's columns"
    return None


def _numbers_run(text: str) -> int:
    """The longest run of bare numbers on any line of a cell's text."""
    best = 0
    for line in text.splitlines():
        run = 0
        for token in line.split():
            run = run + 1 if NUMBER.match(token) else 0
            best = max(best, run)
    return best


def grid_findings(cells: Sequence[Cell], settings: TableSettings = DEFAULT_SETTINGS
                  ) -> list[Finding]:
    """Causes read from a table's body grid: collapsed columns and unaligned rows."""
    rows: dict[int, dict[int, Cell]] = {}
    for cell in cells:
        if not cell.is_header:
            rows.setdefault(cell.row, {})[cell.col] = cell
    if len(rows) < settings.check_min_rows:
        return []
    findings: list[Finding] = []
    page = min(c.page for c in cells)
    collapsed = [r for r, row in rows.items()
                 if any(_numbers_run(c.text) >= settings.collapsed_numbers for c in row.values())]
    if len(collapsed) >= settings.collapsed_row_share * len(rows):
        findings.append(Finding("columns-collapsed", page,
                                f"{len(collapsed)} of {len(rows)} rows hold a run of "
                                f"{settings.collapsed_numbers} or more values in one cell"))
    unaligned = [r for r, row in rows.items() if _continues_above(row)]
    if len(unaligned) >= settings.unaligned_row_share * len(rows):
        findings.append(Finding("rows-unaligned", page,
                                f"{len(unaligned)} of {len(rows)} rows read as the rest of "
                                "the row above"))
    return findings


def _continues_above(row: dict[int, Cell]) -> bool:
    """A row that reads as the rest of a wrapped row: its text cells open in lower case,
    mid-sentence. (An empty first cell alone says nothing: sub-rows under a label
    leave it empty too.)"""
    texts = [c.text for c in row.values() if c.text]
    worded = [t for t in texts if t[:1].isalpha()]
    return len(worded) >= 2 and sum(t[:1].islower() for t in worded) * 2 > len(worded)


def table_issue(table_id: str, paper_id: str, label: str, findings: Sequence[Finding]
                ) -> Issue | None:
    """One issue for a table's findings: the rule is the first cause, the message all."""
    if not findings:
        return None
    ordered = sorted(findings, key=lambda f: CAUSES.index(f.cause))
    causes = "; ".join(f"{f.cause} (page {f.page}): {f.detail}" for f in ordered)
    return make_issue(ordered[0].cause, record_id=table_id, paper_id=paper_id,
                      page=ordered[0].page, label=label, causes=causes)
