"""Recover a table's grid from the words and rules inside its region.

Chain of small steps, each testable alone:
``region_words -> split_header_body -> segments_to_columns -> lines_to_rows ->
rows_to_cells`` and ``header_segments_to_columns`` for the (multi-level) header.
Columns come from the body's phrase segments (whitespace gaps), rows from the
vertical rhythm of lines (a row gap is wider than the leading inside a
multi-line cell), so stacked values ("78" over "75") stay in one cell.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from litcurate.extractors.geometry import (
    SAME_LINE_OVERLAP,
    Box,
    bounds,
    horizontal_overlap,
    overlap,
    vertical_overlap,
)
from litcurate.extractors.marks import MAIN_SIZE_RATIO, is_mark
from litcurate.extractors.pdf.document import Page, Rule, Word
from litcurate.extractors.pdf.word_segments import (
    Line,
    Segment,
    join_words,
    words_to_layout_lines,
)
from litcurate.extractors.tables.detection import CONTINUED_PATTERN, TableRegion
from litcurate.extractors.tables.rows import core_box, rows_between_rules, segments_to_rows

WIDE_SEGMENT = 0.5  # body segments wider than this share of the table are notes, not columns
ROW_GAP_JUMP = 1.2  # points: minimum jump between intra-cell and inter-row gaps
WRAP_GAP_RATIO = 0.45  # a wrapped cell's line gap is at most this share of a line's height


@dataclass(frozen=True)
class GridCell:
    """A recovered cell before it becomes a ``Cell`` record."""

    row: int
    col: int
    text: str
    marks: tuple[str, ...]
    is_header: bool
    x0: float
    top: float
    x1: float
    bottom: float
    row_span: int = 1
    col_span: int = 1


@dataclass(frozen=True)
class Grid:
    """Rows x columns of cells plus the flattened header path of each column."""

    n_rows: int
    n_cols: int
    n_header_rows: int
    header_paths: tuple[str, ...]
    cells: tuple[GridCell, ...]
    columns: tuple[tuple[float, float], ...] = ()

    @property
    def header_text(self) -> str:
        """All header cells' text in reading order, to recognise a repeated header."""
        return " ".join(c.text for c in sorted(self.cells, key=lambda c: (c.row, c.col))
                        if c.is_header and c.text)

    def body_rows(self) -> list[list[GridCell]]:
        """Body cells by row, each row ordered by column."""
        rows: dict[int, list[GridCell]] = {}
        for cell in self.cells:
            if not cell.is_header:
                rows.setdefault(cell.row, []).append(cell)
        return [sorted(rows[r], key=lambda c: c.col) for r in sorted(rows)]


def region_words(page: Page, region: TableRegion) -> list[Word]:
    """Words strictly inside the region, without the caption."""
    caption_words = {id(w) for line in region.caption.lines for w in line.words}
    return [
        w for w in page.words
        if region.x0 - 1 <= w.x0 and w.x1 <= region.x1 + 1
        and region.top - 0.5 < w.top and w.bottom <= region.bottom + 0.5
        and id(w) not in caption_words
    ]


def split_header_body(lines: Sequence[Line], rules: Sequence[Rule], region: TableRegion
                      ) -> tuple[list[Line], list[Line]]:
    """Where the header ends: at a full-width rule, at the end of bold type, or after
    the first row.

    The rule chosen has text on both sides and a header line of several cells above
    it; a rule under a lone title line ("Newcastle-Ottawa scale") is not the one.
    """
    width = region.x1 - region.x0
    full = sorted((r for r in rules if r.x1 - r.x0 >= 0.85 * width), key=lambda r: r.top)
    candidates: list[tuple[list[Line], list[Line]]] = []
    for rule in full:
        above = [ln for ln in lines if ln.bottom <= rule.top + 1]
        below = [ln for ln in lines if ln.top >= rule.bottom - 1]
        if above and below:
            candidates.append((above, below))
    for above, below in candidates:
        if any(len(ln.segments) >= 2 for ln in above):
            return above, below
    if candidates:
        return candidates[0]
    if not lines:
        return [], []
    ordered = sorted(lines, key=lambda ln: ln.top)
    bold = [all(w.bold for w in ln.words) for ln in ordered]
    if bold[0] and not all(bold):
        cut = bold.index(False)
        return ordered[:cut], ordered[cut:]
    first_row = lines_to_rows(lines)[0]
    return list(first_row), [ln for ln in lines if ln not in first_row]


def segments_to_columns(segments: Sequence[Segment], width: float) -> list[tuple[float, float]]:
    """Column x-intervals: the union of body segment extents, split at whitespace gaps."""
    spans = sorted((s.x0, s.x1) for s in segments if s.x1 - s.x0 <= WIDE_SEGMENT * width)
    columns: list[list[float]] = []
    for x0, x1 in spans:
        if columns and x0 <= columns[-1][1] + 1.0:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    return [(c[0], c[1]) for c in columns]


def column_of(segment: Segment, columns: Sequence[tuple[float, float]]) -> int:
    """The column a segment overlaps most (nearest when it overlaps none)."""
    best, best_score = 0, -1e9
    for index, (x0, x1) in enumerate(columns):
        score = overlap(segment.x0, segment.x1, x0, x1)
        if score <= 0:
            score = -min(abs(segment.x0 - x1), abs(x0 - segment.x1))
        if score > best_score:
            best, best_score = index, score
    return best


def _core_words(line: Line) -> list[Word]:
    """The line's main-size words: a raised footnote mark must not move its top."""
    size = line.size
    return [w for w in line.words if w.size >= MAIN_SIZE_RATIO * size] or list(line.words)


def core_top(line: Line) -> float:
    return min(w.top for w in _core_words(line))


def core_bottom(line: Line) -> float:
    return max(w.bottom for w in _core_words(line))


def lines_to_rows(lines: Sequence[Line]) -> list[list[Line]]:
    """Group lines into rows: split where the gap jumps above the in-cell leading."""
    if not lines:
        return []
    ordered = sorted(lines, key=core_top)
    gaps = [core_top(b) - core_bottom(a) for a, b in itertools.pairwise(ordered)]
    heights = sorted(core_bottom(ln) - core_top(ln) for ln in ordered)
    threshold = _row_gap_threshold(gaps, heights[len(heights) // 2])
    rows: list[list[Line]] = [[ordered[0]]]
    for gap, line in zip(gaps, ordered[1:], strict=False):
        if threshold is None or gap > threshold:
            rows.append([line])
        else:
            rows[-1].append(line)
    return rows


def _row_gap_threshold(gaps: Sequence[float], line_height: float) -> float | None:
    """Midpoint of the biggest jump in sorted positive gaps, if they come in two sizes.

    Lines that overlap vertically (a middle-aligned cell beside a stacked one) are
    always one row, so only positive gaps vote on the threshold; at least 0 is returned.
    """
    ordered = sorted(g for g in gaps if g > 0)
    if len(ordered) == 1 and ordered[0] <= WRAP_GAP_RATIO * line_height:
        return ordered[0]  # a single tight gap: leading inside one wrapped cell
    if len(ordered) < 2:
        return 0.0 if any(g <= 0 for g in gaps) else None
    jumps = [(b - a, i) for i, (a, b) in enumerate(itertools.pairwise(ordered))]
    size, index = max(jumps)
    # The smaller gaps must look like leading inside a wrapped cell, not like row padding.
    if size < ROW_GAP_JUMP or ordered[index] > WRAP_GAP_RATIO * line_height:
        return 0.0 if any(g <= 0 for g in gaps) else None
    return (ordered[index] + ordered[index + 1]) / 2


def _cell_text(segments: Sequence[Segment]) -> tuple[str, tuple[str, ...]]:
    """Text of a cell's segments, one printed line per text line, and its marks."""
    by_line: list[list[Segment]] = []
    for segment in sorted(segments, key=lambda s: (s.top, s.x0)):
        if by_line and vertical_overlap(segment, by_line[-1][0]) > 0.4 * (
                segment.bottom - segment.top):
            by_line[-1].append(segment)
        else:
            by_line.append([segment])
    lines = [join_words([w for s in line for w in s.words]) for line in by_line]
    marks: list[str] = []
    for segment in segments:
        words = segment.words
        for word in words:
            neighbours = [o for o in words if o is not word and o.size > word.size]
            if neighbours and any(is_mark(word, n) for n in neighbours) and word.text not in marks:
                marks.append(word.text)
    return "\n".join(lines), tuple(marks)


def _spanner_rule(segment: Segment, rules: Sequence[Rule]) -> Rule | None:
    """A short rule drawn just under a header: booktabs' mark of a spanning parent."""
    for rule in rules:
        gap = rule.top - segment.bottom
        if -1.0 <= gap <= 1.2 * segment.size and horizontal_overlap(rule, segment) > 0:
            return rule
    return None


Parent = tuple[str, int, int, Box]


def _straddled(segment: Segment, segments: Sequence[Segment],
               columns: Sequence[tuple[float, float]]) -> list[int]:
    """Columns of the header phrases on the nearest line under ``segment`` that it
    overlaps: a title centred over two narrow columns straddles their headers even
    where it misses their values."""
    under = [o for o in segments if o.top > segment.bottom - 0.5 and o is not segment
             and horizontal_overlap(o, segment) > 0]
    if not under:
        return []
    nearest = min(o.top for o in under)
    level = [o for o in under if o.top - nearest < 0.5 * o.size]
    return sorted({column_of(o, columns) for o in level})


def header_segments_to_columns(
    lines: Sequence[Line], columns: Sequence[tuple[float, float]], rules: Sequence[Rule] = (),
) -> tuple[list[Parent], list[list[Segment]]]:
    """Split header segments into spanning parents (text, first col, last col, box) and leaves."""
    leaves: list[list[Segment]] = [[] for _ in columns]
    spanning: list[tuple[Segment, int, int]] = []
    segments = [s for line in lines for s in line.segments]
    undecided: list[Segment] = []
    for segment in segments:
        spanner = _spanner_rule(segment, rules)
        left, right = (spanner.x0, spanner.x1) if spanner else (segment.x0, segment.x1)
        covered = [i for i, (x0, x1) in enumerate(columns)
                   if overlap(left, right, x0, x1) > 0.3 * min(x1 - x0, 8.0)]
        below = any(o.top > segment.bottom - 0.5 and horizontal_overlap(o, segment) > 0
                    for o in segments if o is not segment)
        if len(covered) < 2 and below:
            covered = _straddled(segment, segments, columns) or covered
        if len(covered) >= 2 and below:
            spanning.append((segment, covered[0], covered[-1]))
        else:
            undecided.append(segment)
    # A title wrapped over two lines ("Survival" over "(months)") is one parent: the
    # upper line sits tight above a parent and straddles nothing else.
    for segment in undecided:
        host = next((item for item in spanning
                     if 0 <= item[0].top - segment.bottom <= WRAP_GAP_RATIO * segment.size + 1.0
                     and horizontal_overlap(item[0], segment) > 0), None)
        if host is not None:
            spanning.append((segment, host[1], host[2]))
        else:
            leaves[column_of(segment, columns)].append(segment)
    parents: list[Parent] = []
    for (first, last), group in itertools.groupby(
            sorted(spanning, key=lambda item: (item[1], item[2], item[0].top)),
            key=lambda item: (item[1], item[2])):
        pieces = [item[0] for item in group]
        # Stacked pieces of one span are one title unless a clear gap parts them.
        current: list[Segment] = [pieces[0]]
        for piece in pieces[1:]:
            if piece.top - current[-1].bottom <= WRAP_GAP_RATIO * piece.size + 1.0:
                current.append(piece)
            else:
                parents.append((_join_header_lines(current), first, last, bounds(current)))
                current = [piece]
        parents.append((_join_header_lines(current), first, last, bounds(current)))
    return parents, leaves


def _join_header_lines(segments: Sequence[Segment]) -> str:
    """Header text wrapped over lines, re-joined; a break after a hyphen joins tight."""
    text = ""
    for segment in sorted(segments, key=lambda s: (round(s.top), s.x0)):
        piece = segment.text
        if not text:
            text = piece
        elif text.endswith("-"):
            text += piece
        else:
            text += " " + piece
    return text


def _segment_rows(segments: Sequence[Segment]) -> list[list[Segment]]:
    """Header segments grouped into header rows.

    A header cell wraps with tight leading; a gap wider than that starts a new header
    row ("Study" over "Criterion").
    """
    if not segments:
        return []
    lines: list[list[Segment]] = []
    for segment in sorted(segments, key=lambda s: (s.top, s.x0)):
        for line in lines:
            ref = line[0]
            shared = vertical_overlap(segment, ref)
            smaller = min(segment.bottom - segment.top, ref.bottom - ref.top)
            if shared >= SAME_LINE_OVERLAP * smaller:
                line.append(segment)
                break
        else:
            lines.append([segment])
    lines.sort(key=lambda line: min(core_box(s)[0] for s in line))
    rows: list[list[Segment]] = [lines[0]]
    bottom = max(core_box(s)[1] for s in lines[0])
    for line in lines[1:]:
        top = min(core_box(s)[0] for s in line)
        height = max(core_box(s)[1] - core_box(s)[0] for s in line)
        if top - bottom > WRAP_GAP_RATIO * height:
            rows.append(list(line))
        else:
            rows[-1].extend(line)
        bottom = max(bottom, *(core_box(s)[1] for s in line))
    return rows


def _banner(header_rows: Sequence[Sequence[Segment]]) -> bool:
    """A first header row holding one phrase alone, above rows that fill the columns.

    Journals print a scale's or a tool's name ("Newcastle-Ottawa scale") over the whole
    header this way; it heads every column, not just the one it happens to start in.
    """
    return len(header_rows) >= 2 and len(header_rows[0]) == 1 and any(
        len(row) >= 2 for row in header_rows[1:])


@dataclass(frozen=True)
class Header:
    cells: tuple[GridCell, ...]
    paths: tuple[str, ...]
    n_rows: int


def build_header(header_lines: Sequence[Line], columns: Sequence[tuple[float, float]],
                 rules: Sequence[Rule], region: TableRegion) -> Header:
    """Header cells and each column's flattened path ("Parent / Child / Grandchild")."""
    if not header_lines:
        return Header((), tuple("" for _ in columns), 0)
    parents, leaves = header_segments_to_columns(header_lines, columns, rules)
    leaf_rows = _segment_rows([s for col in leaves for s in col])
    banner: tuple[str, Box] | None = None
    if _banner(leaf_rows) and not any(p[4] < leaf_rows[0][0].top for p in _with_tops(parents)):
        only = leaf_rows.pop(0)[0]
        banner = (only.text, bounds([only]))
        leaves = [[s for s in col if s is not only] for col in leaves]
    # Parent levels top-down: spanning phrases on one line share a level.
    levels: list[float] = []
    for _, _, _, box in sorted(parents, key=lambda p: p[3][1]):
        if not levels or box[1] - levels[-1] > 2.0:
            levels.append(box[1])
    n_parent = len(levels) + (1 if banner else 0)
    n_leaf = max(1, len(leaf_rows))
    cells: list[GridCell] = []
    paths: list[list[str]] = [[] for _ in columns]
    if banner:
        cells.append(GridCell(0, 0, banner[0], (), True, *banner[1], col_span=len(columns)))
        for col_paths in paths:
            col_paths.append(banner[0])
    level_of = {top: index + (1 if banner else 0) for index, top in enumerate(levels)}
    for text, first, last, box in sorted(parents, key=lambda p: (p[3][1], p[1])):
        level = max(v for t, v in level_of.items() if t <= box[1] + 2.0)
        cells.append(GridCell(level, first, text, (), True, *box, col_span=last - first + 1))
        for col in range(first, last + 1):
            paths[col].append(text)
    row_of = {id(s): r for r, row in enumerate(leaf_rows) for s in row}
    for col, segments in enumerate(leaves):
        by_row: dict[int, list[Segment]] = {}
        for segment in segments:
            by_row.setdefault(row_of.get(id(segment), 0), []).append(segment)
        if not by_row:
            box = (columns[col][0], region.top, columns[col][1], region.top)
            cells.append(GridCell(n_parent, col, "", (), True, *box,
                                  row_span=n_leaf))
            continue
        spanned = any(p[1] <= col <= p[2] for p in parents)
        for index, row in enumerate(sorted(by_row)):
            pieces = by_row[row]
            text = _join_header_lines(pieces)
            paths[col].append(text)
            top_row = n_parent + row
            # A leaf with no parent above it reaches up through the parent levels.
            if index == 0 and not spanned and not banner:
                top_row = 0
            span = n_parent + row - top_row + (n_leaf - row if index == len(by_row) - 1 else 1)
            cells.append(GridCell(top_row, col, text, _cell_text(pieces)[1], True,
                                  *bounds(pieces), row_span=max(1, span)))
    header_paths = tuple(" / ".join(p for p in col_paths if p) for col_paths in paths)
    return Header(tuple(cells), header_paths, n_parent + n_leaf)


def _with_tops(parents: Sequence[tuple[str, int, int, Box]]
               ) -> list[tuple[str, int, int, Box, float]]:
    return [(*p, p[3][1]) for p in parents]


def _ruled_rows(page: Page, region: TableRegion, body_lines: Sequence[Line],
                by_col: dict[int, list[Segment]]) -> list[dict[int, list[Segment]]] | None:
    """Rows of a fully ruled grid (vertical rules and rules between rows), or None."""
    if not body_lines:
        return None
    verticals = [r for r in page.rules if r.is_vertical and region.x0 - 2 <= r.x0 <= region.x1 + 2
                 and vertical_overlap(r, region) > 0]
    body_top = min(ln.top for ln in body_lines)
    body_bottom = max(ln.bottom for ln in body_lines)
    width = region.x1 - region.x0
    cuts: list[float] = []
    for rule in sorted(region.rules, key=lambda r: r.top):
        if body_top < rule.top < body_bottom and rule.x1 - rule.x0 >= 0.3 * width and (
                not cuts or rule.top - cuts[-1] > 1.0):
            cuts.append(rule.top)
    if len(verticals) < 2 or not cuts:
        return None
    return rows_between_rules(by_col, [body_top - 1.0, *cuts, body_bottom + 1.0])


def region_to_grid(page: Page, region: TableRegion, *, has_header: bool = True,
                   columns: Sequence[tuple[float, float]] | None = None) -> Grid | None:
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
        header_lines, body_lines = split_header_body(lines, region.rules, region)
    else:
        header_lines, body_lines = [], list(lines)
    body_segments = [s for line in body_lines for s in line.segments]
    if columns is None:
        columns = segments_to_columns(body_segments, region.x1 - region.x0)
    if not columns:
        return None
    width = region.x1 - region.x0
    short_rules = [r for r in region.rules if r.x1 - r.x0 < 0.85 * width]
    header = build_header(header_lines, columns, short_rules, region)
    n_header_rows = header.n_rows
    cells: list[GridCell] = list(header.cells)
    header_paths = list(header.paths)
    by_col: dict[int, list[Segment]] = {}
    for line in body_lines:
        for segment in line.segments:
            by_col.setdefault(column_of(segment, columns), []).append(segment)
    rows = _ruled_rows(page, region, body_lines, by_col) or segments_to_rows(by_col)
    for offset, row_cells in enumerate(rows):
        row = n_header_rows + offset
        row_segments = [s for segments in row_cells.values() for s in segments]
        row_top = min(s.top for s in row_segments)
        row_bottom = max(s.bottom for s in row_segments)
        for col, (x0, x1) in enumerate(columns):
            segments = row_cells.get(col, [])
            if segments:
                text, marks = _cell_text(segments)
                cells.append(GridCell(row, col, text, marks, False, *bounds(segments)))
            else:
                cells.append(GridCell(row, col, "", (), False, x0, row_top, x1, row_bottom))
    return Grid(
        n_rows=n_header_rows + len(rows),
        n_cols=len(columns),
        n_header_rows=n_header_rows,
        header_paths=tuple(header_paths),
        cells=tuple(sorted(cells, key=lambda c: (c.row, c.col))),
        columns=tuple(columns),
    )
