"""Recover a table's grid from the words and rules inside its region.

Chain of small steps, each testable alone:
``region_words -> split_header_body -> segments_to_columns -> build_header ->
segments_to_rows -> cells``. Columns come from the body's phrase segments
(whitespace gaps), rows from the vertical rhythm of lines (a row gap is wider than
the leading inside a multi-line cell), so stacked values ("78" over "75") stay in
one cell; a fully ruled grid takes its rows from its rules.
"""

from __future__ import annotations

from collections.abc import Sequence

from litcurate.extractors.geometry import bounds, overlap, vertical_overlap
from litcurate.extractors.pdf.document import Page, Word
from litcurate.extractors.pdf.word_segments import Line, Segment, words_to_layout_lines
from litcurate.extractors.tables.cells import (
    Grid,
    GridCell,
    column_of,
    segments_to_columns,
    segments_to_text,
)
from litcurate.extractors.tables.detection import CONTINUED_PATTERN, TableRegion
from litcurate.extractors.tables.header import build_header, split_header_body
from litcurate.extractors.tables.rows import (
    rows_between_rules,
    rows_within_rules,
    segments_to_rows,
)
from litcurate.extractors.tables.settings import DEFAULT_SETTINGS, TableSettings


def region_words(page: Page, region: TableRegion) -> list[Word]:
    """Words strictly inside the region, without the caption."""
    caption_words = {id(w) for line in region.caption.lines for w in line.words}
    return [
        w for w in page.words
        if region.x0 - 1 <= w.x0 and w.x1 <= region.x1 + 1
        and region.top - 0.5 < w.top and w.bottom <= region.bottom + 0.5
        and id(w) not in caption_words
    ]


def _ruled_rows(page: Page, region: TableRegion, body_lines: Sequence[Line],
                by_col: dict[int, list[Segment]], settings: TableSettings = DEFAULT_SETTINGS
                ) -> list[dict[int, list[Segment]]] | None:
    """Rows of a ruled grid, or None: a grid with vertical rules and rules between its
    rows, or one ruled between every row without verticals (``rows_one_per_band``)."""
    if not body_lines:
        return None
    snap = settings.snap_tolerance
    verticals = [r for r in page.rules if r.is_vertical
                 and region.x0 - snap <= r.x0 <= region.x1 + snap
                 and vertical_overlap(r, region) > 0]
    body_top = min(ln.top for ln in body_lines)
    body_bottom = max(ln.bottom for ln in body_lines)
    width = region.x1 - region.x0
    cuts: list[float] = []
    for rule in sorted(region.rules, key=lambda r: r.top):
        wide = rule.x1 - rule.x0 >= settings.cut_rule_share * width
        if body_top < rule.top < body_bottom and wide and (
                not cuts or rule.top - cuts[-1] > 1.0):
            cuts.append(rule.top)
    if not cuts:
        return None
    edges = [body_top - 1.0, *cuts, body_bottom + 1.0]
    bands = rows_between_rules(by_col, edges)
    if len(verticals) >= 2 or (len(cuts) >= 2 and rows_one_per_band(bands)):
        return bands
    if len(cuts) >= 2:
        return rows_within_rules(by_col, edges, settings)
    return None


def rows_one_per_band(bands: Sequence[dict[int, list[Segment]]]) -> bool:
    """Is every band between a table's rules one row: apart from the first column, whose
    label may wrap, no column holds more than one printed line in any band?

    Rules between every row make the rows certain where the rhythm misleads: a label
    wrapping at the leading beside values centred on it. A band with two lines of
    values holds several rows (rules under groups of rows), and the rhythm decides.
    """
    for band in bands:
        first = min(band)
        for col, segments in band.items():
            if col != first and len(_printed_lines(segments)) > 1:
                return False
    return True


def _printed_lines(segments: Sequence[Segment]) -> list[tuple[float, float]]:
    """The distinct lines (vertical extents) a column's segments sit on."""
    lines: list[tuple[float, float]] = []
    for segment in sorted(segments, key=lambda s: s.top):
        if lines and overlap(*lines[-1], segment.top, segment.bottom) > 0:
            continue
        lines.append((segment.top, segment.bottom))
    return lines



def region_to_grid(page: Page, region: TableRegion, *, has_header: bool = True,
                   columns: Sequence[tuple[float, float]] | None = None,
                   settings: TableSettings = DEFAULT_SETTINGS) -> Grid | None:
    """Given a page and a table region on it, return the table's grid (None if empty).

    A continued part may be read with the columns of the table's first part and
    without a header, when the header was not repeated on its page.
    """
    words = region_words(page, region)
    if not words:
        return None
    # "Continued on next page" and "(continued)" notes are page furniture, not rows.
    lines = [ln for ln in words_to_layout_lines(words)
             if not CONTINUED_PATTERN.fullmatch(ln.text.strip(" ()."))]
    if not lines:
        return None
    if has_header:
        header_lines, body_lines = split_header_body(lines, region.rules, region, settings)
    else:
        header_lines, body_lines = [], list(lines)
    body_segments = [s for line in body_lines for s in line.segments]
    if columns is None:
        columns = segments_to_columns(body_segments, region.x1 - region.x0, settings)
    if not columns:
        return None
    width = region.x1 - region.x0
    short_rules = [r for r in region.rules if r.x1 - r.x0 < settings.full_width_share * width]
    header = build_header(header_lines, columns, short_rules, region, settings)
    by_col: dict[int, list[Segment]] = {}
    for line in body_lines:
        for segment in line.segments:
            by_col.setdefault(column_of(segment, columns), []).append(segment)
    rows = (_ruled_rows(page, region, body_lines, by_col, settings)
            or segments_to_rows(by_col, settings))
    cells = [*header.cells, *_body_cells(rows, columns, header.n_rows, settings)]
    return Grid(
        n_rows=header.n_rows + len(rows),
        n_cols=len(columns),
        n_header_rows=header.n_rows,
        header_paths=tuple(header.paths),
        cells=tuple(sorted(cells, key=lambda c: (c.row, c.col))),
        columns=tuple(columns),
    )


def _body_cells(rows: Sequence[dict[int, list[Segment]]], columns: Sequence[tuple[float, float]],
                first_row: int, settings: TableSettings = DEFAULT_SETTINGS) -> list[GridCell]:
    """One cell per row and column, numbered from ``first_row``; an empty cell gets the
    column's width and the row's height."""
    cells: list[GridCell] = []
    for offset, row_cells in enumerate(rows):
        row = first_row + offset
        row_segments = [s for segments in row_cells.values() for s in segments]
        row_top = min(s.top for s in row_segments)
        row_bottom = max(s.bottom for s in row_segments)
        for col, (x0, x1) in enumerate(columns):
            segments = row_cells.get(col, [])
            if segments:
                text, marks = segments_to_text(segments, settings)
                cells.append(GridCell(row, col, text, marks, False, *bounds(segments)))
            else:
                cells.append(GridCell(row, col, "", (), False, x0, row_top, x1, row_bottom))
    return cells
