"""Counts per category printed as one slashed cell: "13/8" in the row "Gender (male/female)".

Rule 3 of the value grammar reads "x/y" as x events out of a total y. A label ending in a
bracketed list of category names, as many as the cell has slashed numbers ("Location
(U/M/L)" over "6/7/8", "Finding (+/−)" over "19/2"), says otherwise: each
number is the count of one category. The paper's own list decides; a list whose names
are statistics ("(n/N)", "(events/total)") is the n/N convention, not categories.
"""

from __future__ import annotations

import re
import unicodedata

from litcurate.extractors.evidence.header_meaning import Meaning, read_meaning

_TRAILING_LIST = re.compile(r"\(([^()]*/[^()]*)\)\s*$")
_SLASHED_COUNTS = re.compile(r"\d+(?:\s*/\s*\d+)+")
COUNT_MEANING = Meaning(statistics=("count",))


def category_names(label: str) -> tuple[str, ...]:
    """The categories a label lists at its end ("Gender (male/female)" -> male, female),
    or () when it lists none or its list names statistics."""
    match = _TRAILING_LIST.search(" ".join(unicodedata.normalize("NFKC", label).split()))
    if match is None:
        return ()
    names = tuple(name.strip() for name in match[1].split("/"))
    if len(names) < 2 or not all(names) or read_meaning(match[1]).centre:
        return ()
    return names


def category_counts(text: str, names: tuple[str, ...]) -> list[tuple[str, str]]:
    """(category, printed count) for a cell printed as exactly one count per category,
    else []."""
    printed = " ".join(text.split())
    if not names or _SLASHED_COUNTS.fullmatch(printed) is None:
        return []
    numbers = [n.strip() for n in printed.split("/")]
    return list(zip(names, numbers, strict=True)) if len(numbers) == len(names) else []


def measure_with_category(measure: str, label: str, category: str) -> str:
    """The measure for one category: the label's words before its list, and the
    category in brackets ("Gender (male)")."""
    stem = _TRAILING_LIST.sub("", " ".join(unicodedata.normalize("NFKC", label).split()))
    base = stem.strip(" ,;:") or measure
    return f"{base} ({category})"
