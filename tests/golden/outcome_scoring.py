"""Outcome and population records against a hand-written answer key, as precision/recall."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from litcurate.schemas import Outcome, Population


def _number(value: Any) -> float | None:
    return None if value is None or value == "" else round(float(value), 4)


def outcome_key(record: dict[str, Any], with_header: bool = False) -> tuple[Any, ...]:
    """The fields a key pins down; the header (row label + column) only when it has one.

    The keys predate typed evidence: they pin value, bounds, shape, arm and the measure's
    vocabulary id, and of the statistic only what the legend declares ("$ Mean"); the
    typed fields are scored against tests/fixtures/evidence/ instead."""
    key = (record["table"], " ".join(record["study_label"].split()), record["arm"],
           record["intervention"], record["measure"], _number(record["value"]),
           _number(record["low"]), _number(record["high"]), record["kind"],
           "mean" if record["statistic"] == "mean" else "", record["n"])
    return (*key, " ".join(record["header"].split())) if with_header else key


def population_key(record: dict[str, Any]) -> tuple[Any, ...]:
    return (record["table"], " ".join(record["study_label"].split()), record["subgroup"],
            record["n"])


def outcome_row(o: Outcome, label: str) -> dict[str, Any]:
    return {"table": label, "study_label": o.study_label, "arm": o.group,
            "intervention": o.intervention, "measure": o.measure_id or "unmapped",
            "value": o.value,
            "low": o.low, "high": o.high, "kind": str(o.kind), "unit": o.unit,
            "statistic": str(o.statistic), "n": o.n, "header": o.header}


def population_row(p: Population, label: str, full_path: bool = False) -> dict[str, Any]:
    """A population as a key row: the subgroup's leaf ("Small Bowel") or its full path."""
    subgroup = p.subgroup if full_path else p.subgroup.split(" / ")[-1]
    return {"table": label, "study_label": p.study_label, "subgroup": subgroup, "n": p.n}


@dataclass(frozen=True)
class Match:
    expected: int
    got: int
    correct: int
    missing: tuple[tuple[Any, ...], ...]
    extra: tuple[tuple[Any, ...], ...]

    @property
    def f1(self) -> float:
        if not self.expected and not self.got:
            return 1.0
        precision = self.correct / self.got if self.got else 0.0
        recall = self.correct / self.expected if self.expected else 0.0
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def match(expected: Iterable[tuple[Any, ...]], got: Iterable[tuple[Any, ...]]) -> Match:
    want, have = Counter(expected), Counter(got)
    correct = sum((want & have).values())
    return Match(sum(want.values()), sum(have.values()), correct,
                 tuple(sorted((want - have).elements(), key=repr)),
                 tuple(sorted((have - want).elements(), key=repr)))
