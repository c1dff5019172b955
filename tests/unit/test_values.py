from __future__ import annotations

import pytest

from litcurate.extractors.evidence.values import parse_value, strip_marks
from litcurate.schemas import ValueKind


@pytest.mark.parametrize(
    ("raw", "value", "low", "high", "kind"),
    [
        ("16", 16.0, None, None, ValueKind.NUMBER),
        ("22.5", 22.5, None, None, ValueKind.NUMBER),
        ("22,5", 22.5, None, None, ValueKind.NUMBER),
        ("5-36", None, 5.0, 36.0, ValueKind.RANGE),
        ("5–36", None, 5.0, 36.0, ValueKind.RANGE),
        ("24 (18-30)", 24.0, 18.0, 30.0, ValueKind.NUMBER),
        ("<1", 1.0, None, 1.0, ValueKind.LESS_THAN),
        (">60", 60.0, 60.0, None, ValueKind.GREATER_THAN),
        ("NR", None, None, None, ValueKind.NOT_REPORTED),
        ("n.a.", None, None, None, ValueKind.NOT_REPORTED),
        ("-", None, None, None, ValueKind.NOT_REPORTED),
        ("", None, None, None, ValueKind.EMPTY),
        ("Sponge", None, None, None, ValueKind.TEXT),
        ("30 ± 8", 30.0, None, None, ValueKind.NUMBER),
        ("16 ± NA", 16.0, None, None, ValueKind.NUMBER),
        ("8678.89 (2690.39)", 8678.89, None, None, ValueKind.NUMBER),
        ("0.29 (−0.06 to 0.65)", 0.29, -0.06, 0.65, ValueKind.NUMBER),
    ],
)
def test_parse_value(raw: str, value: float | None, low: float | None, high: float | None,
                     kind: ValueKind) -> None:
    parsed = parse_value(raw)
    assert (parsed.value, parsed.low, parsed.high, parsed.kind) == (value, low, high, kind)


def test_count_with_percentage_keeps_both() -> None:
    parsed = parse_value("12 (40%)")
    assert (parsed.value, parsed.count) == (40.0, 12.0)


def test_footnote_mark_is_not_glued_into_the_number() -> None:
    assert strip_marks("23$", ("$",)) == "23"
    assert parse_value("23$", ("$",)).value == 23.0


def test_symbol_marks_are_dropped_but_a_star_rating_stays() -> None:
    assert strip_marks("16 ± 1*", ()) == "16 ± 1"
    assert strip_marks("***", ()) == "***"
    assert parse_value("***").kind == ValueKind.TEXT
