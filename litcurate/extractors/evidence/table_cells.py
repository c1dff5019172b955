"""Small readings of grid cells shared by both table shapes: body rows, lines, text cells."""

from __future__ import annotations

from collections.abc import Sequence

from litcurate.extractors.evidence.value_grammar import read_value, split_labelled
from litcurate.extractors.evidence.values import strip_marks
from litcurate.schemas import Cell


def cell_lines(cell: Cell | None) -> list[str]:
    """The cell's printed lines, blank ones dropped."""
    if cell is None or not cell.text.strip():
        return []
    return [line.strip() for line in cell.text.split("\n") if line.strip()]


def cell_label(cell: Cell | None) -> str:
    """The cell's words on one line, without a footnote mark printed after them
    ("Maternal age, yearsa" with mark a -> "Maternal age, years"): a row's label."""
    text = " ".join(cell_lines(cell))
    if cell is None:
        return text
    for mark in sorted(cell.marks, key=len, reverse=True):
        if mark and text.endswith(mark) and len(text) > len(mark):
            text = text[: -len(mark)].rstrip()
    return text


def value_lines(cell: Cell | None) -> list[str]:
    """The cell's printed values: a line wholly in brackets ("(87.1–100)") under a value
    is that value's interval or spread, wrapped onto a line of its own."""
    values: list[str] = []
    for line in cell_lines(cell):
        if values and line[:1] in "([" and line[-1:] in ")]":
            values[-1] = f"{values[-1]} {line}"
        else:
            values.append(line)
    return values


def body_rows(cells: Sequence[Cell]) -> list[list[Cell]]:
    """The table's body cells grouped by row, rows and cells in order."""
    rows: dict[int, list[Cell]] = {}
    for cell in cells:
        if not cell.is_header:
            rows.setdefault(cell.row, []).append(cell)
    return [sorted(rows[r], key=lambda c: c.col) for r in sorted(rows)]


def is_text_cell(cell: Cell) -> bool:
    """True when no line of the cell reads as a value ("Randomised", "Iran"): words, not
    numbers; "NR" and "-" are values (not reported), "Ref" a reference category."""
    for line in cell_lines(cell):
        for part in split_labelled(strip_marks(line, cell.marks)):
            reading = read_value(part)
            if not reading.unread or reading.reference:
                return False
    return True
