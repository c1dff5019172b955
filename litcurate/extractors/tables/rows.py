"""Body rows from cell blocks: which printed lines make up one table row.

Grouping whole page lines by their vertical gaps fails twice over in real tables: a
two-line label ("Breads and cereals,\\nservings/day") sits level with two rows of
values and overlaps the second, and a one-line study label is centred beside a
cell of two stacked values. So rows are built per column instead:

1. each column's lines are grouped into *blocks* (one cell's lines), split where the
   gap exceeds the in-cell leading measured over all columns; when tight gaps are the
   majority (long wrapped cells, or a table set solid), the whole table's lines merged
   into strips decide: rows end at strip gaps clearly wider than the leading, unless
   the first column names nearly every strip (then the table is set solid);
2. the column with the most blocks is the *key* column: its blocks are the rows;
3. every other block joins the key row it overlaps most at its first line (a tall
   label belongs to the row it starts in); a block level with no key row opens a
   row of its own.

Whole lines are still grouped by their gaps (``lines_to_rows``) where only the first
row is wanted: the header of a table printed without a rule or bold type under it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from litcurate.extractors.geometry import SAME_LINE_OVERLAP, overlap
from litcurate.extractors.marks import MAIN_SIZE_RATIO
from litcurate.extractors.pdf.document import Word
from litcurate.extractors.pdf.word_segments import Line, Segment
from litcurate.extractors.tables.settings import DEFAULT_SETTINGS, TableSettings


def core_box(item: Segment | Line) -> tuple[float, float]:
    """Top and bottom of a segment's or line's main-size words on its baseline.

    A raised mark must not move them, nor a glyph of another font set at the same size
    whose box sits higher ("±" or an italic "n" from a maths font, boxed two points
    above the text around it): with it, a row's box would reach into the gap above
    and rows a normal gap apart would look like the leading of one wrapped cell.
    The baseline is the bottom most of the line's characters share.
    """
    size = item.size
    words = [w for w in item.words if w.size >= MAIN_SIZE_RATIO * size] or list(item.words)
    if len(words) > 1:
        base = _shared_bottom(words)
        tolerance = BASELINE_SHARE * size
        words = [w for w in words if abs(w.bottom - base) <= tolerance] or words
    return min(w.top for w in words), max(w.bottom for w in words)


def line_box(segments: Sequence[Segment]) -> tuple[float, float]:
    """``core_box`` of segments printed on one line, taken over all their words: a lone
    glyph of another font is its own segment, and must not set the line's box."""
    return core_box(Segment(tuple(w for s in segments for w in s.words)))


BASELINE_SHARE = 0.15  # words whose bottom is this share of the size off the line's are off it


def _shared_bottom(words: Sequence[Word]) -> float:
    """The bottom of the words holding the middle character of the line (by length);
    of two halves, the lower one ("≥" boxed high beside its "5")."""
    ordered = sorted(words, key=lambda w: w.bottom)
    half = sum(len(w.text) for w in ordered) / 2
    seen = 0
    for word in ordered:
        seen += len(word.text)
        if seen > half:
            return word.bottom
    return ordered[-1].bottom


@dataclass
class Block:
    """One cell's worth of lines in one column."""

    col: int
    lines: list[list[Segment]]

    @property
    def top(self) -> float:
        return min(core_box(s)[0] for s in self.lines[0])

    @property
    def bottom(self) -> float:
        return max(core_box(s)[1] for s in self.lines[-1])

    @property
    def first_line(self) -> tuple[float, float]:
        return (min(core_box(s)[0] for s in self.lines[0]),
                max(core_box(s)[1] for s in self.lines[0]))

    @property
    def segments(self) -> list[Segment]:
        return [s for line in self.lines for s in line]


def _column_lines(segments: Sequence[Segment]) -> list[list[Segment]]:
    """A column's segments grouped into printed lines, top to bottom."""
    lines: list[list[Segment]] = []
    for segment in sorted(segments, key=lambda s: (core_box(s)[0], s.x0)):
        box = core_box(segment)
        if lines:
            last = (min(core_box(s)[0] for s in lines[-1]),
                    max(core_box(s)[1] for s in lines[-1]))
            if overlap(*box, *last) >= SAME_LINE_OVERLAP * min(box[1] - box[0], last[1] - last[0]):
                lines[-1].append(segment)
                continue
        lines.append([segment])
    return lines


def wrap_threshold(gaps: Sequence[float], line_height: float,
                   settings: TableSettings = DEFAULT_SETTINGS) -> tuple[float | None, bool]:
    """The largest gap still inside one cell (None when no cell wraps), and whether
    the table is set solid (every gap tight, so leading and row gaps look the same).

    In-cell leading is tight (within the settings' leading limit of a line) and clearly
    tighter than the gap between rows; without such a jump no cell is known to wrap.
    """
    positive = sorted(g for g in gaps if g > -0.5)
    limit = settings.leading_limit(line_height)
    small = [g for g in positive if g <= limit]
    if not small:
        return None, False
    if len(small) == len(positive):
        return None, True  # no gap is too wide for leading: nothing tells rows apart
    # The leading ends at the widest step among gaps that could still be leading: a
    # row under a two-line label starts closer than the other rows do, yet clearly
    # further off than the label's own lines.
    step, cut = max(((b - a, i) for i, (a, b) in enumerate(itertools.pairwise(positive))
                     if a <= limit), default=(0.0, len(small) - 1))
    small, big = positive[:cut + 1], positive[cut + 1:]
    if not big or step < settings.row_gap_jump:
        return None, True
    if len(small) > len(big):
        # Tight gaps are the rule, not the exception: they are the rows' own gaps.
        return None, True
    return (small[-1] + big[0]) / 2, False


def _strips(lines_by_col: dict[int, list[list[Segment]]]) -> list[tuple[float, float, bool]]:
    """The table's printed lines across all columns merged into horizontal strips:
    (top, bottom, whether the first column has text in it), top to bottom."""
    first = min(lines_by_col)
    boxes = sorted((min(core_box(s)[0] for s in ln), max(core_box(s)[1] for s in ln), col == first)
                   for col, lines in lines_by_col.items() for ln in lines)
    strips: list[tuple[float, float, bool]] = []
    for top, bottom, named in boxes:
        if strips and top < strips[-1][1]:
            last = strips[-1]
            strips[-1] = (last[0], max(last[1], bottom), last[2] or named)
        else:
            strips.append((top, bottom, named))
    return strips


def strip_threshold(lines_by_col: dict[int, list[list[Segment]]], line_height: float,
                    settings: TableSettings = DEFAULT_SETTINGS) -> float | None:
    """The gap between rows when the whole table's lines say it, else None.

    Across all columns a table's lines form strips; in a table of long wrapped cells
    the strips inside a row are as close as the leading, and every row ends at a
    clearly wider gap where no column has text. A table set solid with a little
    extra space between groups looks the same, except that its first column names
    nearly every strip; wrapped cells leave many strips with nothing in the first
    column.
    """
    if not lines_by_col:
        return None
    strips = _strips(lines_by_col)
    gaps = sorted(b[0] - a[1] for a, b in itertools.pairwise(strips))
    small = [g for g in gaps if g <= settings.leading_limit(line_height)]
    big = [g for g in gaps if small and g > small[-1]]
    if not small or not big or big[0] - small[-1] < settings.row_gap_jump:
        return None
    unnamed = sum(1 for strip in strips if not strip[2])
    if unnamed < settings.unnamed_strip_share * len(strips):
        return None
    return (small[-1] + big[0]) / 2


def set_solid(segments: Sequence[Segment], settings: TableSettings = DEFAULT_SETTINGS) -> bool:
    """Are all the table's printed lines set at one tight pitch, row gaps included?"""
    boxes = [(min(core_box(s)[0] for s in ln), max(core_box(s)[1] for s in ln))
             for ln in _column_lines(segments)]
    gaps = [b[0] - a[1] for a, b in itertools.pairwise(boxes)]
    heights = sorted(b - t for t, b in boxes)
    if len(gaps) < 2 or not heights:
        return False
    tight = settings.leading_limit(heights[len(heights) // 2])
    return all(gap <= tight for gap in gaps)


def leading_threshold(lines_by_col: dict[int, list[list[Segment]]],
                      settings: TableSettings = DEFAULT_SETTINGS) -> tuple[float | None, bool]:
    """The widest gap inside one cell, from the gaps between each column's lines, and
    whether those gaps are all tight (``wrap_threshold``), before any whole-table check."""
    gaps: list[float] = []
    heights: list[float] = []
    for lines in lines_by_col.values():
        boxes = [(min(core_box(s)[0] for s in ln), max(core_box(s)[1] for s in ln))
                 for ln in lines]
        heights.extend(b - t for t, b in boxes)
        gaps.extend(b[0] - a[1] for a, b in itertools.pairwise(boxes))
    heights.sort()
    height = heights[len(heights) // 2] if heights else 0.0
    threshold, tight = wrap_threshold(gaps, height, settings)
    if tight:
        # Tight gaps outnumber the wide ones; they may still be the leading of long
        # wrapped cells, when the whole table's lines part at clearly wider gaps.
        between = strip_threshold(lines_by_col, height, settings)
        if between is not None:
            threshold, tight = between, False
    return threshold, tight


def lines_to_blocks(lines_by_col: dict[int, list[list[Segment]]], threshold: float | None
                    ) -> list[Block]:
    """Each column's lines cut into blocks where the gap is wider than ``threshold``."""
    blocks: list[Block] = []
    for col, lines in sorted(lines_by_col.items()):
        current: Block | None = None
        for line in lines:
            top = min(core_box(s)[0] for s in line)
            gap = top - current.bottom if current is not None else 0.0
            # Lines of one column that touch or overlap are one cell whatever the rhythm.
            if current is not None and (gap <= 0 or (threshold is not None and gap <= threshold)):
                current.lines.append(line)
                continue
            current = Block(col, [line])
            blocks.append(current)
    return blocks


def column_blocks(by_col: dict[int, list[Segment]], settings: TableSettings = DEFAULT_SETTINGS
                  ) -> tuple[list[Block], bool]:
    """Every column's lines cut into blocks at gaps wider than the in-cell leading.

    The flag says the table is set solid: leading and row gaps cannot be told apart.
    """
    lines_by_col = {col: _column_lines(segments) for col, segments in by_col.items()}
    threshold, tight = leading_threshold(lines_by_col, settings)
    solid = tight or set_solid([s for segments in by_col.values() for s in segments], settings)
    # Set solid across the columns yet with leading clearly tighter inside them: the
    # first column still names the rows, and a cell's stacked lines ("0.33" over
    # "OR 2.24 (...)") stay one cell in the row where they start. A threshold past the
    # leading limit was drawn between row gaps, not from leading: no gap is trusted.
    if tight or (solid and (threshold is None or threshold > settings.leading_limit(
            _median_height(lines_by_col)))):
        threshold = None  # one pitch throughout: no gap says "same cell"
    return lines_to_blocks(lines_by_col, threshold), solid


def _median_height(lines_by_col: dict[int, list[list[Segment]]]) -> float:
    heights = sorted(line_box(line)[1] - line_box(line)[0]
                     for lines in lines_by_col.values() for line in lines)
    return heights[len(heights) // 2] if heights else 0.0


def rows_within_rules(by_col: dict[int, list[Segment]], cuts: Sequence[float],
                      settings: TableSettings = DEFAULT_SETTINGS
                      ) -> list[dict[int, list[Segment]]] | None:
    """Rows of a table ruled between its rows, some bands holding several rows: None
    unless the columns' leading is clear.

    A rule always ends a row. Inside a band, a column with two cells (lines further
    apart than the leading: "Montana, 1925" over "California, 1996" beside "[10]" over
    "This case") holds as many rows; a label centred beside them goes to the first.
    Lines of all columns at one pitch would call such a table set solid, because the
    centred labels fill the gaps between its lines; the rules say otherwise.
    """
    lines_by_col = {col: _column_lines(segments) for col, segments in by_col.items()}
    threshold, tight = leading_threshold(lines_by_col, settings)
    if threshold is None or tight:
        return None
    rows: list[dict[int, list[Segment]]] = []
    for band in rows_between_rules(by_col, cuts):
        blocks = lines_to_blocks({col: _column_lines(segs) for col, segs in band.items()},
                                 threshold)
        first = min(band)
        if all(sum(1 for b in blocks if b.col == col) <= 1 for col in band if col != first):
            rows.append(band)
            continue
        for row in blocks_to_rows(blocks, settings):
            cells: dict[int, list[Segment]] = {}
            for block in row:
                cells.setdefault(block.col, []).extend(block.segments)
            rows.append(cells)
    return rows


def _level_share(col: int, blocks: Sequence[Block], settings: TableSettings = DEFAULT_SETTINGS
                 ) -> float:
    """The share of a column's blocks whose first line sits level with another column's
    (sharing ``level_line_share`` of the smaller height: one baseline, not half a line off)."""
    own = [b for b in blocks if b.col == col]
    others = [b.first_line for b in blocks if b.col != col]
    level = 0
    for block in own:
        top, bottom = block.first_line
        if any(overlap(top, bottom, *line) >= settings.level_line_share
               * max(min(bottom - top, line[1] - line[0]), 0.1) for line in others):
            level += 1
    return level / len(own) if own else 0.0


def key_column(blocks: Sequence[Block], settings: TableSettings = DEFAULT_SETTINGS) -> int:
    """The column whose lines name the rows of a table set solid: the first column, unless
    its lines sit off the pitch of the others (a label centred over several rows); then
    the first column most of whose lines are level with the rest."""
    columns = sorted({b.col for b in blocks})
    return next((col for col in columns if _level_share(col, blocks, settings) > 0.5),
                columns[0])


def _join_stacked(blocks: Sequence[Block], settings: TableSettings = DEFAULT_SETTINGS
                  ) -> list[Block]:
    """A column's blocks with lines stacked at in-cell leading joined: one label's lines."""
    joined: list[Block] = []
    for block in sorted(blocks, key=lambda b: b.top):
        last = joined[-1] if joined else None
        height = block.first_line[1] - block.first_line[0]
        if last is not None and block.top - last.bottom <= settings.leading_limit(height):
            last.lines.extend(block.lines)
        else:
            joined.append(Block(block.col, list(block.lines)))
    return joined


def bands_to_rows(blocks: Sequence[Block], settings: TableSettings = DEFAULT_SETTINGS
                  ) -> list[list[Block]]:
    """Rows as bands from one key-column entry down to the next.

    When every line is set at the same pitch, a stacked cell ("Arm A" over "Arm B") looks
    exactly like two rows; the column that names the rows (``key_column``) tells them
    apart: a line with nothing in it continues the row above. A label left of that
    column, set off its pitch, spans rows: its stacked lines are one cell, in the row
    where it starts.
    """
    first = key_column(blocks, settings)
    before = [b for b in blocks if b.col < first]
    rest = [b for b in blocks if b.col >= first]
    spanning = [j for col in sorted({b.col for b in before})
                for j in _join_stacked([b for b in before if b.col == col], settings)]
    keys = sorted((b for b in rest if b.col == first), key=lambda b: b.top)
    rows: list[list[Block]] = [[] for _ in keys]
    lead: list[Block] = []
    for block in sorted((b for b in [*rest, *spanning] if b.col != first), key=lambda b: b.top):
        middle = sum(block.first_line) / 2
        index = max((i for i, key in enumerate(keys) if key.top - 1.0 <= middle), default=None)
        if index is None:
            lead.append(block)
        else:
            rows[index].append(block)
    out = ([lead] if lead else []) + [[key, *row] for key, row in zip(keys, rows, strict=True)]
    return _join_bracketed(out)


BRACKETED = re.compile(r"^[(\[].*[)\]]$")


def _join_bracketed(rows: list[list[Block]]) -> list[list[Block]]:
    """Rows whose every value is bracketed ("(87.1-100)") rejoin the row above: the second
    line of cells printed as an estimate over its interval, not a row of their own."""
    out: list[list[Block]] = []
    for row in rows:
        first = min(b.col for b in row)
        values = [b for b in row if b.col != first]
        bracketed = len(values) >= 2 and all(
            BRACKETED.match(" ".join(s.text for s in b.segments).strip()) for b in values)
        if out and bracketed:
            out[-1].extend(row)
        else:
            out.append(row)
    return out


def blocks_to_rows(blocks: Sequence[Block], settings: TableSettings = DEFAULT_SETTINGS
                   ) -> list[list[Block]]:
    """Rows of blocks, top to bottom, anchored on the column with the most blocks."""
    if not blocks:
        return []
    counts: dict[int, int] = {}
    for block in blocks:
        counts[block.col] = counts.get(block.col, 0) + 1
    key = min(counts, key=lambda col: (-counts[col], col))
    rows: list[list[Block]] = [[b] for b in sorted((b for b in blocks if b.col == key),
                                                   key=lambda b: b.top)]
    for block in sorted((b for b in blocks if b.col != key), key=lambda b: b.top):
        row = _row_for(block, rows, settings)
        if row is None:
            rows.append([block])
        else:
            row.append(block)
    rows.sort(key=lambda row: min(b.top for b in row))
    return rows


def _row_for(block: Block, rows: Sequence[list[Block]], settings: TableSettings = DEFAULT_SETTINGS
             ) -> list[Block] | None:
    """The row a block belongs to: it must share a good part of its or the row's height;
    among several (a tall label beside rows of values) the row level with its first line.
    """
    whole = (block.top, block.bottom)
    first = block.first_line
    best: list[Block] | None = None
    best_key = (0.0, 0.0)
    for row in rows:
        # Measured against the row's anchor only: a tall label already joined to a row
        # must not stretch it over the rows below.
        span = (row[0].top, row[0].bottom)
        smaller = max(min(whole[1] - whole[0], span[1] - span[0]), 0.1)
        fraction = overlap(*whole, *span) / smaller
        if fraction < settings.row_share:
            continue
        key = (overlap(*first, *span), fraction)
        if best is None or key > best_key:
            best, best_key = row, key
    return best


def segments_to_rows(by_col: dict[int, list[Segment]], settings: TableSettings = DEFAULT_SETTINGS
                     ) -> list[dict[int, list[Segment]]]:
    """Given body segments by column, return rows as column -> segments of that cell."""
    blocks, solid = column_blocks(by_col, settings)
    rows = bands_to_rows(blocks, settings) if solid else blocks_to_rows(blocks, settings)
    out: list[dict[int, list[Segment]]] = []
    for row in rows:
        cells: dict[int, list[Segment]] = {}
        for block in row:
            cells.setdefault(block.col, []).extend(block.segments)
        out.append(cells)
    return out


def rows_between_rules(by_col: dict[int, list[Segment]], cuts: Sequence[float]
                       ) -> list[dict[int, list[Segment]]]:
    """Rows of a ruled grid: the bands between its horizontal rules.

    A cell spanning two bands (a study label centred over its two arms) belongs to the
    band its first line starts in.
    """
    edges = sorted(cuts)
    bands: list[dict[int, list[Segment]]] = [{} for _ in range(len(edges) - 1)]
    for col, segments in by_col.items():
        for segment in segments:
            top = core_box(segment)[0] + 1.0
            index = max((i for i, edge in enumerate(edges[:-1]) if edge <= top), default=0)
            bands[min(index, len(bands) - 1)].setdefault(col, []).append(segment)
    return [band for band in bands if band]


def lines_to_rows(lines: Sequence[Line], settings: TableSettings = DEFAULT_SETTINGS
                  ) -> list[list[Line]]:
    """Group lines into rows: split where the gap jumps above the in-cell leading."""
    if not lines:
        return []
    ordered = sorted(lines, key=lambda ln: core_box(ln)[0])
    gaps = [core_box(b)[0] - core_box(a)[1] for a, b in itertools.pairwise(ordered)]
    heights = sorted(core_box(ln)[1] - core_box(ln)[0] for ln in ordered)
    threshold = row_gap_threshold(gaps, heights[len(heights) // 2], settings)
    rows: list[list[Line]] = [[ordered[0]]]
    for gap, line in zip(gaps, ordered[1:], strict=False):
        if threshold is None or gap > threshold:
            rows.append([line])
        else:
            rows[-1].append(line)
    return rows


def row_gap_threshold(gaps: Sequence[float], line_height: float,
                      settings: TableSettings = DEFAULT_SETTINGS) -> float | None:
    """Midpoint of the biggest jump in sorted positive gaps, if they come in two sizes.

    Lines that overlap vertically (a middle-aligned cell beside a stacked one) are
    always one row, so only positive gaps vote on the threshold; at least 0 is returned.
    """
    ordered = sorted(g for g in gaps if g > 0)
    limit = settings.leading_limit(line_height)
    if len(ordered) == 1 and ordered[0] <= limit:
        return ordered[0]  # a single tight gap: leading inside one wrapped cell
    if len(ordered) < 2:
        return 0.0 if any(g <= 0 for g in gaps) else None
    jumps = [(b - a, i) for i, (a, b) in enumerate(itertools.pairwise(ordered))]
    size, index = max(jumps)
    # The smaller gaps must look like leading inside a wrapped cell, not like row padding.
    if size < settings.row_gap_jump or ordered[index] > limit:
        return 0.0 if any(g <= 0 for g in gaps) else None
    return (ordered[index] + ordered[index + 1]) / 2
