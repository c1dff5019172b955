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
from dataclasses import dataclass

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
              "initiation", "continuation", "combination", "need", "importance"}
CONTAINER_CASES = {"of", "for"}
VERBS = {"VERB", "AUX"}


@dataclass(frozen=True)
class PhraseWords:
    """Word lists the phrase finder reads (statement_triggers.yaml): pronouns that point
    back, the people a recommendation addresses ("clinicians should ..."), and light
    nouns whose purpose clause says what is advised ("all efforts should be taken to X")."""

    anaphors: frozenset[str] = frozenset()
    actors: frozenset[str] = frozenset()
    light_nouns: frozenset[str] = frozenset()


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
    """"the use of X" -> X, "the need for X" -> X, "a need to sustain X" -> X: the phrase a
    container noun is about."""
    if token.lemma_.lower() not in CONTAINERS and token.lower_ not in CONTAINERS:
        return token
    of = [c for c in token.children if c.dep_.startswith("nmod") and _led_by(c, CONTAINER_CASES)]
    # "underscoring the need | for X": a parse may hang the phrase on the verb instead
    of += [c for c in token.head.children if c.dep_ == "obl" and c.i > token.i
           and _led_by(c, CONTAINER_CASES) and c.left_edge.i == token.right_edge.i + 1]
    if of:
        return of[0]
    clauses = [c for c in token.children if c.dep_ in {"acl", "xcomp"} and c.pos_ in VERBS]
    return _through_verb(clauses[0]) if clauses else token


def _led_by(token: Token, cases: set[str]) -> bool:
    return any(g.dep_ == "case" and g.lower_ in cases for g in token.children)


def _through_verb(token: Token) -> Token:
    """"to maintain X" -> X: a verb's object says what is advised; a verb without one stays."""
    if token.pos_ not in VERBS:
        return token
    objects = _children(token, OBJECTS)
    return objects[0] if objects else token


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
    while span and (span[0].lower_ in LEADING or span[0].is_punct
                    or span[0].dep_ in {"case", "mark"}):
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
    if (not subjects and head.dep_ in {"advcl", "dep", "parataxis"}
            and head.head.pos_ in {"NOUN", "PROPN"}):
        subjects = [head.head]  # "X, although rare, warrant ...": the parse hung X above
    return subjects + objects if passive else objects + subjects


def _actions(verb: Token) -> list[Token]:
    """What the people addressed are told to do: the objects of their verb and of the
    verbs joined to it in the same clause ("clinicians should be aware ... and implement
    X"), then the other complements of the joined verbs ("participate in X")."""
    joined = [t for t in verb.subtree if t.dep_ in {"conj", "xcomp"} and t.pos_ in VERBS
              and _same_clause(t, verb)]
    verbs = [verb, *joined]
    found = [o for v in verbs for o in _children(v, OBJECTS)]
    return found + [o for v in joined for o in _children(v, ("obl",))]


def _same_clause(token: Token, verb: Token) -> bool:
    """Is ``token`` joined to ``verb`` without crossing a subordinate clause? (A misplaced
    conjunct, "aware of the risk after a bite and implement X", still counts.)"""
    node = token
    while node.i != verb.i:
        if node.dep_ in CUT or node.dep_ in CLAUSES or node.dep_.startswith("acl"):
            return node.dep_ == "xcomp" and node.head.i == verb.i
        node = node.head
    return True


def _purpose(head: Token) -> list[Token]:
    """"All efforts should be taken to detect X": the purpose clause says what is advised."""
    return [c for c in head.children if c.dep_ in {"xcomp", "advcl"} and c.pos_ in VERBS]


def find_intervention_phrase(doc: Doc, start: int, end: int, passive: bool,
                             words: PhraseWords) -> str:
    """The phrase the trigger at ``doc[start:end]`` is about, or "" (no parse, or a pronoun)."""
    if not has_parse(doc):
        return ""
    head = trigger_head(doc, start, end)
    queue = _candidates(head, passive)
    visited: set[int] = set()
    while queue:
        candidate = _through_verb(_through_container(queue.pop(0)))
        if candidate.i in visited:
            continue
        visited.add(candidate.i)
        lemma = candidate.lemma_.lower()
        if lemma in words.actors or candidate.lower_ in words.actors:
            queue += _actions(candidate.head)  # the people addressed: what are they to do?
            continue
        if lemma in words.light_nouns and candidate.head.i == head.i:
            purpose = next((p for c in _purpose(head) if (p := phrase_of(c))), "")
            if purpose:
                return purpose
            continue
        if candidate.pos_ in NOT_A_PHRASE or candidate.lower_ in words.anaphors:
            continue
        if any(c.dep_ == "det" and c.lower_ in words.anaphors for c in candidate.children):
            return ""  # "these therapies": the previous sentence says which
        phrase = phrase_of(candidate)
        if phrase and phrase.lower() not in words.anaphors:
            return phrase
    return ""


def find_population_phrase(doc: Doc, start: int, end: int, people: re.Pattern[str]) -> str:
    """The people a recommendation is about when they are its subject ("older adults who
    are overweight should be encouraged to ..."): the subject of the trigger's clause, or of
    the clause it governs, whose head word is one of ``people``, with all its modifiers."""
    if not has_parse(doc):
        return ""
    head = trigger_head(doc, start, end)
    clauses = [head, *_children(head, CLAUSES)]
    for subject in (s for clause in clauses for s in _children(clause, SUBJECTS)):
        if people.fullmatch(subject.text):
            span = doc[subject.left_edge.i:subject.right_edge.i + 1]
            return span.text.strip(" ,;:")
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
