"""A table's header: where it ends, its spanning parents, and each column's path.

A multi-level header prints parents ("Survival (months)") centred over the columns
they span, often with a short rule under them (booktabs), and leaves under those.
Every column gets the flattened path of the titles above it ("Parent / Child").
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
from litcurate.extractors.pdf.document import Rule
from litcurate.extractors.pdf.word_segments import Line, Segment
from litcurate.extractors.tables.cells import GridCell, column_of, segments_to_text
from litcurate.extractors.tables.detection import TableRegion
from litcurate.extractors.tables.rows import line_box, lines_to_rows
from litcurate.extractors.tables.settings import DEFAULT_SETTINGS, TableSettings


def split_header_body(lines: Sequence[Line], rules: Sequence[Rule], region: TableRegion,
                      settings: TableSettings = DEFAULT_SETTINGS) -> tuple[list[Line], list[Line]]:
    """Where the header ends: at a full-width rule, at the end of bold type, or after
    the first row.

    The rule chosen has text on both sides and a header line of several cells above
    it; a rule under a lone title line ("Newcastle-Ottawa scale") is not the one.
    """
    width = region.x1 - region.x0
    full = sorted((r for r in rules if r.x1 - r.x0 >= settings.full_width_share * width),
                  key=lambda r: r.top)
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
    first_row = lines_to_rows(lines, settings)[0]
    return list(first_row), [ln for ln in lines if ln not in first_row]


def _spanner_rule(segment: Segment, rules: Sequence[Rule],
                  settings: TableSettings = DEFAULT_SETTINGS) -> Rule | None:
    """A short rule drawn just under a header: booktabs' mark of a spanning parent."""
    for rule in rules:
        gap = rule.top - segment.bottom
        near = -1.0 <= gap <= settings.spanner_gap_em * segment.size
        if near and horizontal_overlap(rule, segment) > 0:
            return rule
    return None


Parent = tuple[str, int, int, Box]


def _straddled(segment: Segment, segments: Sequence[Segment],
               columns: Sequence[tuple[float, float]], settings: TableSettings = DEFAULT_SETTINGS
               ) -> list[int]:
    """Columns of the header phrases on the nearest line under ``segment`` that it
    overlaps: a title centred over two narrow columns straddles their headers even
    where it misses their values."""
    under = [o for o in segments if o.top > segment.bottom - 0.5 and o is not segment
             and horizontal_overlap(o, segment) > 0]
    if not under:
        return []
    nearest = min(o.top for o in under)
    level = [o for o in under if o.top - nearest < settings.straddle_level_em * o.size]
    return sorted({column_of(o, columns) for o in level})


def _first_below(segments: Sequence[Segment], col: int, under: float,
                 columns: Sequence[tuple[float, float]]) -> Segment | None:
    """The highest header phrase of column ``col`` starting below ``under``."""
    below = [s for s in segments if column_of(s, columns) == col and s.top > under]
    return min(below, key=lambda s: s.top, default=None)


def left_aligned_spans(segments: Sequence[Segment], columns: Sequence[tuple[float, float]],
                       settings: TableSettings = DEFAULT_SETTINGS
                       ) -> list[tuple[Segment, int, int]]:
    """Parents printed flush left over the first of their columns, with no rule or centring.

    On a header line of two or more such phrases ("No", "Case", "Control"), each heads
    the columns from its own to the next one's, as far as their titles sit on one leaf
    line a clear level gap (wider than in-cell leading) below it. A wrapped title ("Mean"
    over "age") sits at leading distance, and a column titled at another level (a "P
    value" centred over both lines) ends the span. One flush-left title over a second
    line alone is as likely a title set loose, and is left alone.
    """
    spans: list[tuple[Segment, int, int]] = []
    ordered = sorted(segments, key=lambda s: s.top)
    done: set[int] = set()
    for segment in ordered:
        if id(segment) in done:
            continue
        level = [o for o in ordered
                 if abs(o.top - segment.top) < settings.straddle_level_em * segment.size]
        done.update(id(o) for o in level)
        found = [span for span in (_left_span(o, level, segments, columns, settings)
                                   for o in level) if span is not None]
        if len(found) >= 2:
            spans.extend(found)
    return spans


def _left_span(segment: Segment, level: Sequence[Segment], segments: Sequence[Segment],
               columns: Sequence[tuple[float, float]], settings: TableSettings = DEFAULT_SETTINGS
               ) -> tuple[Segment, int, int] | None:
    """The columns ``segment`` heads as a flush-left parent on its header line, if any."""
    col = column_of(segment, columns)
    if abs(segment.x0 - columns[col][0]) > settings.spanner_align_tolerance:
        return None
    gap = settings.leading_limit(segment.size) + settings.wrap_slack
    starts = sorted(column_of(o, columns) for o in level if o is not segment)
    stop = next((c for c in starts if c > col), len(columns))
    child = _first_below(segments, col, segment.bottom + gap, columns)
    if child is None or _first_below(segments, col, segment.bottom - 0.5, columns) is not child:
        return None
    last = col
    for other in range(col + 1, stop):
        # The column's highest title must be its leaf, level with the first column's.
        leaf = _first_below(segments, other, segment.top - 0.5, columns)
        if leaf is None or abs(leaf.top - child.top) >= settings.straddle_level_em * leaf.size:
            break
        last = other
    return (segment, col, last) if last > col else None


def header_segments_to_columns(
    lines: Sequence[Line], columns: Sequence[tuple[float, float]], rules: Sequence[Rule] = (),
    settings: TableSettings = DEFAULT_SETTINGS,
) -> tuple[list[Parent], list[list[Segment]]]:
    """Split header segments into spanning parents (text, first col, last col, box) and leaves."""
    leaves: list[list[Segment]] = [[] for _ in columns]
    segments = [s for line in lines for s in line.segments]
    spanning: list[tuple[Segment, int, int]] = left_aligned_spans(segments, columns, settings)
    taken = {id(item[0]) for item in spanning}
    undecided: list[Segment] = []
    for segment in (s for s in segments if id(s) not in taken):
        spanner = _spanner_rule(segment, rules, settings)
        left, right = (spanner.x0, spanner.x1) if spanner else (segment.x0, segment.x1)
        covered = [i for i, (x0, x1) in enumerate(columns) if overlap(left, right, x0, x1)
                   > settings.span_cover_share * min(x1 - x0, settings.span_cover_cap)]
        below = any(o.top > segment.bottom - 0.5 and horizontal_overlap(o, segment) > 0
                    for o in segments if o is not segment)
        if len(covered) < 2 and below:
            covered = _straddled(segment, segments, columns, settings) or covered
        if len(covered) >= 2 and below:
            spanning.append((segment, covered[0], covered[-1]))
        else:
            undecided.append(segment)
    # A title wrapped over two lines ("Survival" over "(months)") is one parent: the
    # upper line sits tight above a parent and straddles nothing else.
    for segment in undecided:
        wrapped = settings.leading_limit(segment.size) + settings.wrap_slack
        host = next((item for item in spanning
                     if 0 <= item[0].top - segment.bottom <= wrapped
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
            if piece.top - current[-1].bottom <= (settings.leading_limit(piece.size)
                                                  + settings.wrap_slack):
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


def _segment_rows(segments: Sequence[Segment], settings: TableSettings = DEFAULT_SETTINGS
                  ) -> list[list[Segment]]:
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
    lines.sort(key=lambda line: line_box(line)[0])
    rows: list[list[Segment]] = [lines[0]]
    bottom = line_box(lines[0])[1]
    for line in lines[1:]:
        top, line_bottom = line_box(line)
        if top - bottom > settings.leading_limit(line_bottom - top):
            rows.append(list(line))
        else:
            rows[-1].extend(line)
        bottom = max(bottom, line_bottom)
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


def _parent_levels(parents: Sequence[Parent], settings: TableSettings = DEFAULT_SETTINGS
                   ) -> list[float]:
    """Tops of the parent levels, top-down: spanning phrases on one line share a level."""
    levels: list[float] = []
    for _, _, _, box in sorted(parents, key=lambda p: p[3][1]):
        if not levels or box[1] - levels[-1] > settings.header_level_gap:
            levels.append(box[1])
    return levels


def build_header(header_lines: Sequence[Line], columns: Sequence[tuple[float, float]],
                 rules: Sequence[Rule], region: TableRegion,
                 settings: TableSettings = DEFAULT_SETTINGS) -> Header:
    """Header cells and each column's flattened path ("Parent / Child / Grandchild")."""
    if not header_lines:
        return Header((), tuple("" for _ in columns), 0)
    parents, leaves = header_segments_to_columns(header_lines, columns, rules, settings)
    leaf_rows = _segment_rows([s for col in leaves for s in col], settings)
    banner: tuple[str, Box] | None = None
    if _banner(leaf_rows) and not any(p[4] < leaf_rows[0][0].top for p in _with_tops(parents)):
        only = leaf_rows.pop(0)[0]
        banner = (only.text, bounds([only]))
        leaves = [[s for s in col if s is not only] for col in leaves]
    levels = _parent_levels(parents, settings)
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
        level = max(v for t, v in level_of.items() if t <= box[1] + settings.header_level_gap)
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
            cells.append(GridCell(top_row, col, text, segments_to_text(pieces, settings)[1], True,
                                  *bounds(pieces), row_span=max(1, span)))
    header_paths = tuple(" / ".join(p for p in col_paths if p) for col_paths in paths)
    return Header(tuple(cells), header_paths, n_parent + n_leaf)


def _with_tops(parents: Sequence[tuple[str, int, int, Box]]
               ) -> list[tuple[str, int, int, Box, float]]:
    return [(*p, p[3][1]) for p in parents]
