"""Header, row-label and legend text -> what the numbers under it are (``statistics.yaml``).

"n (%)" says a count with its percentage; "Mean age (range), years" a mean with a range,
in years, of age; "HR (95 % CI)/P value" a hazard ratio with its 95% CI and a P. A
header that names no statistic gives none: the value stays ``unspecified``. What is
left of the text once statistic, interval, spread and unit words are taken out is the
paper's own name for what is measured ("Age") or for the group ("Cases").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from litcurate.extractors.evidence.value_grammar import normalise_dashes
from litcurate.extractors.knowledge import load_data_file

# Statistics that are the centre of a value, in the order they win when a text names
# several ("HR ... P value" is a hazard ratio with a P; "n (%)" a count with a percent).
_CENTRE_ORDER = ("or", "rr", "hr", "md", "smd", "rd", "i2", "events", "mean", "median",
                 "count", "score", "percent", "range", "p_value")
_ARM_N = re.compile(r"[(\[]?\s*\b[nN]\s*=\s*[\d,]+\s*[)\]]?")
_BRACKETED = re.compile(r"[(\[]([^()\[\]]*)[)\]]")


@dataclass(frozen=True)
class Term:
    """One word or phrase of statistics.yaml, compiled with its matching rule."""

    category: str  # statistics | spreads | intervals | models
    name: str  # the id it stands for: "or", "sd", "ci95", "random"
    pattern: re.Pattern[str]
    length: int


@dataclass(frozen=True)
class Meaning:
    """What a text says about the numbers it labels; empty fields say nothing."""

    statistics: tuple[str, ...] = ()
    spread: str = ""
    interval: str = ""
    unit: str = ""
    model: str = ""
    words: str = ""
    # "mean (SD); median (IQR)": one meaning per value of a cell that prints several
    segments: tuple[Meaning, ...] = ()

    @property
    def centre(self) -> str:
        """The statistic of the value itself (the first by ``_CENTRE_ORDER``), or ""."""
        named = set(self.statistics)
        if self.interval == "range" and "range" not in named and not (named - {"p_value"}):
            named.add("range")
        return next((s for s in _CENTRE_ORDER if s in named), "")

    @property
    def with_percent(self) -> bool:
        """True when a percentage is named beside a count ("n (%)", "No. (%)")."""
        return "percent" in self.statistics and self.centre in {"count", "events"}

    @property
    def with_p(self) -> bool:
        """True when a P is named beside another statistic ("HR (95% CI)/P")."""
        return "p_value" in self.statistics and self.centre != "p_value"


def _term_pattern(term: str) -> re.Pattern[str]:
    """Whole-word pattern: exact case when the term has a capital, any case otherwise; a
    term of symbols only ("%") needs no word boundary ("row%"). A one-letter term ("N")
    followed by a full stop and a word is an initial ("N. Carolina", "P. falciparum"),
    part of a name the paper printed, not a statistic."""
    body = re.escape(normalise_dashes(term)).replace(r"\ ", r"\s*")
    flags = 0 if any(c.isupper() for c in term) else re.IGNORECASE
    if not any(c.isalnum() for c in term):
        return re.compile(body, flags)
    initial = r"(?!\.\s*[A-Za-z])" if len(term) == 1 else ""
    return re.compile(rf"(?<![A-Za-z0-9]){body}(?![A-Za-z0-9]){initial}", flags)


@cache
def _terms() -> tuple[Term, ...]:
    data = load_data_file("statistics.yaml")
    terms = [Term(category, str(name), _term_pattern(str(word)), len(str(word)))
             for category in ("statistics", "spreads", "intervals", "models")
             for name, words in data[category].items() for word in words]
    return tuple(sorted(terms, key=lambda t: -t.length))


@cache
def _weak_counts() -> frozenset[str]:
    return frozenset(str(w) for w in load_data_file("statistics.yaml")["weak_counts"])


@cache
def _units() -> dict[str, str]:
    """printed unit (lower case) -> unit as published."""
    return {str(word).lower(): str(unit)
            for unit, words in load_data_file("statistics.yaml")["units"].items()
            for word in words}


def _unit_of(text: str) -> tuple[str, list[str]]:
    """The unit printed in brackets, after a comma or alone ("(years)", ", kg", "[%]"),
    and the pieces of text that named it (so they can be taken out of the words)."""
    units = _units()
    candidates = [m.group(1) for m in _BRACKETED.finditer(text)]
    candidates += [text.rsplit(",", 1)[1]] if "," in text else []
    candidates += [text]
    for candidate in candidates:
        for piece in re.split(r"[,;]", candidate):
            if piece.strip().lower() in units:
                return units[piece.strip().lower()], [piece.strip()]
    return "", []


@lru_cache(maxsize=8192)
def read_meaning(text: str) -> Meaning:
    """Given a header path, a row label, a cell's label or a legend sentence, its meaning.

    Cached: the same header, label and legend are read for every cell they cover."""
    # NFKC: journals set statistics in math italics ("𝑁", "𝑝 value") and I² with a
    # superscript; both read as their plain letters and digits.
    text = normalise_dashes(_ARM_N.sub(" ", unicodedata.normalize("NFKC", text)))
    taken = [False] * len(text)
    found: list[tuple[int, Term]] = []
    for term in _terms():
        for match in term.pattern.finditer(text):
            if any(taken[match.start():match.end()]):
                continue
            taken[match.start():match.end()] = [True] * (match.end() - match.start())
            found.append((match.start(), term))
    found.sort(key=lambda item: item[0])
    by_category: dict[str, list[str]] = {}
    for _, term in found:
        names = by_category.setdefault(term.category, [])
        if term.name not in names:
            names.append(term.name)
    unit, unit_pieces = _unit_of(text)
    statistics = tuple(by_category.get("statistics", ()))
    if not statistics and any(part.strip() in _weak_counts() for part in text.split(" / ")):
        statistics = ("count",)  # "No / MS": a header part that is only "No" (number)
    if unit == "%" and "percent" not in statistics:
        statistics = (*statistics, "percent")
    kept = "".join(" " if taken[i] else ch for i, ch in enumerate(text))
    return Meaning(statistics=statistics, segments=_segments(text),
                   spread=next(iter(by_category.get("spreads", ())), ""),
                   interval=next(iter(by_category.get("intervals", ())), ""),
                   unit=unit, model=next(iter(by_category.get("models", ())), ""),
                   words=_leftover(kept, unit_pieces))


def _segments(text: str) -> tuple[Meaning, ...]:
    """Meanings of the ';'-separated parts when each names a statistic of its own."""
    if ";" not in text:
        return ()
    parts = [read_meaning(part) for part in text.split(";")]
    return tuple(parts) if all(part.centre for part in parts) else ()


def _leftover(text: str, unit_pieces: Iterable[str]) -> str:
    """The text's own words once statistic words and units are out: "Mean age (range),
    years" -> "age"; "Cases n (%)" -> "Cases"."""
    for piece in unit_pieces:
        text = re.sub(rf"(?<![A-Za-z]){re.escape(piece)}(?![A-Za-z])", " ", text)
    parts = []
    for part in text.split(" / "):
        part = re.sub(r"[(\[][\s,;:/±+\-=.%]*[)\]]", " ", part)  # brackets left empty
        part = _balanced(re.sub(r"\s+", " ", part).strip(" ,;:/±+-=.%"))
        if part:
            parts.append(part)
    return " / ".join(parts)


def _balanced(text: str) -> str:
    """Drop a bracket left without its pair at either end ("Age (" -> "Age")."""
    while (text and text[-1] in "([") or (text and text[-1] in ")]" and \
            text.count(text[-1]) > text.count("(" if text[-1] == ")" else "[")):
        text = text[:-1].rstrip(" ,;:/")
    while (text and text[0] in ")]") or (text and text[0] in "([" and \
            text.count(text[0]) > text.count(")" if text[0] == "(" else "]")):
        text = text[1:].lstrip(" ,;:/")
    return text


def merge_meanings(meanings: Iterable[Meaning]) -> Meaning:
    """Meanings in priority order (cell, column, row, legend) -> one: each field from the
    first source that states it, the statistics of the first that names a centre."""
    ordered = list(meanings)
    chosen = next((m for m in ordered if m.centre), Meaning())
    statistics = chosen.statistics
    # A P or a percentage named elsewhere joins, but never displaces the chosen centre.
    rank = _CENTRE_ORDER.index(chosen.centre) if chosen.centre else -1
    extra = tuple(s for m in ordered for s in m.statistics if s not in statistics
                  and s in {"p_value", "percent"} and _CENTRE_ORDER.index(s) > rank)
    # A spread or interval belongs to the centre it was named with: the "(range)" of a
    # row "Age, median (range)" says nothing about the value in its "p value" column.
    fitting = [m for m in ordered if not m.centre or m.centre == chosen.centre]
    return Meaning(
        statistics=(*statistics, *dict.fromkeys(extra)),
        spread=next((m.spread for m in fitting if m.spread), ""),
        interval=next((m.interval for m in fitting if m.interval), ""),
        unit=next((m.unit for m in ordered if m.unit), ""),
        model=next((m.model for m in ordered if m.model), ""),
        words=next((m.words for m in ordered if m.words), ""),
        segments=next((m.segments for m in ordered if m.segments), ()),
    )


@cache
def _legend_phrases() -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((str(entry["phrase"]).lower(), tuple(str(s) for s in entry["statistics"]))
                 for entry in load_data_file("statistics.yaml")["legend_phrases"])


def legend_meaning(legend: str) -> Meaning:
    """The statistic a legend declares for every value ("Values are mean ± SD"), or none."""
    # NFKC as in headers: "Values are given as 𝑛 (%)" sets its n in math italics.
    text = " ".join(normalise_dashes(unicodedata.normalize("NFKC", legend)).lower()
                    .replace("+/-", "±").split())
    for phrase, statistics in _legend_phrases():
        if normalise_dashes(phrase) in text:
            centre = tuple(s for s in statistics if s not in {"sd", "se", "iqr", "range"})
            spread = next((s for s in statistics if s in {"sd", "se"}), "")
            interval = next((s for s in statistics if s in {"iqr", "range"}), "")
            return Meaning(statistics=centre, spread=spread, interval=interval)
    return Meaning()


_DEFINITION = re.compile(r"^(?P<what>[A-Za-z][A-Za-z \-]{2,40}?)\s+(?:are|is)\s+(?P<stat>.+)$")
_GENERIC = {"values", "value", "data", "results", "numbers", "figures"}


def legend_definitions(legend: str) -> tuple[tuple[str, Meaning], ...]:
    """What a legend says some columns are: "treatment effects are differences in means"
    -> ("treatment effect", md). "Values are ..." speaks for the whole table instead."""
    definitions: list[tuple[str, Meaning]] = []
    for clause in re.split(r"[.;]\s+|\s+and\s+|,\s+", " ".join(legend.split())):
        match = _DEFINITION.match(clause.strip())
        if match is None:
            continue
        what = match["what"].strip().lower()
        meaning = read_meaning(match["stat"])
        if meaning.centre and what not in _GENERIC:
            singular = " ".join(w[:-1] if w.endswith("s") and len(w) > 3 else w
                                for w in what.split())
            definitions.append((singular, Meaning(statistics=meaning.statistics,
                                                  spread=meaning.spread,
                                                  interval=meaning.interval)))
    return tuple(definitions)


def defined_meaning(header: str, definitions: Iterable[tuple[str, Meaning]]) -> Meaning:
    """The legend's definition of the column ``header`` names, if any."""
    folded = " ".join(header.lower().split())
    for what, meaning in definitions:
        if re.search(rf"\b{re.escape(what)}", folded):
            return meaning
    return Meaning()
