"""Named validation rules over outcome and population records."""

from __future__ import annotations

from litcurate.extractors.evidence.validation import (
    check_arms,
    check_disjoint_sums,
    check_durations,
    check_percentages,
    check_subgroup_counts,
    rejected_ids,
)
from litcurate.schemas import Outcome, Population, Severity, ValueKind

BOX = {"page": 7, "x0": 0.0, "top": 0.0, "x1": 1.0, "bottom": 1.0}


def outcome(measure: str, value: float, *, unit: str = "%", arm: str = "", n: int = 46,
            flags: tuple[str, ...] = (), study: str = "Ho, 2007") -> Outcome:
    return Outcome(outcome_id=f"{study}:{arm}:{measure}:{value}", paper_id="p",
                   table_id="p:table-1", study_label=study, measure_id=measure, value=value,
                   kind=ValueKind.NUMBER, unit=unit, group=arm, n=n, flags=flags, row=1, col=1,
                   **BOX)


def test_a_percentage_over_100_is_an_error_that_keeps_the_record_out() -> None:
    bad = outcome("tumour_response", 145)
    issues = check_percentages([bad, outcome("stable_disease", 45)])
    assert [(i.rule, i.severity) for i in issues] == [("percentage-out-of-range",
                                                        Severity.ERROR)]
    assert rejected_ids(issues) == {bad.outcome_id}


def test_negative_months_are_an_error() -> None:
    assert [i.rule for i in check_durations([outcome("pfs", -3, unit="months")])] == [
        "negative-duration"]


def test_response_plus_stable_over_100_is_a_warning_per_arm() -> None:
    issues = check_disjoint_sums([
        outcome("tumour_response", 46, arm="SIR"), outcome("stable_disease", 67, arm="SIR"),
        outcome("tumour_response", 30, arm="TheraSphere"),
        outcome("stable_disease", 40, arm="TheraSphere")])
    assert [(i.rule, i.severity) for i in issues] == [("response-plus-stable-over-100",
                                                        Severity.WARNING)]
    assert "113%" in issues[0].message


def test_subgroups_short_of_n_are_reported() -> None:
    populations = [Population(population_id=f"p{i}", paper_id="p", table_id="p:table-1",
                              study_label="Hur, 2013", subgroup=f"Tumor Type / {name}", n=n,
                              row=1, col=i, **BOX)
                   for i, (name, n) in enumerate([("Small Bowel", 22), ("Pancreas", None)])]
    issues = check_subgroup_counts(populations, [outcome("os", 39, study="Hur, 2013")])
    assert [i.message for i in issues] == ["Hur, 2013: Tumor Type counts sum to 22, N is 46"]


def test_stacked_values_without_matching_arms_are_reported_once() -> None:
    flagged = [outcome("os", v, arm=f"line {i}", flags=("arm-unmatched",))
               for i, v in enumerate([12, 14, 16])]
    assert [i.rule for i in check_arms(flagged)] == ["arms-do-not-match-values"]


def test_trial_arms_must_add_up_to_the_total_column() -> None:
    from litcurate.extractors.evidence.row_tables import check_arm_totals

    arms = {1: ("Lifestyle advice", 974), 2: ("Standard care", 950), 3: ("Total", 1924)}
    assert check_arm_totals("p", "p:table-1", "Table 1", 7, arms) == []
    arms[3] = ("Total", 1930)
    (issue,) = check_arm_totals("p", "p:table-1", "Table 1", 7, arms)
    assert issue.rule == "arms-do-not-sum-to-n" and "1924" in issue.message
