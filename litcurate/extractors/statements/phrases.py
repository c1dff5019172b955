"""What a statement is about, read from the dependency parse when no vocabulary names it.

A recommendation's intervention is the noun phrase its trigger governs: the passive
subject ("X is recommended"), the subject of a copula ("X is the treatment of choice"),
the object of an active verb ("we recommend X"), reaching through "the use of X". The
phrase is the head noun with its modifiers, cut before relative clauses, appositions
and the "in/for <patients>" phrases that say who it is for. Without a parse (the
rule-only pipeline) no phrase is found, and the statement is flagged instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from spacy.tokens import Doc, Token

SUBJECTS = ("nsubj:pass", "nsubj", "csubj:pass", "csubj")
OBJECTS = ("obj", "dobj")
CLAUSES = ("ccomp", "xcomp")
CUT = {"acl:relcl", "relcl", "appos", "advcl", "parataxis", "punct", "dep", "cc:preconj"}
NOT_A_PHRASE = {"PRON", "DET", "NUM", "PUNCT", "SCONJ", "ADP", "AUX"}
LEADING = {"the", "a", "an", "this", "these", "that", "those", "such"}
# Prepositions that start who-or-when phrases rather than part of the intervention's name.
SCOPE_CASES = {"in", "for", "among", "after", "before", "during", "at", "with", "without",
               "to", "by", "as", "within", "on", "from", "than", "since", "until"}
CONTAINERS = {"use", "usage", "administration", "application", "addition", "introduction",
              "implementation", "provision", "delivery", "prescription", "prescribing",
              "initiation", "continuation", "combination"}


def has_parse(doc: Doc) -> bool:
    """Does this doc carry dependency labels (a model pipeline, not the rule-only one)?"""
    return doc.has_annotation("DEP")


def trigger_head(doc: Doc, start: int, end: int) -> Token:
    """The token of the trigger span that governs it (its syntactic root), past auxiliaries."""
    head = doc[start:end].root
    while head.dep_ in {"aux", "aux:pass", "cop", "advmod", "neg"} and head.head.i != head.i:
        head = head.head
    return head


def _children(token: Token, deps: Iterable[str]) -> list[Token]:
    wanted = set(deps)
    return [child for child in token.children if child.dep_ in wanted]


def _through_container(token: Token) -> Token:
    """"the use of X" -> X: the phrase a container noun is about."""
    if token.lemma_.lower() not in CONTAINERS:
        return token
    of = [c for c in token.children if c.dep_.startswith("nmod")
          and any(g.dep_ == "case" and g.lower_ == "of" for g in c.children)]
    return of[0] if of else token


def _kept(token: Token, head: Token) -> bool:
    """Is ``token`` (in ``head``'s subtree) part of the intervention's name?"""
    node = token
    while node.i != head.i:  # spaCy hands out a new Token object per access: compare indices
        if node.dep_ in CUT:
            return False
        if node.dep_.startswith(("nmod", "obl", "acl")) and node.head.i == head.i:
            cases = [c.lower_ for c in node.children if c.dep_ == "case"]
            if cases and cases[0] in SCOPE_CASES:
                return False
        if node.head.i == node.i:  # reached the root without meeting head
            return False
        node = node.head
    return True


def phrase_of(head: Token) -> str:
    """The noun phrase headed by ``head``, trimmed of scope phrases and leading determiners."""
    tokens = [t for t in head.subtree if _kept(t, head)]
    if not tokens:
        return ""
    first, last = min(t.i for t in tokens), max(t.i for t in tokens)
    span = list(head.doc[first:last + 1])
    while span and (span[0].lower_ in LEADING or span[0].is_punct):
        span = span[1:]
    while span and (span[-1].is_punct or span[-1].dep_ == "cc"):
        span = span[:-1]
    return "".join(t.text_with_ws for t in span).strip()


def _candidates(head: Token, passive: bool) -> list[Token]:
    """Where the intervention may sit, in the order the trigger's voice suggests."""
    subjects = _children(head, SUBJECTS)
    objects = _children(head, OBJECTS)
    for clause in _children(head, CLAUSES):  # "recommend that X be used"
        objects += _children(clause, SUBJECTS) + _children(clause, OBJECTS)
    if head.dep_ in {"amod", "acl"} and head.head.pos_ in {"NOUN", "PROPN"}:
        subjects += _children(head.head, SUBJECTS) or [head.head]  # "X is the recommended Y"
    return subjects + objects if passive else objects + subjects


def find_intervention_phrase(doc: Doc, start: int, end: int, passive: bool,
                             anaphors: frozenset[str]) -> str:
    """The phrase the trigger at ``doc[start:end]`` is about, or "" (no parse, or a pronoun)."""
    if not has_parse(doc):
        return ""
    head = trigger_head(doc, start, end)
    for candidate in _candidates(head, passive):
        candidate = _through_container(candidate)
        if candidate.pos_ in NOT_A_PHRASE or candidate.lower_ in anaphors:
            continue
        if any(c.dep_ == "det" and c.lower_ in anaphors for c in candidate.children):
            return ""  # "these therapies": the previous sentence says which
        phrase = phrase_of(candidate)
        if phrase and phrase.lower() not in anaphors:
            return phrase
    return ""


def expand_abbreviations(phrase: str, glossary: Mapping[str, str]) -> str:
    """"BMIs" -> "body mass indexes (BMIs)", from the paper's own definitions."""
    expanded = phrase
    for abbreviation, expansion in sorted(glossary.items(), key=lambda item: -len(item[0])):
        if expansion.lower() in expanded.lower():
            continue
        pattern = re.compile(rf"(?<![\w-]){re.escape(abbreviation)}s?(?![\w-])")
        match = pattern.search(expanded)
        if match:
            expanded = (f"{expanded[:match.start()]}{expansion} ({match.group(0)})"
                        f"{expanded[match.end():]}")
    return expanded
