"""Printed values read off one grid cell."""

from __future__ import annotations

from litcurate.extractors.evidence.table_cells import cell_label, value_lines
from litcurate.schemas import Cell


def cell(text: str) -> Cell:
    return Cell(table_id="p:table-3", row=1, col=1, text=text, page=4,
                x0=0.0, top=0.0, x1=10.0, bottom=10.0)


def test_an_interval_wrapped_under_its_value_is_read_with_it() -> None:
    assert value_lines(cell("93.8%\n(87.1–100)")) == ["93.8% (87.1–100)"]


def test_stacked_values_stay_apart_and_a_leading_bracket_line_stays_alone() -> None:
    assert value_lines(cell("78\n75")) == ["78", "75"]
    assert value_lines(cell("(12)\n40")) == ["(12)", "40"]


def test_a_rows_label_leaves_out_the_footnote_mark_printed_after_it() -> None:
    """Measures are the paper's words: "Alcohol, g" with its mark d, not "Alcohol, gd"."""
    marked = cell("Maternal age,\nyearsa").model_copy(update={"marks": ("a",)})
    assert cell_label(marked) == "Maternal age, years"
    assert cell_label(cell("Gravida")) == "Gravida"  # no mark: nothing taken
    only = cell("a").model_copy(update={"marks": ("a",)})
    assert cell_label(only) == "a"  # a label that is only the mark stays
