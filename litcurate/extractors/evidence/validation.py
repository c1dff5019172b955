"""Named validation rules over records: each ``check_*`` returns ``Issue`` records.

Errors keep a record out of the release, warnings keep it flagged; either way the
problem is listed in issues.csv with the rule's slug, so nothing vanishes silently.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from litcurate.extractors.knowledge import load_data_file
from litcurate.schemas import Issue, Outcome, Population, Severity, Statistic, ValueKind
from litcurate.schemas.issue_catalogue import make_issue

PERCENT_MEASURES_MAX = 100.0
DURATION_UNITS = {"months", "years", "days", "weeks", "hours", "minutes"}
DIFFERENCES = {Statistic.MD, Statistic.SMD, Statistic.RD}
YEAR_RANGE = (1900, 2100)


@dataclass(frozen=True)
class DisjointSum:
    """Measures counting disjoint patients of one arm (measures.yaml `disjoint_sums`)."""

    rule: str
    label: str
    measures: tuple[str, ...]


@cache
def disjoint_sums() -> tuple[DisjointSum, ...]:
    """The disjoint-sum rules of the measures vocabulary, parsed once."""
    return tuple(DisjointSum(str(entry["rule"]), str(entry["label"]),
                             tuple(str(m) for m in entry["measures"]))
                 for entry in load_data_file("measures.yaml").get("disjoint_sums", []))


def _at(outcome: Outcome) -> dict[str, Any]:
    """Where an outcome's issue points: its record, paper and page."""
    return {"record_id": outcome.outcome_id, "paper_id": outcome.paper_id, "page": outcome.page}


def _bounds(outcome: Outcome) -> list[float]:
    return [v for v in (outcome.value, outcome.low, outcome.high) if v is not None]


def _where(o: Outcome) -> str:
    """How an issue names a record's place: study or row, and measure."""
    row = o.study_label or " / ".join((*o.row_path, o.row_label))
    return " ".join(part for part in (row, o.group, o.measure) if part)


def _percentages(o: Outcome) -> list[float]:
    if o.statistic in {Statistic.PERCENT, Statistic.I2} or o.unit == "%":
        return [*_bounds(o), *([o.percent] if o.percent is not None else [])]
    return [o.percent] if o.percent is not None else []


def check_percentages(outcomes: Iterable[Outcome]) -> list[Issue]:
    """Percentages (and I²) must lie in 0-100: anything else is a misread cell.

    A percentage of a count over a target can pass 100 ("62/60 (103.3)"), so a count's
    own percentage is checked only against its total (``check_count_percentages``)."""
    return [
        make_issue("percentage-out-of-range", **_at(o), study=_where(o), measure="",
                   raw=o.raw_text)
        for o in outcomes
        if o.statistic not in {Statistic.EVENTS, Statistic.COUNT}
        and any(v < 0 or v > PERCENT_MEASURES_MAX for v in _percentages(o))
    ]


RATIOS = {Statistic.OR, Statistic.RR, Statistic.HR}
PERCENT_TOLERANCE = 1.0  # points: printed percentages are rounded, sometimes to integers


def check_typed_values(outcomes: Iterable[Outcome]) -> list[Issue]:
    """Rules every typed value obeys whatever the field: events <= total, low <= value <=
    high, ratios above 0, P within 0-1, a count's percentage over its denominator."""
    issues: list[Issue] = []
    for o in outcomes:
        fields = {**_at(o), "where": _where(o), "raw": o.raw_text}
        if o.statistic == Statistic.EVENTS and o.total is not None and o.value is not None \
                and o.value > o.total and o.percent is None:
            issues.append(make_issue("events-over-total", **fields))
        if _out_of_order(o):
            issues.append(make_issue("bounds-out-of-order", **fields))
        if o.statistic in RATIOS and any(v <= 0 for v in _bounds(o)):
            issues.append(make_issue("ratio-not-positive", **fields))
        if o.p is not None and not 0 <= o.p <= 1:
            issues.append(make_issue("p-out-of-range", **fields))
        if (mismatch := _percent_mismatch(o)) is not None:
            issues.append(make_issue("percent-disagrees-with-count", **fields, **mismatch))
    return issues


def _out_of_order(o: Outcome) -> bool:
    if o.low is None or o.high is None:
        return False
    if o.low > o.high:
        return True
    return o.value is not None and not o.low <= o.value <= o.high


def _percent_mismatch(o: Outcome) -> dict[str, Any] | None:
    """The count, denominator and computed percentage when a printed one disagrees."""
    if o.statistic not in {Statistic.COUNT, Statistic.EVENTS} or o.percent is None \
            or o.value is None:
        return None
    denominator = o.total if o.total is not None else o.n
    if not denominator:
        return None
    computed = 100.0 * o.value / denominator
    if abs(computed - o.percent) <= PERCENT_TOLERANCE:
        return None
    return {"printed": f"{o.percent:g}", "count": f"{o.value:g}",
            "denominator": f"{denominator:g}", "computed": f"{computed:.1f}"}


def check_durations(outcomes: Iterable[Outcome]) -> list[Issue]:
    """Months and years cannot be negative."""
    return [
        make_issue("negative-duration", **_at(o), study=_where(o), measure="",
                   raw=o.raw_text)
        for o in outcomes
        if o.unit in DURATION_UNITS and o.statistic not in DIFFERENCES
        and any(v < 0 for v in _bounds(o))
    ]


def check_years(outcomes: Iterable[Outcome]) -> list[Issue]:
    """A study year outside 1900-2100 is a parsing slip, not a date."""
    low, high = YEAR_RANGE
    return [
        make_issue("implausible-year", **_at(o), study=o.study_label, year=o.year)
        for o in outcomes if o.year is not None and not low <= o.year <= high
    ]


def numeric_columns(outcomes: Iterable[Outcome]) -> set[tuple[str, int]]:
    """(table, column) of every column where something was read as a number."""
    return {(o.table_id, o.col) for o in outcomes
            if o.kind not in {ValueKind.TEXT, ValueKind.NOT_REPORTED}}


def is_column_word(outcome: Outcome, numeric: set[tuple[str, int]]) -> bool:
    """Words without a digit in a column where nothing was read as a number (a trial
    registry's "Recruiting", a sponsor's name): no number was missed there, the column
    describes."""
    return (outcome.kind == ValueKind.TEXT and (outcome.table_id, outcome.col) not in numeric
            and not any(ch.isdigit() for ch in outcome.raw_text))


def check_unparsed_values(outcomes: Iterable[Outcome]) -> list[Issue]:
    """Values we could not read as numbers are kept as text, flagged for a curator;
    a column's words (``is_column_word``) are not flagged."""
    outcomes = list(outcomes)
    numeric = numeric_columns(outcomes)
    return [
        make_issue("unparsed-value", **_at(o), study=_where(o), measure=f"[{o.header}]",
                   raw=o.raw_text)
        for o in outcomes if o.kind == ValueKind.TEXT and "reference" not in o.flags
        and not is_column_word(o, numeric)
    ]


def check_disjoint_sums(outcomes: Sequence[Outcome]) -> list[Issue]:
    """Measures of disjoint patients (measures.yaml `disjoint_sums`) cannot pass 100% together."""
    return [issue for rule in disjoint_sums() for issue in _check_disjoint_sum(rule, outcomes)]


def _check_disjoint_sum(rule: DisjointSum, outcomes: Sequence[Outcome]) -> list[Issue]:
    """One warning per study arm whose values of all the rule's measures add up past 100%."""
    by_study: dict[tuple[str, str, str], dict[str, Outcome]] = defaultdict(dict)
    for o in outcomes:
        if o.measure_id in rule.measures and o.value is not None:
            by_study[(o.table_id, o.study_label, o.group)][o.measure_id] = o
    issues: list[Issue] = []
    for measures in by_study.values():
        if len(measures) == len(rule.measures):
            total = sum(m.value or 0.0 for m in measures.values())
            if total > PERCENT_MEASURES_MAX:
                first = measures[rule.measures[0]]
                issues.append(make_issue(rule.rule, **_at(first), study=first.study_label,
                                     measures=rule.label, total=total))
    return issues


def check_subgroup_counts(populations: Sequence[Population],
                          outcomes: Sequence[Outcome]) -> list[Issue]:
    """Subgroup counts of one study (by sex, by type, ...) should add up to its N."""
    n_by_study = {(o.table_id, o.study_label): o.n for o in outcomes if o.n is not None}
    groups: dict[tuple[str, str, str], list[Population]] = defaultdict(list)
    for p in populations:
        parent = p.subgroup.split(" / ")[0]
        groups[(p.table_id, p.study_label, parent)].append(p)
    issues: list[Issue] = []
    for (table_id, study, parent), members in sorted(groups.items()):
        n = n_by_study.get((table_id, study))
        total = sum(m.n or 0 for m in members)
        if n is not None and total and total != n:
            first = members[0]
            issues.append(make_issue(
                "subgroups-do-not-sum-to-n", record_id=first.population_id,
                paper_id=first.paper_id, page=first.page, study=study, parent=parent,
                total=total, n=n))
    return issues


def check_arms(outcomes: Sequence[Outcome]) -> list[Issue]:
    """Stacked values must match the arms the row names: more values than arms (or arms
    that cannot be told apart) leave records whose arm is only a line number."""
    seen: set[tuple[str, str, str]] = set()
    issues: list[Issue] = []
    for o in outcomes:
        key = (o.table_id, o.study_label, o.measure_id or o.measure)
        if "arm-unmatched" in o.flags and key not in seen:
            seen.add(key)
            issues.append(make_issue("arms-do-not-match-values", **_at(o), study=o.study_label,
                                 measure=o.measure_id or o.measure, arms=o.intervention_raw))
    return issues


def check_duplicate_ids(ids: Iterable[str], paper_id: str, kind: str) -> list[Issue]:
    """Two records with one id would collide in every diff: both are reported."""
    counts = Counter(ids)
    return [
        make_issue("duplicate-id", record_id=record_id, paper_id=paper_id, kind=kind,
                   record=record_id, count=count)
        for record_id, count in sorted(counts.items()) if count > 1
    ]


def check_outcomes(outcomes: Sequence[Outcome], populations: Sequence[Population],
                   paper_id: str) -> list[Issue]:
    """Every rule over one paper's outcome records."""
    return [
        *check_percentages(outcomes),
        *check_typed_values(outcomes),
        *check_durations(outcomes),
        *check_years(outcomes),
        *check_unparsed_values(outcomes),
        *check_disjoint_sums(outcomes),
        *check_subgroup_counts(populations, outcomes),
        *check_arms(outcomes),
        *check_duplicate_ids((o.outcome_id for o in outcomes), paper_id, "outcome"),
    ]


def rejected_ids(issues: Iterable[Issue]) -> set[str]:
    """Ids of records an error keeps out of the release."""
    return {i.record_id for i in issues if i.severity == Severity.ERROR}
