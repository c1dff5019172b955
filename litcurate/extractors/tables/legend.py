"""Table legends -> abbreviations and the meaning of footnote marks.

"BMI: Body mass index. ... * Response rates include complete and partial
responses. $ Mean." gives glossary pairs and {"*": definition, "$": mean}.
Both styles seen in journals are read: "ABBR: expansion." (MDPI) and
"ABBR expansion, ABBR expansion" (BMC).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from litcurate.extractors.marks import NOTE_LETTERS, NOTE_SYMBOLS
from litcurate.schemas import Statistic

_MARKS = re.escape(NOTE_SYMBOLS)
_MARK_NOTE = re.compile(rf"(?:^|(?<=\s))(?P<mark>[{_MARKS}]|[{NOTE_LETTERS}])\s+"
                        rf"(?P<note>[A-Z][^{_MARKS}]*?)(?=\s+[{_MARKS}]\s|$)")
# A letter mark set as a superscript is often glued to its note: "aMean ± SD. bMedian".
_GLUED_NOTE = re.compile(rf"(?:^|(?<=[.;]\s))(?P<mark>[{NOTE_LETTERS}])(?P<note>[A-Z][a-z][^.;]*)")
_COLON_PAIR = re.compile(
    r"(?P<abbr>[A-Za-z0-9][A-Za-z0-9+\-/]{0,12})\s*[:=]\s*(?P<exp>[^.:;]+?)[.;]")
_SPACE_PAIR = re.compile(r"(?P<abbr>[A-Za-z][A-Za-z0-9/]{0,8})\s+(?P<exp>[a-z][a-z \-]+)")
STATISTIC_WORDS = {"mean": Statistic.MEAN, "median": Statistic.MEDIAN}


@dataclass
class Legend:
    """What a legend says: abbreviation -> expansion, and mark -> note."""

    abbreviations: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    def statistic_for(self, marks: tuple[str, ...]) -> Statistic:
        """The statistic a cell's marks declare ('$' with note 'Mean' -> mean)."""
        for mark in marks:
            note = self.notes.get(mark, "").strip(" .").lower()
            if note in STATISTIC_WORDS:
                return STATISTIC_WORDS[note]
        return Statistic.UNSPECIFIED


def parse_legend(text: str) -> Legend:
    """Given a table's legend text, return its abbreviations and mark notes."""
    legend = Legend()
    text = " ".join(text.split())
    for match in _MARK_NOTE.finditer(text):
        legend.notes[match["mark"]] = match["note"].strip()
    body = _MARK_NOTE.sub(" ", text)
    if not legend.notes:
        for match in _GLUED_NOTE.finditer(text):
            legend.notes.setdefault(match["mark"], match["note"].strip())
    pairs = list(_COLON_PAIR.finditer(body))
    if pairs:
        for match in pairs:
            legend.abbreviations.setdefault(match["abbr"], match["exp"].strip())
    else:
        for chunk in re.split(r"[,;]\s*", body.strip(" .")):
            pair = _SPACE_PAIR.fullmatch(chunk.strip(" ."))
            if pair:
                legend.abbreviations.setdefault(pair["abbr"], pair["exp"].strip())
    return legend
