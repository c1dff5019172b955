"""Printed table values -> numbers with their shape: '22,5', '5-36', '24 (18-30)', '<1', 'NR',
'30 ± 8', '8678.89 (2690.39)'.

The raw text always travels with the parsed value, so a reviewer can see what the
paper printed next to what we understood.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from litcurate.extractors.marks import FULL_SIZE_SYMBOLS
from litcurate.schemas import ValueKind

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"
NOT_REPORTED = {"nr", "n.r.", "na", "n.a.", "n/a", "nd", "n.d.", "ne", "not reported",
                "not available", "-", "–", "—", "?"}
NUMBER = r"[-+]?\d+(?:[.,]\d+)?"
_RANGE = re.compile(rf"^(?P<low>{NUMBER})\s*(?:-|to)\s*(?P<high>{NUMBER})$")
_CENTRE_SPREAD = re.compile(rf"^(?P<value>{NUMBER})\s*%?\s*[(\[]\s*(?P<low>{NUMBER})\s*%?\s*"
                            rf"(?:-|to|,|;)\s*(?P<high>{NUMBER})\s*%?\s*[)\]]$")
_COUNT_PERCENT = re.compile(rf"^(?P<count>{NUMBER})\s*[(\[]\s*(?P<pct>{NUMBER})\s*%\s*[)\]]$")
_BOUND = re.compile(rf"^(?P<op><=|>=|<|>|≤|≥)\s*(?P<value>{NUMBER})\s*%?$")
_PLAIN = re.compile(rf"^(?P<value>{NUMBER})\s*%?$")
# "30 ± 8" and "8678.89 (2690.39)": a centre with its spread (SD or SE), not a range.
_CENTRE_SD = re.compile(
    rf"^(?P<value>{NUMBER})\s*%?\s*(?:±\s*(?:{NUMBER}|NA|NR)|[(\[]\s*{NUMBER}\s*[)\]])$")


@dataclass(frozen=True)
class ParsedValue:
    """A value as understood: number, bounds, kind; ``count`` when printed as '12 (40%)'."""

    value: float | None
    kind: ValueKind
    low: float | None = None
    high: float | None = None
    count: float | None = None


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def strip_marks(text: str, marks: tuple[str, ...]) -> str:
    """Remove footnote marks glued to a value ('23$' -> '23', '16 ± 1*' -> '16 ± 1')."""
    for mark in sorted(marks, key=len, reverse=True):
        if mark and text.endswith(mark):
            text = text[: -len(mark)]
    # Symbols may be printed at full size too, so they may not be known as marks.
    bare = text.rstrip(FULL_SIZE_SYMBOLS)
    # A mark follows a value; a cell of symbols only ("***", a star rating) is the value.
    return (bare if bare.strip() else text).strip()


def normalise_dashes(text: str) -> str:
    """Typographic dashes and minus signs -> '-', so '5–36' parses like '5-36'."""
    for dash in DASHES:
        text = text.replace(dash, "-")
    return text


def parse_value(raw: str, marks: tuple[str, ...] = ()) -> ParsedValue:
    """Given a printed value (one line of a cell), return what it means."""
    text = " ".join(strip_marks(raw, marks).split())
    if not text:
        return ParsedValue(None, ValueKind.EMPTY)
    if text.lower() in NOT_REPORTED or normalise_dashes(text) == "-":
        return ParsedValue(None, ValueKind.NOT_REPORTED)
    text = normalise_dashes(text)
    if match := _PLAIN.match(text):
        return ParsedValue(_number(match["value"]), ValueKind.NUMBER)
    if match := _COUNT_PERCENT.match(text):
        return ParsedValue(_number(match["pct"]), ValueKind.NUMBER, count=_number(match["count"]))
    if match := _CENTRE_SD.match(text):
        return ParsedValue(_number(match["value"]), ValueKind.NUMBER)
    if match := _CENTRE_SPREAD.match(text):
        return ParsedValue(_number(match["value"]), ValueKind.NUMBER, low=_number(match["low"]),
                           high=_number(match["high"]))
    if match := _RANGE.match(text):
        low, high = _number(match["low"]), _number(match["high"])
        if low <= high:
            return ParsedValue(None, ValueKind.RANGE, low=low, high=high)
    if match := _BOUND.match(text):
        value = _number(match["value"])
        if match["op"] in {"<", "<=", "≤"}:
            return ParsedValue(value, ValueKind.LESS_THAN, high=value)
        return ParsedValue(value, ValueKind.GREATER_THAN, low=value)
    return ParsedValue(None, ValueKind.TEXT)
