"""The sample paper's tables through the whole reader: provenance and stacked cells."""

from __future__ import annotations

from litcurate.extractors.tables.extract import extract_tables


def test_stacked_values_stay_in_one_cell_with_their_box(sample_document) -> None:  # type: ignore[no-untyped-def]
    table = next(t for t in extract_tables(sample_document, "sample").tables
                 if t.table.label == "Table 1")
    ho = next(c for c in table.cells if c.text.startswith("Ho, 2007"))
    row = {c.col: c for c in table.cells if c.row == ho.row}
    assert row[7].text == "78\n75"
    assert row[10].text == "23$\n16$" and row[10].marks == ("$",)
    assert all(c.page == 7 and c.x1 > c.x0 and c.bottom > c.top for c in row.values())
