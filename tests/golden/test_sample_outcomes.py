"""The sample paper's outcome tables as tidy records, against the hand-written key.

tests/fixtures/outcomes/ holds the key (see its README for the rules) and the paper's
real inconsistencies; neither is ever written from the extractor's output.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from litcurate.extractors.paper import PaperExtraction, PaperSource, extract_paper
from litcurate.schemas.loader import file_sha256
from tests.conftest import SAMPLE_PDF
from tests.golden.outcome_scoring import (
    match,
    outcome_key,
    outcome_row,
    population_key,
    population_row,
)

KEYS = Path(__file__).resolve().parents[1] / "fixtures" / "outcomes"


@pytest.fixture(scope="module")
def extraction() -> PaperExtraction:
    return extract_paper(PaperSource(path=SAMPLE_PDF, sha256=file_sha256(SAMPLE_PDF)))


@pytest.fixture(scope="module")
def key() -> dict[str, Any]:
    return json.loads((KEYS / "dermine2019_review.outcomes.expected.json").read_text("utf-8"))


def labels(extraction: PaperExtraction) -> dict[str, str]:
    return {t.table_id: t.label for t in extraction.tables}


def test_every_outcome_cell_is_one_correct_record(extraction: PaperExtraction,
                                                  key: dict[str, Any]) -> None:
    by_id = labels(extraction)
    got = [outcome_key(outcome_row(o, by_id[o.table_id])) for o in extraction.outcomes
           if by_id[o.table_id] in key["tables"]]
    result = match((outcome_key(r) for r in key["outcomes"]), got)
    assert (result.missing, result.extra) == ((), ())
    assert result.f1 == 1.0


def test_every_tumour_type_count_is_one_population_record(extraction: PaperExtraction,
                                                          key: dict[str, Any]) -> None:
    by_id = labels(extraction)
    got = [population_key(population_row(p, by_id[p.table_id])) for p in extraction.populations
           if by_id[p.table_id] in key["tables"]]
    result = match((population_key(r) for r in key["populations"]), got)
    assert (result.missing, result.extra) == ((), ())


def test_validator_reports_the_real_inconsistencies_and_nothing_false(
        extraction: PaperExtraction) -> None:
    truth = json.loads((KEYS / "dermine2019_review.inconsistencies.json").read_text("utf-8"))
    entries = truth if isinstance(truth, list) else truth["inconsistencies"]
    real = [e for e in entries if not e.get("agree", False)]
    rules = {"subgroup-sum": "subgroups-do-not-sum-to-n",
             "response-plus-stable-over-100": "response-plus-stable-over-100",
             "prose-vs-table": "prose-disagrees-with-table"}
    reported = [i for i in extraction.issues if i.rule in rules.values()]
    assert sorted(rules[e["rule"]] for e in real) == sorted(i.rule for i in reported)
    for entry in real:
        if entry["rule"] != "prose-vs-table":
            name = entry["study_label"].split(",")[0]
            assert any(name in i.message for i in reported if i.rule == rules[entry["rule"]])
    agreements = [e for e in entries if e.get("agree", False)]
    assert len([i for i in extraction.issues if i.rule == "prose-agrees-with-table"]) == len(
        agreements)
