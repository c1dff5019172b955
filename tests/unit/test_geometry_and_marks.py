"""Shared geometry and footnote marks: one overlap rule, one set of mark symbols."""

from __future__ import annotations

from litcurate.extractors.evidence.values import strip_marks
from litcurate.extractors.geometry import bounds, intersects, overlap, signed_overlap
from litcurate.extractors.marks import FULL_SIZE_SYMBOLS, NOTE_SYMBOLS, is_mark
from litcurate.extractors.pdf.document import Rule, Word
from litcurate.extractors.tables.legend import parse_legend


def test_overlap_is_zero_apart_and_signed_overlap_gives_the_gap() -> None:
    assert overlap(0.0, 10.0, 5.0, 20.0) == 5.0
    assert overlap(0.0, 10.0, 12.0, 20.0) == 0.0
    assert signed_overlap(0.0, 10.0, 12.0, 20.0) == -2.0


def test_a_zero_width_rule_inside_an_interval_intersects_it() -> None:
    assert intersects(5.0, 5.0, 0.0, 10.0)
    assert not intersects(0.0, 10.0, 10.0, 20.0)


def test_bounds_is_the_union_of_boxes() -> None:
    assert bounds([Rule(0, 5, 10, 6), Rule(4, 1, 20, 2)]) == (0, 1, 20, 6)


def test_full_size_symbols_are_the_note_symbols_but_the_dollar() -> None:
    assert set(FULL_SIZE_SYMBOLS) == set(NOTE_SYMBOLS) - {"$"}
    assert strip_marks("23$", ()) == "23$"
    assert strip_marks("23$", ("$",)) == "23"
    assert strip_marks("16 ± 1†", ()) == "16 ± 1"


def test_every_note_symbol_opens_a_legend_note() -> None:
    legend = parse_legend(" ".join(f"{mark} Note {i}." for i, mark in enumerate(NOTE_SYMBOLS)))
    assert set(legend.notes) == set(NOTE_SYMBOLS)


def test_a_raised_small_word_is_a_mark() -> None:
    value = Word("23", 0, 10, 10, 20, 10.0)
    assert is_mark(Word("a", 10, 9, 13, 15, 6.0), value)
    assert not is_mark(Word("a", 10, 10, 13, 20, 10.0), value)
