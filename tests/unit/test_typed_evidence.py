"""The value grammar, header conventions and typing of evidence, on tiny inputs."""

from __future__ import annotations

import pytest

from litcurate.extractors.evidence.fact_types import type_fact
from litcurate.extractors.evidence.header_meaning import (
    legend_meaning,
    merge_meanings,
    read_meaning,
)
from litcurate.extractors.evidence.value_grammar import read_value, split_labelled
from litcurate.schemas import Statistic, ValueKind

NUMBERS = ("value", "low", "high", "total", "bracketed", "plus_minus", "p")


@pytest.mark.parametrize(("text", "expected"), [
    ("22/65", {"value": 22, "total": 65}),
    ("54.6 (8.5)", {"value": 54.6, "bracketed": 8.5}),
    ("1.84 (1.43–2.36)", {"value": 1.84, "low": 1.43, "high": 2.36}),
    ("24 [18, 30]", {"value": 24, "low": 18, "high": 30}),
    ("24 [18–30]", {"value": 24, "low": 18, "high": 30}),
    ("30 ± 8", {"value": 30, "plus_minus": 8}),
    ("5–36", {"low": 5, "high": 36}),
    ("33.8%", {"value": 33.8}),
    ("33.8 %", {"value": 33.8}),
    ("1,600", {"value": 1600}),
    ("22,5", {"value": 22.5}),
    ("−0.5 (−1.2 to 0.3)", {"value": -0.5, "low": -1.2, "high": 0.3}),
    ("-1.2--0.3", {"low": -1.2, "high": -0.3}),
    ("<0.001", {"value": 0.001}),
    ("≤5", {"value": 5}),
    ("2.05 (1.51–2.77)/<0.001", {"value": 2.05, "low": 1.51, "high": 2.77, "p": 0.001}),
    ("2.1 (1.2-3.4); P = 0.03", {"value": 2.1, "low": 1.2, "high": 3.4, "p": 0.03}),
    ("22/65 (33.8)", {"value": 22, "total": 65, "bracketed": 33.8}),
    ("45.3 ± 10.2 (20–80)", {"value": 45.3, "plus_minus": 10.2, "low": 20, "high": 80}),
])
def test_the_grammar_reads_every_printed_form(text: str, expected: dict[str, float]) -> None:
    reading = read_value(text)
    got = {name: getattr(reading, name) for name in NUMBERS if getattr(reading, name) is not None}
    assert not reading.unread and got == pytest.approx(expected)


@pytest.mark.parametrize("text", ["NR", "ND", "NA", "n.a.", "–", "-", "/", "not reported"])
def test_not_reported_forms(text: str) -> None:
    assert read_value(text).not_reported


def test_a_cell_label_and_an_operator_are_kept() -> None:
    hazard = read_value("HR 2.05 (1.51–2.77)/<0.001")
    assert (hazard.label, hazard.p_op) == ("HR", "<")
    assert read_value("<0.001").op == "<" and read_value("≥ 65").op == ">="
    assert read_value("12 (40%)").bracketed_percent


def test_several_labelled_values_in_one_cell_are_split() -> None:
    assert split_labelled("CRA (560), Proximal adenomas (254)") == [
        "CRA (560)", "Proximal adenomas (254)"]
    assert split_labelled("12 (40%)") == ["12 (40%)"]


@pytest.mark.parametrize("text", ["abc", "5-3", "1.2.3"])
def test_what_the_grammar_cannot_read_is_unread_not_guessed(text: str) -> None:
    assert read_value(text).unread


@pytest.mark.parametrize(("header", "centre", "interval", "unit", "words"), [
    ("Mean age (range), years", "mean", "range", "years", "age"),
    ("Age [years]", "", "", "years", "Age"),
    ("(n/N)", "events", "", "", ""),
    ("Male (%)", "percent", "", "%", "Male"),
    ("n (%)", "count", "", "%", ""),
    ("OR (95% CI)", "or", "ci95", "", ""),
    ("HR (95 % CI)/P value", "hr", "ci95", "", ""),
    ("I2 (%)", "i2", "", "%", ""),
    ("Heterogeneity test (I2, P)", "i2", "", "", "Heterogeneity test"),
    ("median (IQR)", "median", "iqr", "", ""),
    ("Follow-up [months]", "", "", "months", "Follow-up"),
    ("Cases / n (%)", "count", "", "%", "Cases"),
    ("TAE or TACE", "", "", "", "TAE or TACE"),
    # an initial is part of a name, not a count or a P
    ("Greenboro, N. Carolina 1930", "", "", "", "Greenboro, N. Carolina 1930"),
    ("P. falciparum, n (%)", "count", "", "%", "P. falciparum"),
    ("Iowa (N.A.)", "", "", "", "Iowa (N.A.)"),
])
def test_header_conventions(header: str, centre: str, interval: str, unit: str,
                            words: str) -> None:
    meaning = read_meaning(header)
    assert (meaning.centre, meaning.interval, meaning.unit, meaning.words) == (
        centre, interval, unit, words)


def test_a_header_naming_a_p_beside_an_estimate_says_so() -> None:
    assert read_meaning("HR (95 % CI)/P value").with_p
    assert not read_meaning("P value").with_p and read_meaning("P value").centre == "p_value"


@pytest.mark.parametrize(("legend", "centre", "spread"), [
    ("Values are mean ± SD.", "mean", "sd"),
    ("Data are n (%) unless stated otherwise.", "count", ""),
    ("Median (IQR).", "median", ""),
    ("Abbreviations: BMI, body mass index.", "", ""),
])
def test_legend_sentences_declare_the_statistic(legend: str, centre: str, spread: str) -> None:
    meaning = legend_meaning(legend)
    assert (meaning.centre, meaning.spread) == (centre, spread)


def typed(cell: str, *sources: str) -> tuple[str, dict[str, float]]:
    reading = read_value(cell)
    meaning = merge_meanings([read_meaning(reading.label), *map(read_meaning, sources)])
    fact = type_fact(reading, meaning)
    numbers = {name: getattr(fact, name) for name in
               ("value", "low", "high", "total", "sd", "se", "percent", "p")
               if getattr(fact, name) is not None}
    return fact.statistic.value, numbers


@pytest.mark.parametrize(("cell", "header", "statistic", "numbers"), [
    ("22/65", "", "events", {"value": 22, "total": 65}),
    ("670 (62)", "n (%)", "count", {"value": 670, "percent": 62}),
    ("12 (40%)", "", "count", {"value": 12, "percent": 40}),
    ("54.6 (8.5)", "Mean (SD)", "mean", {"value": 54.6, "sd": 8.5}),
    ("30 ± 8", "Age (yr), mean ± SD", "mean", {"value": 30, "sd": 8}),
    ("1.84 (1.43–2.36)", "OR (95% CI)", "or", {"value": 1.84, "low": 1.43, "high": 2.36}),
    ("HR 2.05 (1.51–2.77)/<0.001", "Variable", "hr",
     {"value": 2.05, "low": 1.51, "high": 2.77, "p": 0.001}),
    ("<0.001", "P value", "p_value", {"value": 0.001, "p": 0.001}),
    ("45", "I2 (%)", "i2", {"value": 45}),
    ("5–36", "Range", "range", {"low": 5, "high": 36}),
    ("62", "Male (%)", "percent", {"value": 62}),
])
def test_each_source_of_meaning_types_the_value(cell: str, header: str, statistic: str,
                                                numbers: dict[str, float]) -> None:
    got_statistic, got_numbers = typed(cell, header)
    assert got_statistic == statistic and got_numbers == pytest.approx(numbers)


def test_an_unnamed_statistic_stays_unspecified_and_keeps_its_bracket() -> None:
    reading = read_value("54.6 (8.5)")
    fact = type_fact(reading, read_meaning("Age"))
    assert fact.statistic == Statistic.UNSPECIFIED and fact.sd is None
    assert "bracketed:8.5" in fact.flags


def test_not_reported_and_unread_cells_keep_their_shape() -> None:
    assert type_fact(read_value("NR"), read_meaning("OR")).kind == ValueKind.NOT_REPORTED
    assert type_fact(read_value("see text"), read_meaning("OR")).kind == ValueKind.TEXT


def test_a_cell_of_several_values_takes_each_meaning_its_row_names() -> None:
    from litcurate.extractors.evidence.cell_facts import read_facts
    from litcurate.extractors.tables.legend import Legend
    row = read_meaning("Age (mean (SD); median (IQR))")
    facts = read_facts("46.6 (11.3); 47.5 (38.3 - 55.4)", (), [read_meaning("Total"), row],
                       Legend())
    assert [(f.statistic.value, f.value, f.sd, f.low, f.high) for _, _, f, _ in facts] == [
        ("mean", 46.6, 11.3, None, None), ("median", 47.5, None, 38.3, 55.4)]


def test_a_legend_defines_the_statistic_of_the_columns_it_names() -> None:
    from litcurate.extractors.evidence.header_meaning import defined_meaning, legend_definitions
    definitions = legend_definitions(
        "Values are mean ± SD and treatment effects are differences in means (with 95% "
        "confidence interval and P-value).")
    assert defined_meaning("Adjusted treatment effect / 95% CI", definitions).centre == "md"
    assert defined_meaning("Standard care (n = 928)", definitions).centre == ""


def test_an_interval_in_a_column_of_its_own_completes_the_estimate() -> None:
    from litcurate.extractors.evidence.companions import attach_companions, companion_kind
    from litcurate.schemas import Outcome
    box = {"page": 1, "x0": 0.0, "top": 0.0, "x1": 1.0, "bottom": 1.0}
    estimate = Outcome(outcome_id="a", paper_id="p", table_id="t", statistic=Statistic.OR,
                       value=0.437, kind=ValueKind.NUMBER, row=1, col=3, **box)
    interval = Outcome(outcome_id="b", paper_id="p", table_id="t", statistic=Statistic.RANGE,
                       low=0.228, high=0.835, kind=ValueKind.RANGE, row=1, col=4, **box)
    p_value = Outcome(outcome_id="c", paper_id="p", table_id="t", statistic=Statistic.P_VALUE,
                      value=0.01, p=0.01, kind=ValueKind.NUMBER, row=1, col=5, **box)
    kinds = {3: companion_kind(read_meaning("AOR")), 4: companion_kind(read_meaning("95% CI")),
             5: companion_kind(read_meaning("P value"))}
    kept = attach_companions([estimate, interval, p_value], kinds)
    assert [(r.outcome_id, r.low, r.high) for r in kept] == [("a", 0.228, 0.835),
                                                             ("c", None, None)]
    assert "interval:c4" in kept[0].flags


def test_bracketed_second_lines_of_a_wrapped_row_rejoin_their_values() -> None:
    from litcurate.extractors.evidence.row_tables import fold_bracket_rows
    from litcurate.schemas import Cell
    box = {"page": 1, "x0": 0.0, "top": 0.0, "x1": 1.0, "bottom": 1.0}

    def cell(row: int, col: int, text: str) -> Cell:
        return Cell(table_id="t", row=row, col=col, text=text, **box)

    rows = [[cell(1, 0, "Rapid"), cell(1, 1, "93.8%")],
            [cell(2, 0, "malaria test"), cell(2, 1, "(87.1–100)")],
            [cell(3, 0, "Other"), cell(3, 1, "(12)")]]
    folded = fold_bracket_rows(rows, [0])
    assert [[c.text for c in row] for row in folded] == [
        ["Rapid malaria test", "93.8% (87.1–100)"], ["Other", "(12)"]]


def test_a_star_rating_counts_its_stars_as_a_score() -> None:
    reading = read_value("***")
    assert (reading.value, reading.stars) == (3.0, True)
    assert type_fact(reading, read_meaning("Selection")).statistic == Statistic.SCORE


def test_rows_above_the_first_study_are_reported_not_dropped() -> None:
    from litcurate.extractors.evidence.study_tables import _rows_before_a_study
    from litcurate.extractors.tables.extract import ExtractedTable
    from litcurate.schemas import Cell, Table
    box = {"page": 1, "x0": 0.0, "top": 0.0, "x1": 1.0, "bottom": 1.0}
    table = Table(table_id="p:table-1", paper_id="p", label="Table 1", pages=(1,), n_rows=3,
                  n_cols=2, n_header_rows=1, **box)
    rows = [[Cell(table_id="p:table-1", row=1, col=0, text="", **box),
             Cell(table_id="p:table-1", row=1, col=1, text="45", **box)],
            [Cell(table_id="p:table-1", row=2, col=0, text="Smith 2010", **box),
             Cell(table_id="p:table-1", row=2, col=1, text="12", **box)]]
    extracted = ExtractedTable(table=table, cells=[c for r in rows for c in r], regions=[],
                               header_paths=("Study", "N"))
    issues = _rows_before_a_study("p", extracted, rows, 0)
    assert [(i.rule, i.record_id) for i in issues] == [("cell-not-read", "p:table-1")]
    assert "'45'" in issues[0].message


def test_an_indented_stub_puts_rows_under_the_row_above() -> None:
    from litcurate.extractors.evidence.row_tables import _row_names, _Rows, indent_levels
    from litcurate.schemas import Cell

    def cell(row: int, x0: float, text: str) -> Cell:
        return Cell(table_id="t", row=row, col=0, text=text, page=1, x0=x0, top=row * 10.0,
                    x1=x0 + 40, bottom=row * 10.0 + 8)

    stubs = [cell(1, 50, "Age"), cell(2, 58, "<30"), cell(3, 58, "≥30"), cell(4, 50, "Male")]
    state = _Rows({}, indents=indent_levels([[c] for c in stubs]))
    names = [_row_names(state, {0: c}, [0], True) for c in stubs]
    assert names == [((), "Age"), (("Age",), "<30"), (("Age",), "≥30"), ((), "Male")]
    ragged = [cell(i, 50 + 7 * i, f"row {i}") for i in range(1, 6)]
    assert indent_levels([[c] for c in ragged]) == ()


def grid(header: list[str], body: list[list[str]], legend: str = "") -> object:
    """A tiny extracted table: one header row, body rows, one cell per column."""
    from litcurate.extractors.tables.extract import ExtractedTable
    from litcurate.schemas import Cell, Table

    def cell(row: int, col: int, text: str, is_header: bool = False) -> Cell:
        return Cell(table_id="p:table-2", row=row, col=col, text=text, is_header=is_header,
                    page=3, x0=60.0 * col + 50, top=12.0 * row, x1=60.0 * col + 100,
                    bottom=12.0 * row + 9, header_path=header[col] if is_header else "")

    cells = [cell(0, c, h, True) for c, h in enumerate(header)]
    cells += [cell(r + 1, c, text) for r, row in enumerate(body) for c, text in enumerate(row)]
    table = Table(table_id="p:table-2", paper_id="p", label="Table 2", footnotes=legend,
                  pages=(3,), n_rows=len(body) + 1, n_cols=len(header), n_header_rows=1,
                  page=3, x0=50, top=0, x1=500, bottom=300)
    return ExtractedTable(table=table, cells=cells, regions=[], header_paths=tuple(header))


def test_a_pooled_effects_table_with_subgroup_blocks() -> None:
    from litcurate.extractors.evidence.outcomes import grid_to_outcomes
    table = grid(["Comparison", "Studies", "OR (95% CI)", "I2 (%)", "P"], [
        ["Ethnicity:", "", "", "", ""],
        ["Caucasian", "6", "1.84 (1.43–2.36)", "45", "<0.001"],
        ["Asian", "3", "0.92 (0.70–1.21)", "0", "0.55"],
        ["Overall", "9", "1.40 (1.10–1.79)", "62", "0.007"],
    ])
    records = grid_to_outcomes("p", table).outcomes  # type: ignore[arg-type]
    caucasian = {r.header: r for r in records if r.row_label == "Caucasian"}
    odds = caucasian["OR (95% CI)"]
    assert (odds.statistic, odds.value, odds.low, odds.high, odds.interval) == (
        Statistic.OR, 1.84, 1.43, 2.36, "ci95")
    assert odds.row_path == ("Ethnicity",) and not odds.pooled
    assert caucasian["I2 (%)"].statistic == Statistic.I2
    assert (caucasian["P"].p, caucasian["P"].p_op) == (0.001, "<")
    assert all(r.pooled for r in records if r.row_label == "Overall")


def test_a_trial_table_with_arms_as_columns() -> None:
    from litcurate.extractors.evidence.outcomes import grid_to_outcomes
    table = grid(["Characteristic", "Intervention (n = 100)", "Control (n = 98)", "P"], [
        ["Age, years, mean (SD)", "54.6 (8.5)", "55.1 (9.0)", "0.70"],
        ["Male, n (%)", "62 (62.0)", "49 (50.0)", "0.09"],
        ["Events, n/N", "22/65", "30/64", "0.15"],
    ])
    records = grid_to_outcomes("p", table).outcomes  # type: ignore[arg-type]
    got = {(r.row_label.split(",")[0], r.group): r for r in records if r.group}
    age = got[("Age", "Intervention")]
    assert (age.statistic, age.value, age.sd, age.n, age.unit) == (
        Statistic.MEAN, 54.6, 8.5, 100, "years")
    male = got[("Male", "Control")]
    assert (male.statistic, male.value, male.percent, male.n) == (Statistic.COUNT, 49, 50, 98)
    events = got[("Events", "Intervention")]
    assert (events.statistic, events.value, events.total) == (Statistic.EVENTS, 22, 65)
    assert {r.statistic for r in records if r.header == "P"} == {Statistic.P_VALUE}


def test_group_sizes_are_read_from_headers_in_their_printed_forms() -> None:
    from litcurate.extractors.evidence.row_tables import arm_columns
    assert arm_columns(["Variable", "MC (68 cases)", "Alive (𝑛 = 38)", "Total (N = 99)",
                        "P"]) == {1: ("MC", 68), 2: ("Alive", 38), 3: ("Total", 99)}


def test_a_bare_p_stacked_over_a_labelled_estimate_joins_it() -> None:
    from litcurate.extractors.evidence.outcomes import grid_to_outcomes
    table = grid(["Variable", "Alive (n = 38)", "Expired (n = 13)", "p value and odds ratio"], [
        ["Gender (male)", "21", "8", "0.36\nOR 0.65 (0.18–1.24)"],
        ["Headache", "11", "3", "0.33"],
    ])
    records = grid_to_outcomes("p", table).outcomes  # type: ignore[arg-type]
    last = {r.row_label: r for r in records if r.header == "p value and odds ratio"}
    odds = last["Gender (male)"]
    assert (odds.statistic, odds.value, odds.low, odds.high, odds.p) == (
        Statistic.OR, 0.65, 0.18, 1.24, 0.36)
    assert last["Headache"].statistic == Statistic.P_VALUE
    assert sum(r.header == "p value and odds ratio" for r in records) == 2


def test_no_names_a_count_only_when_nothing_else_names_a_statistic() -> None:
    assert read_meaning("No / MS").centre == "count"
    assert read_meaning("Periodontitis / No / wt row%").centre == "percent"


def test_a_slashed_cell_under_a_list_of_categories_is_one_count_each() -> None:
    from litcurate.extractors.evidence.outcomes import grid_to_outcomes
    table = grid(["", "Adenoma (𝑛 = 21)", "Cancer (𝑛 = 63)", "𝑝 value"], [
        ["Age, years, median (range)", "69 (58–88)", "72 (50–89)", "0.635"],
        ["Gender (male/female)", "13/8", "44/19", "0.500"],
        ["Location (U/M/L)", "6/7/8", "13/22/28", "0.741"],
        ["Events (n/N)", "22/65", "30/64", "0.15"],
    ])
    records = grid_to_outcomes("p", table).outcomes  # type: ignore[arg-type]
    gender = [(r.measure, r.statistic, r.value) for r in records
              if r.row_label.startswith("Gender") and r.group == "Adenoma"]
    assert gender == [("Gender (male)", Statistic.COUNT, 13),
                      ("Gender (female)", Statistic.COUNT, 8)]
    assert [r.value for r in records if r.row_label.startswith("Location")
            and r.group == "Cancer"] == [13, 22, 28]
    events = [r for r in records if r.row_label.startswith("Events") and r.group == "Adenoma"]
    assert [(r.statistic, r.value, r.total) for r in events] == [(Statistic.EVENTS, 22, 65)]
    # The row's "(range)" belongs to its median, not to the P printed beside it.
    p_age = next(r for r in records if r.row_label.startswith("Age") and r.col == 3)
    assert (p_age.statistic, p_age.value, p_age.interval) == (Statistic.P_VALUE, 0.635, "")


def test_category_lists_are_the_papers_and_never_statistics() -> None:
    from litcurate.extractors.evidence.category_counts import category_counts, category_names
    assert category_names("Intestinal metaplasia (+/−)") == ("+", "−")
    assert category_names("Cases (n/N)") == ()
    assert category_names("Events/total") == ()
    assert category_counts("19/2", ("+", "−")) == [("+", "19"), ("−", "2")]
    assert category_counts("19/2/1", ("+", "−")) == []
    assert category_counts("19 (2)", ("+", "−")) == []


def test_a_legend_in_math_italics_declares_its_statistic() -> None:
    assert legend_meaning("Values are given as 𝑛 (%); ∗significant at 𝑝 < 0.05.").centre == "count"


def test_a_legend_naming_the_groups_of_slashed_values_splits_them() -> None:
    from litcurate.extractors.evidence.category_counts import group_values, legend_groups
    groups = legend_groups("Values are presented as control/patients with apnoea. BMI, body "
                           "mass index; NR, not recorded.")
    assert groups == ("control", "patients with apnoea")
    assert group_values("26.5/27", groups) == [("control", "26.5"),
                                               ("patients with apnoea", "27")]
    assert group_values("26.5", groups) == []
    assert legend_groups("Values are presented as n/N.") == ()
    assert legend_groups("Abbreviations: BMI, body mass index.") == ()


def test_a_bracketed_unit_is_not_a_list_of_categories() -> None:
    from litcurate.extractors.evidence.category_counts import category_names
    assert category_names("BMI (kg/m2)") == ()
    assert category_names("Clearance (mL/min)") == ()
    assert category_names("Location (U/M/L)") == ("U", "M", "L")


def test_legend_groups_type_each_value_by_its_column() -> None:
    from litcurate.extractors.evidence.outcomes import grid_to_outcomes
    table = grid(["Source", "No. of subjects", "BMI (kg/m2)"], [
        ["Ip et al. [4]", "30/30", "26.5/27"],
        ["Zhao et al. [7]", "36/32", "23/26"],
    ], legend="Values are presented as control/patients. BMI, body mass index.")
    records = grid_to_outcomes("p", table).outcomes  # type: ignore[arg-type]
    bmi = [(r.group, r.statistic, r.value) for r in records if r.header == "BMI (kg/m2)"]
    unspecified = Statistic.UNSPECIFIED
    assert bmi == [("control", unspecified, 26.5), ("patients", unspecified, 27),
                   ("control", unspecified, 23), ("patients", unspecified, 26)]
    assert all(r.total is None for r in records)
