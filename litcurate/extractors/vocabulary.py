"""Intervention and issuing-body vocabularies: loading, spelling variants, normalising.

The vocabularies are data (``schemas/vocabularies/*.yaml``) so a curator adds a
synonym without touching code. Two consumers share them: the spaCy entity ruler
(prose, see ``nlp``) and ``normalise_intervention`` (table cells), which is plain
regex so the table stages need no NLP pipeline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

VOCABULARY_PACKAGE = "litcurate.schemas"
VOCABULARY_DIR = "vocabularies"
BODY_KINDS = {
    "guideline_bodies": "GUIDELINE_BODY",
    "reporting_standards": "REPORTING_STANDARD",
    "methods": "METHOD",
}
AGENT_GROUPS = frozenset({"chemotherapy_agent", "embolic_agent"})
DASHES = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2212]")
SPELLINGS = (  # (British-or-variant, American) pairs: both spellings are generated
    ("isation", "ization"),
    ("tumour", "tumor"),
    ("analogue", "analog"),
)


@dataclass(frozen=True)
class Intervention:
    """One canonical treatment: id, label, group, umbrella parent and every spelling."""

    id: str
    label: str
    group: str
    parent: str
    synonyms: tuple[str, ...]


@dataclass(frozen=True)
class Body:
    """An issuer (or a reporting standard / method): case-sensitive acronyms, full names."""

    id: str
    label: str
    kind: str  # GUIDELINE_BODY | REPORTING_STANDARD | METHOD
    acronyms: tuple[str, ...]
    names: tuple[str, ...]


def _read_yaml(name: str) -> dict[str, Any]:
    """Parse one packaged vocabulary file, so the wheel and the source tree behave alike."""
    path = resources.files(VOCABULARY_PACKAGE) / VOCABULARY_DIR / name
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def spelling_variants(term: str) -> tuple[str, ...]:
    """Given a term, return it with hyphen and British/American variants, so lists stay short."""
    term = DASHES.sub("-", term.strip())
    forms = {term}
    for british, american in SPELLINGS:
        for form in list(forms):
            lower = form.lower()
            if american in lower and british not in lower:
                forms.add(re.sub(american, british, form, flags=re.IGNORECASE))
            if british in lower:
                forms.add(re.sub(british, american, form, flags=re.IGNORECASE))
    for form in list(forms):
        if "-" in form:
            forms.add(form.replace("-", ""))
            forms.add(form.replace("-", " "))
    return tuple(sorted(forms, key=lambda f: (-len(f), f)))


@lru_cache(maxsize=1)
def load_interventions() -> tuple[Intervention, ...]:
    """The intervention vocabulary with generated spellings, parsed once per process."""
    entries = _read_yaml("interventions.yaml")["interventions"]
    return tuple(
        Intervention(
            id=str(entry["id"]),
            label=str(entry.get("label", entry["id"])),
            group=str(entry.get("group", "")),
            parent=str(entry.get("parent", "")),
            synonyms=tuple(
                dict.fromkeys(v for s in entry["synonyms"] for v in spelling_variants(str(s)))
            ),
        )
        for entry in entries
    )


@lru_cache(maxsize=1)
def load_combinations() -> tuple[tuple[str, frozenset[str]], ...]:
    """(id, groups) rules for cells that name agents only ("Doxo + sponge" -> TACE)."""
    rules = _read_yaml("interventions.yaml").get("combinations", [])
    return tuple((str(rule["id"]), frozenset(rule["groups"])) for rule in rules)


@lru_cache(maxsize=1)
def load_bodies() -> tuple[Body, ...]:
    """Guideline bodies, reporting standards and methods, tagged with their entity label."""
    data = _read_yaml("bodies.yaml")
    return tuple(
        Body(
            id=str(entry["id"]),
            label=str(entry.get("label", entry["id"])),
            kind=kind,
            acronyms=tuple(str(a) for a in entry.get("acronyms", [])),
            names=tuple(
                dict.fromkeys(v for n in entry.get("names", []) for v in spelling_variants(str(n)))
            ),
        )
        for key, kind in BODY_KINDS.items()
        for entry in data.get(key, [])
    )


def intervention_by_id(intervention_id: str) -> Intervention | None:
    """Look an intervention up by canonical id, for labels, groups and parents."""
    return next((i for i in load_interventions() if i.id == intervention_id), None)


@lru_cache(maxsize=1)
def _intervention_regex() -> tuple[re.Pattern[str], dict[str, str]]:
    """One alternation of every synonym, longest first, so matching is leftmost-longest."""
    lookup: dict[str, str] = {}
    for intervention in load_interventions():
        for synonym in intervention.synonyms:
            lookup.setdefault(_fold(synonym), intervention.id)
    alternatives = sorted(lookup, key=lambda s: (-len(s), s))
    body = "|".join(re.escape(a) for a in alternatives)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w])"), lookup


def _fold(text: str) -> str:
    """Case, dash and whitespace folding shared by synonyms and the text searched."""
    return " ".join(DASHES.sub("-", text).lower().split())


def find_interventions(text: str) -> list[tuple[str, str]]:
    """Given free text, return (canonical id, matched text) for each mention, in order."""
    pattern, lookup = _intervention_regex()
    folded = _fold(text)
    return [(lookup[m.group(0)], m.group(0)) for m in pattern.finditer(folded)]


def normalise_intervention(text: str) -> str:
    """Given a cell or phrase, return its canonical intervention id, or "" when unknown.

    At each position the longest synonym wins ("chemoembolization" is TACE, never
    TAE inside it); across mentions the first treatment named wins, so "TAE or TACE"
    is "TAE" (use ``find_interventions`` for every arm). Drug and embolic-agent names
    count only when no treatment is named: "Doxo + sponge" (chemotherapy agent +
    embolic agent) resolves through the vocabulary's combinations to TACE.
    """
    mentions = [intervention_id for intervention_id, _ in find_interventions(text)]
    if not mentions:
        return ""
    groups = {i.id: i.group for i in load_interventions()}
    treatments = [m for m in mentions if groups.get(m) not in AGENT_GROUPS]
    if treatments:
        return treatments[0]
    named = {groups[m] for m in mentions}
    for combination_id, required in load_combinations():
        if required <= named:
            return combination_id
    return mentions[0]


def find_bodies(text: str, kind: str = "GUIDELINE_BODY") -> list[str]:
    """Given free text (e.g. a reference), return the ids of bodies of ``kind`` it names."""
    found: list[str] = []
    folded = _fold(text)
    for body in load_bodies():
        if body.kind != kind:
            continue
        named = any(re.search(rf"(?<![\w-]){re.escape(a)}(?![\w])", text) for a in body.acronyms)
        named = named or any(_fold(n) in folded for n in body.names)
        if named and body.id not in found:
            found.append(body.id)
    return found
