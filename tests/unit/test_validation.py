"""Named validation rules over outcome and population records."""

from __future__ import annotations

from litcurate.extractors.evidence.validation import (
    check_arms,
    check_disjoint_sums,
    check_durations,
    check_percentages,
    check_subgroup_counts,
    check_unparsed_values,
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


def typed(statistic: str, raw: str, **numbers: float) -> Outcome:
    from litcurate.schemas import Statistic
    return Outcome(outcome_id=f"o:{raw}", paper_id="p", table_id="p:table-2", row_label="Age",
                   statistic=Statistic(statistic), kind=ValueKind.NUMBER, raw_text=raw, row=1,
                   col=1, **numbers, **BOX)


def test_typed_rules_hold_in_any_field() -> None:
    from litcurate.extractors.evidence.validation import check_typed_values
    records = [
        typed("events", "70/65", value=70, total=65),
        typed("or", "0 (0.5-1.2)", value=0, low=0.5, high=1.2),
        typed("hr", "2.1 (2.5-3.0)", value=2.1, low=2.5, high=3.0),
        typed("p_value", "1.4", value=1.4, p=1.4),
        typed("count", "20 (50)", value=20, percent=50, total=100),
        typed("events", "22/65", value=22, total=65),
        typed("or", "1.84 (1.43-2.36)", value=1.84, low=1.43, high=2.36, p=0.01),
        typed("count", "20 (20.4)", value=20, percent=20.4, total=98),
    ]
    rules = sorted((i.rule, i.record_id) for i in check_typed_values(records))
    assert rules == sorted([
        ("events-over-total", "o:70/65"),
        ("ratio-not-positive", "o:0 (0.5-1.2)"),
        ("bounds-out-of-order", "o:0 (0.5-1.2)"),
        ("bounds-out-of-order", "o:2.1 (2.5-3.0)"),
        ("p-out-of-range", "o:1.4"),
        ("percent-disagrees-with-count", "o:20 (50)"),
    ])


def test_a_percentage_field_over_100_is_out_of_range_but_a_target_overshoot_is_not() -> None:
    over = typed("percent", "145%", value=145)
    target = typed("events", "62/60 (103.3)", value=62, total=60, percent=103.3)
    assert [i.record_id for i in check_percentages([over, target])] == ["o:145%"]


def _text(raw: str, col: int) -> Outcome:
    return outcome("", 0).model_copy(update={
        "outcome_id": f"t:{raw}", "value": None, "kind": ValueKind.TEXT, "raw_text": raw,
        "col": col})


def test_words_in_a_column_of_words_are_kept_unflagged_digits_or_numbers_flag_them() -> None:
    """A registry's "Recruiting" describes; "12·5 (3·2)" or "Time" among numbers is a
    value the grammar could not read."""
    numbers = outcome("pfs", 14).model_copy(update={"col": 2})
    flagged = check_unparsed_values([
        _text("Recruiting", 1), _text("Gustave Roussy", 1),  # a column of words
        _text("Time (minutes)", 2), numbers,  # words among numbers
        _text("12·5 (3·2)", 3)])  # digits, unread
    assert sorted(i.record_id for i in flagged) == ["t:12·5 (3·2)", "t:Time (minutes)"]


def test_a_column_of_words_gives_no_outcomes_its_numbers_and_odd_cells_stay() -> None:
    from litcurate.extractors.evidence.row_tables import _without_word_columns

    numbers = outcome("pfs", 14).model_copy(update={"col": 2})
    kept = _without_word_columns([
        _text("Recruiting", 1), _text("Gustave Roussy", 1),  # words only: cells, not facts
        _text("Time (minutes)", 2), numbers,  # a word among numbers: kept and flagged
        _text("12·5 (3·2)", 3)])  # digits the grammar could not read: kept
    assert [o.outcome_id for o in kept] == ["t:Time (minutes)", numbers.outcome_id,
                                            "t:12·5 (3·2)"]
