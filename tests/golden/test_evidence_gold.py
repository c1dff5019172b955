"""Typed evidence against the hand-annotated gold of the CC BY development papers.

The figures are floors at what the extractor measured when the gold was written
(benchmarks/results/evidence_accuracy.md has the per-paper table, held-out papers
apart); a change that loses typed facts on any paper fails here. The goal is 0.95 per
paper; the two papers whose licence keeps them outside the repository are measured by
the benchmark only.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from litcurate.evaluation.evidence_accuracy import (
    discover_gold,
    load_gold,
    population_facts,
    score_paper,
)
from litcurate.extractors.evidence.outcomes import grid_to_outcomes
from litcurate.extractors.pdf.reader import read_pdf
from litcurate.extractors.tables.extract import extract_tables

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
GOLD = FIXTURES / "evidence"
FOLDERS = (FIXTURES / "corpus", FIXTURES / "tables" / "journal")
# paper -> (recall, typed recall, precision) floors
FLOORS = {
    "bmcmed2014_dodd_limit_antenatal_diet_rct": (1.0, 1.0, 1.0),
    "bmcpublichealth2016_ide_tea_gargling_influenza_meta": (1.0, 1.0, 1.0),
    # Table 2 is read since its region stops at the prose under it, and its stacked
    # "P over OR (CI)" cells give one record each.
    "critcare2016_paediatric_intracerebral_haemorrhage": (1.0, 1.0, 1.0),
    "gastroresp2016_gastric_mucinous_cancer_cohort": (0.98, 0.98, 0.97),
    "jparasitol2016_rapid_malaria_test_accuracy": (1.0, 1.0, 1.0),
    "sleepdisord2016_sleep_periodontitis_nhanes": (0.99, 0.99, 1.0),
    "trials2015_recruiting_disadvantaged_smokers": (0.98, 0.96, 0.96),
}


def test_every_floor_has_its_gold_file() -> None:
    names = {gold.name for gold in discover_gold(GOLD)}
    assert set(FLOORS) <= names


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_typed_evidence_does_not_fall_below_its_floor(name: str) -> None:
    gold = load_gold(GOLD / f"{name}.evidence.json")
    pdf = next(folder / gold.pdf for folder in FOLDERS if (folder / gold.pdf).exists())
    tables = extract_tables(read_pdf(pdf), pdf.stem)
    results = [grid_to_outcomes("p", table) for table in tables.tables]
    records = [o for r in results for o in r.outcomes]
    records += population_facts(p for r in results for p in r.populations)
    score = score_paper(gold, records, {t.table.table_id: t.table.label for t in tables.tables})
    recall, typed, precision = FLOORS[name]
    assert score.recall >= recall - 1e-9
    assert score.typed_recall >= typed - 1e-9
    assert score.precision >= precision - 1e-9
