"""The scorer behind the golden tests, the benchmark and the metrics card."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from litcurate.evaluation.table_accuracy import (
    ExpectedTable,
    align_rows,
    load_expected,
    locate_pdfs,
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


def test_a_pdf_at_its_own_path_is_used_even_when_the_corpus_has_one_too(tmp_path: Path) -> None:
    (tmp_path / "paper.pdf").write_bytes(b"%PDF here")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "paper.pdf").write_bytes(b"%PDF there")
    found, skipped = locate_pdfs([load_expected(write_expected(tmp_path))], corpus)
    assert [f.pdf for f in found] == [(tmp_path / "paper.pdf").resolve()]
    assert skipped == []


def test_a_pdf_kept_outside_the_repository_is_found_by_name_in_the_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "outside"
    corpus.mkdir()
    (corpus / "paper.pdf").write_bytes(b"%PDF")
    expected = load_expected(write_expected(tmp_path, split="heldout"))
    found, skipped = locate_pdfs([expected], corpus)
    assert [f.pdf for f in found] == [(corpus / "paper.pdf").resolve()]
    assert found[0].tables == expected.tables and found[0].split == "heldout"
    assert skipped == []


@pytest.mark.parametrize("with_corpus", [True, False])
def test_a_pdf_found_nowhere_is_skipped_with_its_reason(tmp_path: Path, with_corpus: bool) -> None:
    corpus = tmp_path / "empty"
    corpus.mkdir()
    expected = load_expected(write_expected(tmp_path))
    found, skipped = locate_pdfs([expected], corpus if with_corpus else None)
    assert found == []
    assert [f for f, _ in skipped] == [expected]
    reason = skipped[0][1]
    assert "paper.pdf" in reason
    assert (str(corpus) in reason) is with_corpus
