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
    return names if _names_a_list(match[1], names) else ()


def _names_a_list(printed: str, names: tuple[str, ...]) -> bool:
    """Are these slashed words names of categories, not statistics ("n/N") or a unit
    ("kg/m2", "mL/min")?"""
    if len(names) < 2 or not all(names):
        return False
    whole = read_meaning(printed)
    return not (whole.centre or whole.unit
                or any(read_meaning(name).unit or read_meaning(name).centre for name in names))


def category_counts(text: str, names: tuple[str, ...]) -> list[tuple[str, str]]:
    """(category, printed count) for a cell printed as exactly one count per category,
    else []."""
    return _one_per_name(text, names, _SLASHED_COUNTS)


def _one_per_name(text: str, names: tuple[str, ...], shape: re.Pattern[str]
                  ) -> list[tuple[str, str]]:
    """(name, printed number) when the cell is slashed numbers of ``shape``, one per name."""
    printed = " ".join(text.split())
    if not names or shape.fullmatch(printed) is None:
        return []
    numbers = [n.strip() for n in printed.split("/")]
    return list(zip(names, numbers, strict=True)) if len(numbers) == len(names) else []


def measure_with_category(measure: str, label: str, category: str) -> str:
    """The measure for one category: the label's words before its list, and the
    category in brackets ("Gender (male)")."""
    stem = _TRAILING_LIST.sub("", " ".join(unicodedata.normalize("NFKC", label).split()))
    base = stem.strip(" ,;:") or measure
    return f"{base} ({category})"


# "Values are presented as control/obstructive sleep apnea": the legend names the groups
# every slashed cell of the table is printed for, in order.
_LEGEND_GROUPS = re.compile(
    r"\b(?:values|data|numbers|results|figures)\s+(?:are|were)\s+(?:\w+\s+)?(?:as|for)\s+"
    r"(?P<groups>[^.;:()]+?/[^.;:()]+?)\s*(?:[.;]|$)", re.IGNORECASE)
_SLASHED_VALUES = re.compile(r"-?\d+(?:\.\d+)?(?:\s*/\s*-?\d+(?:\.\d+)?)+")


def legend_groups(legend: str) -> tuple[str, ...]:
    """The groups a legend says each slashed value is printed for, in order, or ()."""
    match = _LEGEND_GROUPS.search(" ".join(unicodedata.normalize("NFKC", legend).split()))
    if match is None:
        return ()
    names = tuple(name.strip() for name in match["groups"].split("/"))
    return names if _names_a_list(match["groups"], names) else ()


def group_values(text: str, groups: tuple[str, ...]) -> list[tuple[str, str]]:
    """(group, printed value) for a cell printed as one value per legend group, else []."""
    return _one_per_name(text, groups, _SLASHED_VALUES)
