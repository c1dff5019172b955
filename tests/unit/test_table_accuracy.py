"""The scorer behind the golden tests, the benchmark and the metrics card."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from litcurate.evaluation.table_accuracy import (
    ExpectedTable,
    align_rows,
    load_expected,
    score_grid,
    squash,
)

TRUTH = ExpectedTable(
    label="Table 1", caption="", pages=(1,), layouts=(), header_paths=("Study", "N"),
    rows=(("Ho, 2007", "46"), ("Kim, 1999", "30"), ("Pitt, 2008", "100")),
)


def test_squash_collapses_space_ligatures_and_line_end_hyphens() -> None:
    assert squash("Diamandidou,\n1998") == "Diamandidou, 1998"
    assert squash("e\ufb03cacy") == "efficacy"
    assert squash("follow-\nup") == "follow-up"
    assert squash("78\n75") == "78 75"


def test_a_missing_row_costs_that_row_only() -> None:
    got = [["Ho, 2007", "46"], ["Pitt, 2008", "100"]]
    assert align_rows(TRUTH.rows, got) == [0, None, 1]
    score = score_grid(TRUTH, got, ["Study", "N"])
    assert (score.correct, score.cells, score.header_paths_equal) == (4, 6, True)
    assert score.rows_recovered == 2 and score.rows_expected == 3


def test_a_spurious_column_shifts_and_is_counted_wrong() -> None:
    got = [["Ho, 2007", "", "46"], ["Kim, 1999", "", "30"], ["Pitt, 2008", "", "100"]]
    score = score_grid(TRUTH, got, ["Study", "", "N"])
    assert score.correct == 3 and not score.header_paths_equal
    assert score.wrong[0] == (0, 1, "46", "")


def write_expected(folder: Path, **extra: str) -> Path:
    table = {"label": "Table 1", "header_paths": ["Study", "N"], "rows": [["Ho, 2007", "46"]]}
    path = folder / "paper.expected.json"
    path.write_text(json.dumps({"pdf": "paper.pdf", "tables": [table], **extra}),
                    encoding="utf-8")
    return path


def test_a_file_without_a_split_is_a_development_file(tmp_path: Path) -> None:
    assert load_expected(write_expected(tmp_path)).split == "development"


def test_the_split_is_read_and_leaves_the_tables_alone(tmp_path: Path) -> None:
    plain = load_expected(write_expected(tmp_path))
    heldout = load_expected(write_expected(tmp_path, split="heldout"))
    assert heldout.split == "heldout"
    assert heldout.tables == plain.tables


def test_an_unknown_split_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="split 'tuned'"):
        load_expected(write_expected(tmp_path, split="tuned"))
