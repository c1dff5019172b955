"""Estimates whose interval or spread the table prints in a column of its own.

"AOR | 95% CI" with "0.437 | 0.228–0.835", "Coefficient | Standard Error | Lower |
Upper": the second cells carry no statistic of their own; they complete the estimate to
their left. One fact is one record, so such a companion cell's numbers go into that
estimate (``low``/``high``, ``se``/``sd``) and the record says where they came from
(``flags``: ``low-high:c5``). A companion with no estimate beside it stays a record.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from litcurate.extractors.evidence.header_meaning import Meaning
from litcurate.schemas import Interval, Outcome, Statistic

_LOWER = re.compile(r"\b(?:lower|lo|ll|min)\b", re.IGNORECASE)
_UPPER = re.compile(r"\b(?:upper|up|ul|max)\b", re.IGNORECASE)


def companion_kind(meaning: Meaning) -> str:
    """What a column adds to the estimate before it: "interval", "low", "high", "sd",
    "se", or "" (a column of values in its own right)."""
    if meaning.centre:
        return ""
    if meaning.interval:
        if _LOWER.search(meaning.words):
            return "low"
        if _UPPER.search(meaning.words):
            return "high"
        return "interval"
    return meaning.spread


def _fits(kind: str, record: Outcome) -> bool:
    if kind == "interval":
        return record.value is None and record.low is not None and record.high is not None
    return record.value is not None and record.low is None and record.high is None


def _takes(kind: str, estimate: Outcome) -> bool:
    if estimate.value is None or estimate.statistic in {Statistic.P_VALUE,
                                                        Statistic.NOT_REPORTED}:
        return False
    field = {"interval": "low", "low": "low", "high": "high"}.get(kind, kind)
    return getattr(estimate, field) is None


def attach_companions(records: Sequence[Outcome], kinds: dict[int, str]) -> list[Outcome]:
    """One row's records with companion cells folded into the estimate to their left."""
    kept: list[Outcome] = []
    for record in records:
        kind = kinds.get(record.col, "")
        estimate = _estimate_for(kind, record, kept, kinds) if kind else None
        if not kind or not _fits(kind, record) or estimate is None:
            kept.append(record)
            continue
        update: dict[str, object] = {"flags": (*estimate.flags, f"{kind}:c{record.col}")}
        if kind == "interval":
            update.update(low=record.low, high=record.high, interval=record.interval)
        elif kind in {"low", "high"}:
            update[kind] = record.value
            interval = _interval_of(record)
            if interval is not Interval.NONE:
                update["interval"] = interval
        else:
            update[kind] = record.value
        kept[kept.index(estimate)] = estimate.model_copy(update=update)
    return kept


def _estimate_for(kind: str, record: Outcome, kept: Sequence[Outcome],
                  kinds: dict[int, str]) -> Outcome | None:
    """The estimate a companion completes: one to its left that still lacks what it adds,
    preferring one that already took a companion ("Coefficient | SE | T | P | Lower":
    the bounds go to the coefficient, not to T), else the nearest."""
    candidates = [r for r in reversed(kept) if r.col < record.col and not kinds.get(r.col)
                  and _takes(kind, r)]
    completed = [r for r in candidates if any(":c" in flag for flag in r.flags)]
    found = completed or candidates
    return found[0] if found else None


def _interval_of(record: Outcome) -> Interval:
    return Interval.CI95 if "95" in record.header else Interval.CI if "CI" in record.header \
        or "onfidence" in record.header else Interval.NONE
