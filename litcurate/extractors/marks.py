"""Footnote marks: which characters journals set after a value or a heading to point
at a note, and how a raised (superscript) mark is told from the text it follows.

The set is declared once here. Sites that accept only part of it say which part by
name: a full-size '$' is not taken for a mark when stripping values, as only a raised
one is known to be.
"""

from __future__ import annotations

import re

from litcurate.extractors.pdf.document import Word

NOTE_SYMBOLS = "*$†‡§¶#"  # every symbol a legend may define ("* p < 0.05", "$ Mean")
FULL_SIZE_SYMBOLS = NOTE_SYMBOLS.replace("$", "")  # marks even when printed at full size
NOTE_LETTERS = "abcd"  # letters a legend may define ("a Median")

SUPERSCRIPT_RATIO = 0.8  # a word this much smaller than its neighbour is a mark
MAIN_SIZE_RATIO = 0.9  # words at least this share of the largest size are the main text


def symbol_class(symbols: str = NOTE_SYMBOLS) -> str:
    """Given mark symbols, return the regular-expression class matching one of them."""
    return f"[{re.escape(symbols)}]"


def is_mark(word: Word, neighbour: Word) -> bool:
    """Given a word and the main-size word it touches, is it a superscript mark?"""
    return word.size < neighbour.size * SUPERSCRIPT_RATIO and word.bottom < neighbour.bottom - 0.5
