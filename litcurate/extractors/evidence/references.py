"""Study labels -> the review's bibliography entries they cite.

A table row names a study as "Kennedy (2008) [64]" or just "Carrasco, 1986". The
number, when printed, points straight at the bibliography; otherwise the entry is the
one that starts with the author's surname (or a near spelling of it) and carries the
year, when exactly one does.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from litcurate.extractors.evidence.study_labels import StudyLabel

NEAR_NAME = 85  # rapidfuzz ratio for a surname spelled slightly differently


def _surname(author: str) -> str:
    words = re.findall(r"[A-Za-zÀ-ÿ'\-]+", author)
    return words[0] if words else ""


def resolve_reference(label: StudyLabel, references: dict[int, str]) -> int | None:
    """Given a parsed study label and the numbered bibliography, return the entry's number."""
    if label.citation is not None and label.citation in references:
        return label.citation
    surname = _surname(label.author)
    if not surname or label.year is None:
        return None
    year = str(label.year)
    dated = {number: text for number, text in references.items() if year in text}
    exact = [n for n, text in dated.items() if _surname(text).casefold() == surname.casefold()]
    if len(exact) == 1:
        return exact[0]
    # Tables misspell names ("Ezzidin" for "Ezziddin"): a near surname and the year.
    near = [n for n, text in dated.items()
            if fuzz.ratio(_surname(text).casefold(), surname.casefold()) >= NEAR_NAME]
    return near[0] if not exact and len(near) == 1 else None
