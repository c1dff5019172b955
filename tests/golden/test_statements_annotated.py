"""Guideline statements against the hand-annotated set (tests/fixtures/statements/).

Targets from the statements issue: detection recall >= 0.95 and precision >= 0.90,
bodies and direction right on >= 95% of matched statements, and the sample paper's
transplantation and liver-directed-treatment criteria exactly. The annotations were
made from the papers' text without looking at the extractor's output (README there).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from litcurate.evaluation.statement_accuracy import (
    AnnotatedPaper,
    StatementScore,
    load_annotations,
    normalise_sentence,
    score_statements,
)
from litcurate.extractors.statements.detection import StatementsResult, extract_statements
from litcurate.extractors.statements.nlp import build_nlp
from litcurate.extractors.tables.extract import extract_tables
from litcurate.extractors.text.layer import document_to_layer
from tests.conftest import RAW
from tests.golden.fixtures import document

ROOT = Path(__file__).resolve().parents[1]
# The papers the statement rules were written against; the other annotated papers are
# the development set, measured per paper by benchmarks/statement_accuracy.py.
RULE_PAPERS = ("dermine2019_review", "bmcpublichealth2016_ide_tea_gargling_influenza_meta",
               "bmcmed2014_dodd_limit_antenatal_diet_rct")
ANNOTATIONS = [ROOT / "fixtures" / "statements" / f"{name}.statements.expected.json"
               for name in RULE_PAPERS]
JOURNAL = ROOT / "fixtures" / "tables" / "journal"


def pdf_for(paper: AnnotatedPaper) -> Path:
    return next(folder / paper.pdf for folder in (RAW, JOURNAL) if (folder / paper.pdf).exists())


@cache
def statements_of(pdf: Path) -> StatementsResult:
    read = document(pdf)
    layer = document_to_layer(read, extract_tables(read, pdf.stem).exclusions)
    return extract_statements(pdf.stem, layer, build_nlp())


@cache
def scores() -> tuple[StatementScore, dict[str, StatementScore]]:
    total = StatementScore()
    per_paper: dict[str, StatementScore] = {}
    for path in ANNOTATIONS:
        paper = load_annotations(path)
        found = statements_of(pdf_for(paper))
        score = score_statements(paper.statements, found.statements, found.criteria,
                                 paper.traps)
        per_paper[paper.pdf] = score
        total.add(score)
    return total, per_paper


def test_the_set_covers_the_sample_and_two_other_papers() -> None:
    assert len(ANNOTATIONS) >= 3
    assert sum(len(load_annotations(p).statements) for p in ANNOTATIONS) >= 30


def test_detection_meets_its_targets() -> None:
    total, _ = scores()
    assert total.recall >= 0.95, total.misses
    assert total.precision >= 0.90, total.false_alarms


@pytest.mark.parametrize("field", ["bodies", "direction"])
def test_bodies_and_direction_are_right(field: str) -> None:
    total, _ = scores()
    assert total.field_accuracy(field) >= 0.95, total.field_errors


@pytest.mark.parametrize("opening", ["Finally, liver transplantation may be an option",
                                     "The indications for liver-directed treatments are"])
def test_sample_criteria_are_exact(opening: str) -> None:
    paper = next(load_annotations(p) for p in ANNOTATIONS if "dermine" in p.name)
    want = next(s for s in paper.statements if s.text.startswith(opening))
    found = statements_of(pdf_for(paper))
    got = next(s for s in found.statements
               if normalise_sentence(s.text).startswith(normalise_sentence(opening)))
    criteria = {(c.variable, c.op, None if c.value is None else round(c.value, 3))
                for c in found.criteria if c.statement_id == got.statement_id}
    assert criteria == set(want.criteria)
