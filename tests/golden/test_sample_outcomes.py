"""Outcome tables as tidy records, against hand-written keys (tests/fixtures/outcomes/).

Keys exist for Tables 1-2 of the sample review, Table 5 of a trial (arms as columns,
effect estimates) and Table 1 of a meta-analysis (arm sub-columns, M/F counts); their
rules are in the directory's README. The sample paper's real inconsistencies are listed
there too. None of these files is ever written from the extractor's output.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from litcurate.extractors.stage_chain import PaperExtraction, PaperSource, extract_paper
from litcurate.schemas.loader import file_sha256
from tests.conftest import RAW, SAMPLE_PDF
from tests.golden.outcome_scoring import (
    match,
    outcome_key,
    outcome_row,
    population_key,
    population_row,
)

ROOT = Path(__file__).resolve().parents[1]
KEYS = ROOT / "fixtures" / "outcomes"
JOURNAL = ROOT / "fixtures" / "tables" / "journal"
KEY_FILES = sorted(KEYS.glob("*.outcomes.expected.json"))


@cache
def extraction(pdf: Path) -> PaperExtraction:
    return extract_paper(PaperSource(path=pdf, sha256=file_sha256(pdf)))


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def pdf_of(key: dict[str, Any]) -> Path:
    for folder in (RAW, JOURNAL):
        if (folder / key["pdf"]).exists():
            return folder / key["pdf"]
    raise FileNotFoundError(key["pdf"])


def test_keys_cover_the_sample_and_a_real_paper() -> None:
    assert len(KEY_FILES) >= 2


@pytest.mark.parametrize("key_file", KEY_FILES, ids=lambda p: p.name.split(".")[0])
def test_every_outcome_cell_is_one_correct_record(key_file: Path) -> None:
    key = load(key_file)
    if "outcomes" not in key:
        pytest.skip("this key holds populations only; its outcomes are typed-evidence gold")
    found = extraction(pdf_of(key))
    labels = {t.table_id: t.label for t in found.tables}
    with_header = all("header" in r for r in key["outcomes"])
    # The keys predate the study-size records (a study's N as a count of its own).
    got = [outcome_key(outcome_row(o, labels[o.table_id]), with_header) for o in found.outcomes
           if labels[o.table_id] in key["tables"] and "study-size" not in o.flags]
    result = match((outcome_key(r, with_header) for r in key["outcomes"]), got)
    assert (result.missing, result.extra) == ((), ())
    assert result.f1 == 1.0


@pytest.mark.parametrize("key_file", KEY_FILES, ids=lambda p: p.name.split(".")[0])
def test_every_subgroup_count_is_one_population_record(key_file: Path) -> None:
    key = load(key_file)
    found = extraction(pdf_of(key))
    labels = {t.table_id: t.label for t in found.tables}
    full = any(" / " in r["subgroup"] for r in key["populations"])
    got = [population_key(population_row(p, labels[p.table_id], full))
           for p in found.populations if labels[p.table_id] in key["tables"]]
    result = match((population_key(r) for r in key["populations"]), got)
    assert (result.missing, result.extra) == ((), ())


@pytest.mark.parametrize("key_file", KEY_FILES, ids=lambda p: p.name.split(".")[0])
def test_every_record_of_a_keyed_table_names_its_measure_and_statistic(key_file: Path) -> None:
    key = load(key_file)
    found = extraction(pdf_of(key))
    keyed = {t.table_id for t in found.tables if t.label in key["tables"]}
    records = [o for o in found.outcomes if o.table_id in keyed]
    assert records and all(o.measure and o.header for o in records)
    assert all(o.statistic.value for o in records)


def test_validator_reports_the_real_inconsistencies_and_nothing_false() -> None:
    found = extraction(SAMPLE_PDF)
    entries = load(KEYS / "dermine2019_review.inconsistencies.json")
    assert isinstance(entries, list)
    real = [e for e in entries if not e.get("agree", False)]
    rules = {"subgroup-sum": "subgroups-do-not-sum-to-n",
             "response-plus-stable-over-100": "response-plus-stable-over-100",
             "prose-vs-table": "prose-disagrees-with-table"}
    reported = [i for i in found.issues if i.rule in rules.values()]
    assert sorted(rules[e["rule"]] for e in real) == sorted(i.rule for i in reported)
    for entry in real:
        if entry["rule"] != "prose-vs-table":
            name = entry["study_label"].split(",")[0]
            assert any(name in i.message for i in reported if i.rule == rules[entry["rule"]])
    agreements = [e for e in entries if e.get("agree", False)]
    assert len([i for i in found.issues if i.rule == "prose-agrees-with-table"]) == len(
        agreements)
