"""Table headers -> column roles and outcome measures, from the measures vocabulary.

The vocabulary is data (``schemas/vocabularies/measures.yaml``), so adding a
synonym never needs code. Matching is on the flattened header path, most specific
part first ("Survival / Overall Survival (Month)" matches on "Overall Survival"),
exact or contained phrases before fuzzy matches, so a header naming one measure never
turns into a shorter, similar one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from litcurate.extractors.knowledge import load_data_file

MEASURES_FILE = "measures.yaml"
FUZZY_CUTOFF = 90.0
UNIT_PATTERNS = (
    (re.compile(r"\(\s*%\s*\)|\bpercent|%"), "%"),
    (re.compile(r"\bmonths?\b|\bmo\b", re.IGNORECASE), "months"),
    (re.compile(r"\byears?\b|\byr\b", re.IGNORECASE), "years"),
    (re.compile(r"\bdays?\b", re.IGNORECASE), "days"),
)


@dataclass(frozen=True)
class ColumnRole:
    """What a column holds: a role (study, n, ...) or a measure with its unit."""

    role: str  # study | year | n | intervention | descriptor | label | population | measure
    measure: str = ""
    unit: str = ""
    arm: str = ""  # a measure split by arm under it: "Age (yr), mean ± SD / Tea" -> "Tea"
    statistic: str = ""  # stated in the header: "mean ± SD" -> mean


@lru_cache(maxsize=1)
def _header_folds() -> tuple[tuple[str, str], ...]:
    """(from, to) spellings folded in headers and synonyms before they are compared."""
    return tuple((str(a), str(b)) for a, b in load_data_file("spellings.yaml")["header_folds"])


def _fold_spellings(text: str) -> str:
    for one, other in _header_folds():
        text = text.replace(one, other)
    return text


def _clean(text: str) -> str:
    text = re.sub(r"\([^)]*\)", " ", text.lower())
    text = re.sub(r"[*$†‡§¶#]", " ", text)
    return " ".join(_fold_spellings(text).split()).strip(" .,:")


def header_statistic(header: str) -> str:
    """'mean' or 'median' when the header says which ("Age (yr), mean ± SD")."""
    found = re.search(r"\b(mean|median)\b", header, re.IGNORECASE)
    return found.group(1).lower() if found else ""


def header_unit(header: str) -> str:
    """Unit stated in the header text itself, e.g. '(%)' or '(Month)'."""
    header = re.sub(r"\d+\s*%\s*(?:ci|confidence)", " ", header, flags=re.IGNORECASE)
    for pattern, unit in UNIT_PATTERNS:
        if pattern.search(header):
            return unit
    return ""


def _synonym_table() -> dict[str, tuple[str, str]]:
    """synonym -> (kind, id) for roles and measures."""
    vocabulary = load_data_file(MEASURES_FILE)
    table: dict[str, tuple[str, str]] = {}
    for role, synonyms in vocabulary["roles"].items():
        for synonym in synonyms:
            table[_clean(synonym)] = ("role", role)
    for measure in vocabulary["measures"]:
        for synonym in measure["synonyms"]:
            table[_clean(synonym)] = ("measure", measure["id"])
    return table


@lru_cache(maxsize=1)
def _synonyms() -> dict[str, tuple[str, str]]:
    return _synonym_table()


def _measure_unit(measure_id: str) -> str:
    for measure in load_data_file(MEASURES_FILE)["measures"]:
        if measure["id"] == measure_id:
            return str(measure.get("unit", ""))
    return ""


@lru_cache(maxsize=1)
def _synonym_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each synonym longer than three letters as a whole-word pattern, compiled once."""
    return tuple((s, re.compile(rf"\b{re.escape(s)}\b")) for s in _synonyms() if len(s) > 3)


def _match(part: str) -> tuple[str, str] | None:
    synonyms = _synonyms()
    cleaned = _clean(part)
    if not cleaned:
        return None
    if cleaned in synonyms:
        return synonyms[cleaned]
    contained = [s for s, pattern in _synonym_patterns() if pattern.search(cleaned)]
    if contained:
        return synonyms[max(contained, key=len)]
    best = process.extractOne(cleaned, list(synonyms), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
    return synonyms[best[0]] if best else None


@lru_cache(maxsize=8192)
def classify_header(header_path: str) -> ColumnRole:
    """Given a flattened header path, return the column's role or measure.

    Cached: a table asks for the same header (and each row label) many times."""
    parts = [p.strip() for p in header_path.split(" / ") if p.strip()]
    parents = {_clean(p) for p in load_data_file(MEASURES_FILE)["population_parents"]}
    if len(parts) >= 2 and _clean(parts[0]) in parents:
        return ColumnRole("population")
    for index in range(len(parts) - 1, -1, -1):
        part = parts[index]
        matched = _match(part)
        if matched is None:
            continue
        kind, identifier = matched
        if kind == "role":
            return ColumnRole(identifier)
        unit = header_unit(part) or header_unit(header_path) or _measure_unit(identifier)
        arm = " / ".join(parts[index + 1:])
        return ColumnRole("measure", identifier, unit, arm, header_statistic(part))
    return ColumnRole("measure", "unmapped", header_unit(header_path))
