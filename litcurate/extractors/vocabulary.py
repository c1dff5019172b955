"""Intervention and issuing-body vocabularies: loading, spelling variants, normalising.

The vocabularies are data (``schemas/vocabularies/*.yaml``, read through
``knowledge.load_data_file``) so a curator adds a synonym without touching code. Two
consumers share them: the spaCy entity ruler (prose, see ``nlp``) and
``normalise_intervention`` (table cells), which is plain regex so the table stages
need no NLP pipeline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from litcurate.extractors.knowledge import load_data_file

BODY_KINDS = {
    "guideline_bodies": "GUIDELINE_BODY",
    "reporting_standards": "REPORTING_STANDARD",
    "methods": "METHOD",
}
DASHES = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2212]")


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


@lru_cache(maxsize=1)
def spelling_pairs() -> tuple[tuple[str, str], ...]:
    """(one spelling, other spelling) pairs from spellings.yaml; both forms are generated."""
    return tuple((str(a), str(b)) for a, b in load_data_file("spellings.yaml")["variants"])


@lru_cache(maxsize=1)
def agent_groups() -> frozenset[str]:
    """Intervention groups that are ingredients of a treatment (a drug, a material), not one."""
    return frozenset(str(g) for g in load_data_file("interventions.yaml").get("agent_groups", []))


def spelling_variants(term: str) -> tuple[str, ...]:
    """Given a term, return it with hyphen and spelling variants, so lists stay short."""
    term = DASHES.sub("-", term.strip())
    forms = {term}
    for one, other in spelling_pairs():
        for form in list(forms):
            lower = form.lower()
            if other in lower and one not in lower:
                forms.add(re.sub(other, one, form, flags=re.IGNORECASE))
            if one in lower:
                forms.add(re.sub(one, other, form, flags=re.IGNORECASE))
    for form in list(forms):
        if "-" in form:
            forms.add(form.replace("-", ""))
            forms.add(form.replace("-", " "))
    return tuple(sorted(forms, key=lambda f: (-len(f), f)))


@lru_cache(maxsize=1)
def load_interventions() -> tuple[Intervention, ...]:
    """The intervention vocabulary with generated spellings, parsed once per process."""
    entries = load_data_file("interventions.yaml")["interventions"]
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
    """(id, groups) rules for cells that name agents only (a drug + a material -> one id)."""
    rules = load_data_file("interventions.yaml").get("combinations", [])
    return tuple((str(rule["id"]), frozenset(rule["groups"])) for rule in rules)


@lru_cache(maxsize=1)
def load_bodies() -> tuple[Body, ...]:
    """Guideline bodies, reporting standards and methods, tagged with their entity label."""
    data = load_data_file("bodies.yaml")
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

    At each position the longest synonym wins (a synonym containing a shorter one is
    never split); across mentions the first treatment named wins, so "A or B" is "A"
    (use ``find_interventions`` for every arm). Names from the vocabulary's agent groups
    (a drug, a material) count only when no treatment is named: a cell naming a drug
    and a material resolves through the vocabulary's combinations.
    """
    mentions = [intervention_id for intervention_id, _ in find_interventions(text)]
    if not mentions:
        return ""
    groups = {i.id: i.group for i in load_interventions()}
    treatments = [m for m in mentions if groups.get(m) not in agent_groups()]
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


@lru_cache(maxsize=1)
def _body_name_pattern() -> re.Pattern[str]:
    """A capitalised name ending in a body head, with an optional "of/for ..." tail."""
    heads = "|".join(re.escape(str(h)) for h in load_data_file("bodies.yaml")["body_heads"])
    word = r"(?:[A-Z][\w'’-]*|and|&|of|for|on|the)"
    return re.compile(
        rf"\b(?:[A-Z][\w'’-]*\s+)(?:{word}\s+){{0,6}}?(?:{heads})\b"
        rf"(?:\s+(?:of|for|on|in)\s+(?:the\s+)?[A-Z][\w'’-]*"
        rf"(?:\s+(?:(?:and|&|of|for|in|the)\s+)*[A-Z][\w'’-]*){{0,6}})?")


def find_body_names(text: str) -> list[str]:
    """Issuers named in ``text`` by the shape of their name, for bodies no list holds."""
    names: list[str] = []
    for match in _body_name_pattern().finditer(text):
        name = re.sub(r"^(?:The|A|An)\s+", "", match.group(0).strip())
        if len(name.split()) >= 2 and name not in names:
            names.append(name)
    return names
