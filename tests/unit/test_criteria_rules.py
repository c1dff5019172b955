"""The generic machinery under criteria.yaml and clinical_settings.yaml."""

from __future__ import annotations

import re

import pytest

from litcurate.extractors.statements.criteria import (
    criteria_rules,
    fill_slots,
    find_criteria,
    find_setting,
    operator_pattern,
)


def test_fill_slots_replaces_known_names_and_keeps_quantifiers() -> None:
    filled = fill_slots(r"\b{noun}\b[^.]{0,40}?{number}{3}", {"noun": "x", "number": "9"})
    assert filled == r"\bx\b[^.]{0,40}?9{3}"


def test_operator_pattern_keeps_the_data_order_and_escapes_phrases() -> None:
    pattern = re.compile(operator_pattern({"<=": "<=", "<": "<", "no more than": "<="}))
    match = pattern.match("<= 5")
    assert match is not None and match.group("op") == "<="
    assert pattern.fullmatch("no more than") is not None


def test_every_operator_phrase_has_a_comparison() -> None:
    assert set(criteria_rules().operators.values()) <= {"<", "<=", ">", ">=", "="}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("as 2nd-line treatment", "second-line"), ("in the first line", "first-line"),
     ("third- or fourth-line", "third-line"), ("a salvage option", "salvage"), ("none", "")],
)
def test_settings_come_from_the_rules_with_aliases(text: str, expected: str) -> None:
    assert find_setting(text) == expected


def test_an_age_criterion_reads_its_operator_from_data() -> None:
    found = find_criteria("patients aged over 65")
    assert [(f.variable, f.op, f.value, f.unit) for f in found] == [("age", ">", 65.0, "years")]


@pytest.mark.parametrize(("text", "expected"), [
    ("Metformin is contraindicated with an eGFR < 30 mL/min/1.73 m2.",
     [("egfr", "<", 30.0, "mL/min/1.73 m2")]),
    ("Endocrine therapy alone is an option for Ki-67 < 10% and age ≥ 65.",
     [("ki67_pct", "<", 10.0, "%"), ("age", ">=", 65.0, "years")]),
    ("Surgery is indicated for a BMI of at least 35 kg/m2.", [("bmi", ">=", 35.0, "kg/m2")]),
    ("Statins are recommended when LDL cholesterol is above 4.9 mmol/L.",
     [("ldl_cholesterol", ">", 4.9, "mmol/L")]),
    ("Screening is recommended in women aged 65 years or older.",
     [("age", ">=", 65.0, "years")]),
    ("Antibiotics must be given for at least 14 days.",
     [("treatment_duration_days", ">=", 14.0, "days")]),
    ("The difference was significant (p < 0.05).", []),
])
def test_any_printed_threshold_is_read_with_its_variable(text: str, expected: list[tuple[
        str, str, float, str]]) -> None:
    assert [(f.variable, f.op, f.value, f.unit) for f in find_criteria(text)] == expected
