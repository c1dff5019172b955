"""The sample paper's tables, recovered cell for cell against the typesetter's truth.

The truth file is written by tools/typeset_sample_paper.py from the same data it
typesets, and regenerated only by `make sample-pdf`; review its diff like code.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from litcurate.extractors.tables import extract_tables
from tests.golden.table_scoring import score_table

TRUTH = Path(__file__).parent / "dermine2019" / "tables_truth.json"


@pytest.fixture(scope="module")
def recovered(sample_document):  # type: ignore[no-untyped-def]
    return {t.table.label: t for t in extract_tables(sample_document, "sample").tables}


def truth_tables() -> list[dict]:
    return json.loads(TRUTH.read_text(encoding="utf-8"))


def test_every_table_is_found_once(recovered) -> None:  # type: ignore[no-untyped-def]
    assert sorted(recovered) == [t["label"] for t in truth_tables()]


@pytest.mark.parametrize("truth", truth_tables(), ids=lambda t: t["label"])
def test_table_cells_match_truth(recovered, truth: dict) -> None:  # type: ignore[no-untyped-def]
    extracted = recovered[truth["label"]]
    score = score_table(truth, extracted)
    assert score.wrong == ()
    assert score.header_paths_equal
    assert extracted.table.caption.endswith(truth["caption"])
    assert " ".join(extracted.table.footnotes.split()) == " ".join(truth["footnotes"].split())


def test_stacked_values_stay_in_one_cell(recovered) -> None:  # type: ignore[no-untyped-def]
    table = recovered["Table 1"]
    ho = next(c for c in table.cells if c.text.startswith("Ho, 2007"))
    row = {c.col: c for c in table.cells if c.row == ho.row}
    assert row[7].text == "78\n75"
    assert row[10].text == "23$\n16$" and row[10].marks == ("$",)
    assert all(c.page == 7 and c.x1 > c.x0 and c.bottom > c.top for c in row.values())
