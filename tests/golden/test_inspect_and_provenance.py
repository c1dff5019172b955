"""Every fixture table can be looked at, and every cell box points at its printed text."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from litcurate.evaluation.table_accuracy import ExpectedFile
from litcurate.extractors.pdf.document import normalise_text
from litcurate.extractors.pdf.inspection import draw_page
from tests.golden.fixtures import document, expected_files, extracted

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("expected_file", expected_files(), ids=lambda f: f.name)
def test_inspect_draws_every_table_page(expected_file: ExpectedFile, tmp_path: Path) -> None:
    for table in expected_file.tables:
        for number in table.pages[:1]:
            out = tmp_path / f"{number}.png"
            findings = draw_page(expected_file.pdf, number, out, resolution=40,
                                 document=document(expected_file.pdf))
            assert out.read_bytes().startswith(PNG_MAGIC)
            assert table.label.casefold() in {label.casefold() for label, _, _ in findings.tables}


@pytest.mark.parametrize("expected_file", expected_files(), ids=lambda f: f.name)
def test_cell_boxes_hold_their_own_text(expected_file: ExpectedFile) -> None:
    """The characters inside a body cell's box on its page spell the cell's first line.

    (A row split by a page break keeps the box of its first part; its rest is printed
    on the next page.)
    """
    result = extracted(expected_file.pdf)
    with pdfplumber.open(expected_file.pdf) as pdf:
        chars = {n: [(c["x0"], c["top"], c["x1"], c["bottom"], normalise_text(c["text"]))
                     for c in pdf.pages[n - 1].chars]
                 for n in {c.page for t in result.tables for c in t.cells}}
    checked = 0
    for table in result.tables:
        for cell in table.cells:
            first_line = cell.text.split("\n")[0]
            if cell.is_header or len(first_line) < 3:
                continue
            letters = "".join(text for x0, top, x1, bottom, text in chars[cell.page]
                              if x0 >= cell.x0 - 0.5 and x1 <= cell.x1 + 0.5
                              and top >= cell.top - 0.5 and bottom <= cell.bottom + 0.5)
            assert all(ch in letters for ch in first_line if not ch.isspace()), (
                table.table.label, cell.text)
            checked += 1
    assert checked > 0
