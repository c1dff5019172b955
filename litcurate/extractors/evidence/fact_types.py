"""A reading (numbers by position) + what the paper says they are -> one typed fact.

The meaning comes from, in order: tokens printed in the cell ("HR 2.05"), the column's
header path, the row's label (tables whose rows are variables: "Age, mean (SD)"), and
the legend ("Values are mean ± SD", "$ Mean"). The first source that names a statistic
decides it. A number the paper leaves unnamed stays unnamed: a bracketed number after a
centre whose kind no source states is kept in ``flags`` (``bracketed:8.5``), and the fact
is ``unspecified`` when nothing names its centre.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from litcurate.extractors.evidence.header_meaning import Meaning
from litcurate.extractors.evidence.value_grammar import Reading
from litcurate.schemas import Interval, PoolingModel, Statistic, ValueKind

_COUNTS = {"count", "events"}
_OP_KIND = {"<": ValueKind.LESS_THAN, "<=": ValueKind.LESS_THAN, ">": ValueKind.GREATER_THAN,
            ">=": ValueKind.GREATER_THAN}


@dataclass(frozen=True)
class Fact:
    """The typed fields of one published number-bearing fact (an ``Outcome`` without its
    place, study and labels)."""

    statistic: Statistic
    kind: ValueKind
    value: float | None = None
    low: float | None = None
    high: float | None = None
    interval: Interval = Interval.NONE
    total: float | None = None
    sd: float | None = None
    se: float | None = None
    percent: float | None = None
    p: float | None = None
    p_op: str = ""
    model: PoolingModel = PoolingModel.NONE
    unit: str = ""
    flags: tuple[str, ...] = field(default=())


def _kind(reading: Reading) -> ValueKind:
    if reading.op in _OP_KIND:
        return _OP_KIND[reading.op]
    if reading.value is None and reading.low is not None:
        return ValueKind.RANGE
    return ValueKind.NUMBER


def _bracketed(reading: Reading, meaning: Meaning, centre: str) -> tuple[str, dict[str, float]]:
    """The centre statistic and where the single bracketed number goes: a percentage
    (printed "%", or named "n (%)"), an SD / SE (named), or nowhere (kept as a flag)."""
    number = reading.bracketed
    assert number is not None
    if reading.bracketed_percent or meaning.with_percent or centre == "percent":
        return (centre if centre in _COUNTS else "count"), {"percent": number}
    if meaning.spread in {"sd", "se"}:
        return centre, {meaning.spread: number}
    return centre, {}


def _unit(centre: str, unit: str) -> str:
    """The value's unit: % for a percentage or I², none for counts and P values."""
    if centre in {"percent", "i2"}:
        return "%"
    if centre in _COUNTS | {"p_value"} or unit == "%":
        return ""
    return unit


def type_fact(reading: Reading, meaning: Meaning) -> Fact:
    """Given a cell value's reading and the merged meaning of its sources, the typed fact."""
    if reading.not_reported:
        return Fact(Statistic.NOT_REPORTED, ValueKind.NOT_REPORTED)
    if reading.unread or (reading.value is None and reading.low is None):
        return Fact(Statistic.UNSPECIFIED, ValueKind.TEXT,
                    flags=("reference",) if reading.reference else ())
    centre = meaning.centre or ("score" if reading.stars else "unspecified")
    numbers: dict[str, float] = {}
    flags: list[str] = []
    if reading.total is not None:
        centre = "events"
        numbers["total"] = reading.total
        if reading.bracketed is not None:
            numbers["percent"] = reading.bracketed
    elif reading.bracketed is not None:
        centre, numbers = _bracketed(reading, meaning, centre)
        if not numbers:
            flags.append(f"bracketed:{reading.bracketed:g}")
    elif reading.percent_sign and centre in {"unspecified", "count"}:
        centre = "percent"
    if reading.plus_minus is not None:
        spread = meaning.spread or ("sd" if centre in {"mean", "md"} else "")
        if spread:
            numbers[spread] = reading.plus_minus
        else:
            flags.append(f"plus-minus:{reading.plus_minus:g}")
    if reading.value is None and reading.low is not None and centre == "unspecified":
        centre = "range"
    interval = meaning.interval
    if reading.low is not None and not interval and centre == "range":
        interval = "range"
    if reading.reference:
        flags.append("reference")
    p, p_op = reading.p, reading.p_op
    if centre == "p_value":
        p, p_op = reading.value, reading.op or "="
    return Fact(
        statistic=Statistic(centre), kind=_kind(reading), value=reading.value,
        low=reading.low, high=reading.high,
        interval=Interval(interval) if reading.low is not None else Interval.NONE,
        total=numbers.get("total"), sd=numbers.get("sd"), se=numbers.get("se"),
        percent=numbers.get("percent"), p=p, p_op=p_op, model=PoolingModel(meaning.model),
        unit=_unit(centre, meaning.unit),
        flags=tuple(flags),
    )
