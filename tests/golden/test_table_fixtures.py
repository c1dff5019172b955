"""Every fixture table recovered against its hand-checked expected grid.

Expected grids live beside their PDFs (tests/fixtures/tables/*/NAME.expected.json) and
are never written from the extractor's output. Targets from the tables issue: at
least 99% of cells on every generated fixture, 97% on real journal tables, and the
header structure right on every table.
"""

from __future__ import annotations

import pytest

from litcurate.evaluation.table_accuracy import (
    ExpectedFile,
    ExpectedTable,
    score_tables,
    squash,
)
from tests.golden.fixtures import expected_files, extracted

TARGET = {"journal": 0.97}
DEFAULT_TARGET = 0.99

CASES = [(f, t) for f in expected_files() for t in f.tables]


def case_id(case: tuple[ExpectedFile, ExpectedTable]) -> str:
    return f"{case[0].name}:{case[1].label}"


def test_the_corpus_covers_four_producers_and_real_papers() -> None:
    producers = {f.producer for f in expected_files()}
    assert len(producers - {"journal"}) >= 4
    assert sum(len(f.tables) for f in expected_files() if f.producer == "journal") >= 3


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_table_matches_expected_grid(case: tuple[ExpectedFile, ExpectedTable]) -> None:
    expected_file, table = case
    result = extracted(expected_file.pdf)
    score = next(s for s in score_tables(expected_file, result) if s.label == table.label)
    assert score.found, f"{table.label} not found in {expected_file.pdf.name}"
    recovered = next(t for t in result.tables
                     if t.table.label.casefold() == table.label.casefold())
    assert recovered.table.pages == table.pages
    assert score.header_paths_equal
    wrong = "\n".join(f"  row {r} col {c}: want {w!r} got {g!r}" for r, c, w, g in score.wrong)
    assert score.accuracy >= TARGET.get(expected_file.producer, DEFAULT_TARGET), wrong
    assert score.rows_recovered == score.rows_expected  # no legend or note read as a row


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_caption_and_legend_are_the_tables_own(case: tuple[ExpectedFile, ExpectedTable]) -> None:
    expected_file, table = case
    recovered = next(t for t in extracted(expected_file.pdf).tables
                     if t.table.label.casefold() == table.label.casefold())
    assert squash(recovered.table.caption).endswith(squash(table.caption))
    assert squash(recovered.table.footnotes) == squash(table.footnotes)


@pytest.mark.parametrize("expected_file", expected_files(), ids=lambda f: f.name)
def test_no_table_is_invented(expected_file: ExpectedFile) -> None:
    result = extracted(expected_file.pdf)
    want = sorted(t.label.casefold() for t in expected_file.tables)
    assert sorted(t.table.label.casefold() for t in result.tables) == want


LAYOUTS = sorted({tag for _, t in CASES for tag in t.layouts})


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_meets_its_target(layout: str) -> None:
    """Cell accuracy over all tables of one layout, as the benchmark reports it."""
    cells = correct = 0
    for expected_file, table in CASES:
        if layout not in table.layouts:
            continue
        score = next(s for s in score_tables(expected_file, extracted(expected_file.pdf))
                     if s.label == table.label)
        cells += score.cells
        correct += score.correct
    target = min(TARGET.get(f.producer, DEFAULT_TARGET) for f, t in CASES if layout in t.layouts)
    assert cells > 0 and correct / cells >= target
