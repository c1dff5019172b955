"""A grid's cells and columns: the shapes every table step shares.

Columns come from the body's phrase segments: their x-extents are merged where they
touch, so a whitespace gap wider than a word space separates two columns. A cell's
text keeps one printed line per text line; its raised marks are kept apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from litcurate.extractors.geometry import overlap, vertical_overlap
from litcurate.extractors.marks import is_mark
from litcurate.extractors.pdf.word_segments import Segment, join_words
from litcurate.extractors.tables.settings import DEFAULT_SETTINGS, TableSettings


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


def segments_to_columns(segments: Sequence[Segment], width: float,
                        settings: TableSettings = DEFAULT_SETTINGS) -> list[tuple[float, float]]:
    """Column x-intervals: the union of body segment extents, split at whitespace gaps.

    Phrases wider than ``wide_segment_share`` of the table are notes, not columns.
    """
    spans = sorted((s.x0, s.x1) for s in segments
                   if s.x1 - s.x0 <= settings.wide_segment_share * width)
    columns: list[list[float]] = []
    for x0, x1 in spans:
        if columns and x0 <= columns[-1][1] + settings.column_gap:
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


def segments_to_text(segments: Sequence[Segment], settings: TableSettings = DEFAULT_SETTINGS
                     ) -> tuple[str, tuple[str, ...]]:
    """Given a cell's segments, return its text (one printed line per text line) and marks."""
    by_line: list[list[Segment]] = []
    for segment in sorted(segments, key=lambda s: (s.top, s.x0)):
        if by_line and vertical_overlap(segment, by_line[-1][0]) > settings.cell_line_share * (
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
