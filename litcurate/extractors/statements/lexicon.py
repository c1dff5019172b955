"""The statement rules' data, parsed once: shared word lists and trigger rules.

Everything here is read from ``statement_triggers.yaml`` (its header explains each list
and rule flag); the detection code in ``detection`` only applies it.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from litcurate.extractors.knowledge import load_data_file
from litcurate.extractors.statements.phrases import PhraseWords
from litcurate.schemas.enums import Direction

TRIGGERS_FILE = "statement_triggers.yaml"
TokenPattern = dict[str, Any]


@dataclass(frozen=True)
class Lexicon:
    """The word lists statement detection shares (``statement_triggers.yaml``)."""

    candidate: re.Pattern[str]  # a sentence without any of these is never parsed
    generic_guideline: re.Pattern[str]  # "guidelines" cited without naming a body
    topic_openers: tuple[str, ...]
    anaphors: frozenset[str]
    generic_heads: frozenset[str]
    coordinators: frozenset[str]
    adverbs: frozenset[str]
    modals: frozenset[str]
    descriptive_adverbs: frozenset[str]  # "widely recommended" describes, it does not advise
    reported_auxiliaries: frozenset[str]  # "has been advocated": reported, not advised
    narrative_sections: re.Pattern[str]  # methods, results, case reports: report, not advise
    not_statements: tuple[re.Pattern[str], ...]  # correspondence lines, e-mail addresses
    strength: tuple[re.Pattern[str], ...]  # printed grades and strengths
    question_words: frozenset[str] = frozenset()  # "which X should be", "how this should"
    decision_verbs: frozenset[str] = frozenset()  # "the committee decided that X should"
    disowning_determiners: frozenset[str] = frozenset()  # "there is no intent that X should"
    phrase_words: PhraseWords = field(default_factory=PhraseWords)  # what the parse reads through


@dataclass(frozen=True)
class TriggerRule:
    """One trigger: its token patterns, the direction it gives, and how it reads."""

    name: str
    direction: Direction | None  # None drops the sentence
    patterns: list[list[TokenPattern]]
    needs_criteria: bool = False  # counts only in a sentence that sets a criterion
    pathway: bool = False  # a care pathway: names no treatment, inherits none
    active_openers: frozenset[str] = frozenset()  # opening words that put the subject after
    main_clause: bool = False  # counts only as the sentence's main verb
    subject_first: bool = False  # active, yet its subject is what it is about


def _names_pattern(names: Sequence[str]) -> re.Pattern[str]:
    """Section names as one pattern over a heading (numbering allowed before the name)."""
    alternatives = "|".join(re.escape(str(n)) for n in names) or "(?!)"
    return re.compile(rf"^(?:[\d.]+\s*)?(?:{alternatives})\b", re.IGNORECASE)


@cache
def lexicon() -> Lexicon:
    """The shared word lists, parsed once."""
    data = load_data_file(TRIGGERS_FILE)
    return Lexicon(
        candidate=re.compile("|".join(data["candidates"]), re.IGNORECASE),
        generic_guideline=re.compile(rf"\b(?:{'|'.join(data['generic_guideline'])})\b",
                                     re.IGNORECASE),
        topic_openers=tuple(str(w) for w in data["topic_openers"]),
        anaphors=frozenset(str(w) for w in data["anaphors"]),
        generic_heads=frozenset(str(w) for w in data["generic_heads"]),
        coordinators=frozenset(str(w) for w in data["coordinators"]),
        adverbs=frozenset(str(w) for w in data["adverbs"]),
        modals=frozenset(str(w) for w in data["modals"]),
        descriptive_adverbs=frozenset(str(w) for w in data.get("descriptive_adverbs", [])),
        reported_auxiliaries=frozenset(str(w) for w in data.get("reported_auxiliaries", [])),
        narrative_sections=_names_pattern(data.get("narrative_sections", [])),
        not_statements=tuple(re.compile(str(p)) for p in data.get("not_statements", [])),
        strength=tuple(re.compile(str(p)) for p in data.get("strength", [])),
        question_words=frozenset(str(w) for w in data.get("question_words", [])),
        decision_verbs=frozenset(str(w) for w in data.get("decision_verbs", [])),
        disowning_determiners=frozenset(str(w) for w in data.get("disowning_determiners", [])),
        phrase_words=PhraseWords(
            anaphors=frozenset(str(w) for w in data["anaphors"]),
            actors=frozenset(str(w) for w in data.get("actors", [])),
            light_nouns=frozenset(str(w) for w in data.get("light_nouns", []))),
    )


@cache
def trigger_rules() -> tuple[TriggerRule, ...]:
    """The trigger rules by priority, parsed once (patterns copied: spaCy owns its own)."""
    return tuple(
        TriggerRule(
            name=str(rule["name"]),
            direction=Direction(rule["direction"]) if rule.get("direction") else None,
            patterns=copy.deepcopy(rule["patterns"]),
            needs_criteria=bool(rule.get("needs_criteria", False)),
            pathway=bool(rule.get("pathway", False)),
            active_openers=frozenset(str(w) for w in rule.get("active_openers", [])),
            main_clause=bool(rule.get("main_clause", False)),
            subject_first=bool(rule.get("subject_first", False)),
        )
        for rule in load_data_file(TRIGGERS_FILE)["rules"]
    )
