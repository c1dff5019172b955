"""Study labels -> author, year, suffix, citation: "Ho et al. 2007", "Kennedy (2008) [64]"."""

from __future__ import annotations

import re
from dataclasses import dataclass

_LABEL = re.compile(
    r"^(?P<author>[^\d\[\](),;]+?)\s*(?:et\s+al\.?)?\s*[,;]?\s*\(?\s*"
    r"(?P<year>(?:19|20)\d{2})(?P<suffix>[a-z]?)\s*\)?\s*(?:\[(?P<cite>\d+)\]|(?P<sup>\d+))?\s*$"
)
_CITATION_ONLY = re.compile(r"\[(\d+)\]")


@dataclass(frozen=True)
class StudyLabel:
    """A parsed study label; ``author`` empty when the label does not look like one."""

    raw: str
    author: str = ""
    year: int | None = None
    suffix: str = ""
    citation: int | None = None


def parse_study_label(raw: str) -> StudyLabel:
    """Given the text of a study cell, return author, year, suffix and citation number."""
    text = " ".join(raw.split())
    match = _LABEL.match(text)
    if not match:
        cite = _CITATION_ONLY.search(text)
        return StudyLabel(raw=text, citation=int(cite.group(1)) if cite else None)
    author = re.sub(r"\s*et\s+al\.?$", "", match["author"].strip(" ,;")).strip()
    citation = match["cite"] or match["sup"]
    return StudyLabel(
        raw=text,
        author=author,
        year=int(match["year"]),
        suffix=match["suffix"] or "",
        citation=int(citation) if citation else None,
    )
