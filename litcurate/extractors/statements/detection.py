"""Prose -> guideline statements: who recommends what, for whom, under which conditions.

A sentence becomes a statement when a trigger pattern (over lemmas and lowercase
forms) says something is recommended, to be considered, indicated, contraindicated,
not recommended, or that evidence is insufficient. The first trigger in the sentence
decides the direction, so "cannot be recommended" (the negation starts first) is
not_recommended and "may be contraindicated" is contraindicated. Two choices:
"not indicated" is published as not_recommended (the enum has no "not indicated"),
and "may / could be recommended" as consider. The triggers and the word lists they
share are data (``statement_triggers.yaml``).

Fields come from entities (the vocabulary ruler in ``nlp``): the intervention is
the sentence's subject for passive triggers ("X is recommended"), the object for
active ones ("<body> recommends the use of X"), or, for "this treatment" / "it" / no
mention, the intervention of the previous sentence (flagged with an info issue).
Bodies are the guideline bodies named; a sentence citing "guidelines" without naming
one takes the bodies named in its cited references; otherwise the review's authors.
Reporting standards (PRISMA, ...) never make a sentence a recommendation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from litcurate.extractors.statements.criteria import (
    Found,
    find_criteria,
    find_population,
    find_setting,
    people_nouns,
)
from litcurate.extractors.statements.lexicon import lexicon, trigger_rules
from litcurate.extractors.statements.nlp import (
    GUIDELINE_BODY,
    INTERVENTION,
    REPORTING_STANDARD,
    parse_pass_skips,
    reading_pass_skips,
)
from litcurate.extractors.statements.phrases import (
    expand_abbreviations,
    find_intervention_phrase,
    find_population_phrase,
)
from litcurate.extractors.text.layer import Paragraph, TextLayer
from litcurate.extractors.vocabulary import (
    agent_groups,
    find_bodies,
    find_body_names,
    intervention_by_id,
)
from litcurate.schemas import record_ids
from litcurate.schemas.enums import Direction
from litcurate.schemas.issue_catalogue import make_issue
from litcurate.schemas.records import Criterion, GlossaryEntry, Issue, Statement

AUTHORS = "authors"
CITATION = re.compile(r"\s*\[(\d+(?:\s*[–-]\s*\d+)?(?:\s*,\s*\d+(?:\s*[–-]\s*\d+)?)*)\]")
CONTEXT_SENTENCES = 5  # how far back "this treatment" may look, within one paragraph
PIPE_BATCH = 64  # texts per batch of the pipeline: the parse pass holds arrays per batch,
# so a whole guideline in one batch of 1,000 peaked at hundreds of MB
TokenPattern = dict[str, Any]


@dataclass
class StatementsResult:
    """Everything the statement stage found in one paper, issues included."""

    statements: list[Statement] = field(default_factory=list)
    criteria: list[Criterion] = field(default_factory=list)
    glossary: list[GlossaryEntry] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    layer: TextLayer | None = None  # the prose it was read from, for the prose-vs-table check


@dataclass(frozen=True)
class Trigger:
    """The matched trigger: rule, direction, token span, and whether its subject comes first."""

    rule: str
    direction: Direction | None
    start: int
    end: int
    passive: bool
    needs_criteria: bool = False
    pathway: bool = False


@dataclass(frozen=True)
class Choice:
    """The intervention chosen for a statement, and how."""

    intervention: str = ""  # vocabulary id, when one matches
    raw: str = ""  # the phrase, in the paper's words
    from_context: bool = False
    from_parse: bool = False
    others: tuple[str, ...] = ()


# Sentences ---------------------------------------------------------------------------


def parse_citations(marker: str) -> tuple[int, ...]:
    """Given "7,19,20" or "39–43,45–53", return the sorted unique reference numbers."""
    numbers: set[int] = set()
    for part in marker.split(","):
        bounds = [int(b) for b in re.split(r"\s*[–-]\s*", part.strip()) if b]
        if len(bounds) == 2 and bounds[0] <= bounds[1] <= bounds[0] + 200:
            numbers.update(range(bounds[0], bounds[1] + 1))
        else:
            numbers.update(bounds)
    return tuple(sorted(numbers))


def strip_citations(text: str) -> tuple[str, tuple[int, ...]]:
    """Remove bracket citation markers from a sentence; return clean text and the numbers."""
    cited: set[int] = set()
    for match in CITATION.finditer(text):
        cited.update(parse_citations(match.group(1)))
    clean = CITATION.sub("", text)
    clean = re.sub(r"\s+([.,;:])", r"\1", clean)
    return " ".join(clean.split()), tuple(sorted(cited))


# Rules over one sentence -----------------------------------------------------------------


@lru_cache(maxsize=4)
def trigger_matcher(nlp: Language) -> Matcher:
    """The trigger patterns compiled for this pipeline's vocabulary, once."""
    matcher = Matcher(nlp.vocab)
    tagged = "tagger" in nlp.pipe_names
    for rule in trigger_rules():
        patterns = [p for p in rule.patterns if tagged or not _reads_tags(p)]
        if patterns:  # patterns over tags need a tagger: the rule-only pipeline skips them
            matcher.add(rule.name, patterns)
    return matcher


def _reads_tags(pattern: list[TokenPattern]) -> bool:
    return any(key in token for token in pattern for key in ("TAG", "POS"))


def find_triggers(doc: Doc, matcher: Matcher) -> list[Trigger]:
    """Triggers in reading order; at one start the longest (most specific) comes first."""
    rules = {rule.name: rule for rule in trigger_rules()}
    priority = {name: index for index, name in enumerate(rules)}
    adverbs = lexicon().adverbs
    found: list[tuple[int, int, int, str]] = []
    for match_id, start, end in matcher(doc):
        name = doc.vocab.strings[match_id]
        if _describes(doc, start, end) or _embedded(doc, start, end) or (
                rules[name].main_clause and not _in_main_clause(doc, start, end)):
            continue
        found.append((start, -(end - start), priority[name], name))
    triggers = []
    for start, negative_length, _, name in sorted(found):
        end = start - negative_length
        rule = rules[name]
        before = [t for t in doc[max(0, start - 4):start] if t.lower_ not in adverbs]
        passive = any(t.lemma_ == "be" for t in doc[start:end]) or bool(
            before and before[-1].lemma_ == "be")
        if doc[start].lower_ in rule.active_openers:
            passive = False
        passive = passive or rule.subject_first
        triggers.append(Trigger(name, rule.direction, start, end, passive,
                                rule.needs_criteria, rule.pathway))
    return triggers


def _describes(doc: Doc, start: int, end: int) -> bool:
    """"widely recommended", "has been advocated", "considered representative": practice
    described or a judgement reported, not advice."""
    words = lexicon()
    if any(t.lower_ in words.descriptive_adverbs for t in doc[max(0, start - 1):end]):
        return True
    before = [t.lower_ for t in doc[max(0, start - 3):start]]
    named = any(e.label_ == GUIDELINE_BODY for e in doc.ents) or find_body_names(doc.text)
    if "been" in before and not named and any(
            w in words.reported_auxiliaries for w in before[:before.index("been")]):
        return True
    last = doc[end - 1]
    if (last.lemma_ == "consider" and end < len(doc) and doc[end].tag_.startswith("JJ")
            and doc[end].dep_ != "amod"):
        return True
    return _narrates(doc, start, end) or _disowned(doc, start, end)


def _disowned(doc: Doc, start: int, end: int) -> bool:
    """A trigger in the complement of a past decision ("the committee decided that X
    should be applied") or of a noun the sentence denies ("there is no intent that X
    should be considered"): the study's own process or a disclaimer, not advice.
    Needs the parse."""
    if not doc.has_annotation("DEP"):
        return False
    words = lexicon()
    head = doc[start:end].root
    while head.dep_ in {"aux", "aux:pass", "cop"} and head.head.i != head.i:
        head = head.head
    governor = head.head
    if head.dep_ == "ccomp" and governor.tag_ == "VBD" and governor.lemma_ in words.decision_verbs:
        return True
    if _denied_clause(head, words.disowning_determiners):
        return True
    # "no intent that X should ..., or that Y should ...": a second "that" clause
    # coordinated with a denied one (the parse may hang it on the main verb instead).
    return head.dep_ == "conj" and any(c.dep_ == "mark" and c.lower_ == "that"
                                       for c in head.children) and any(
        _denied_clause(t, words.disowning_determiners) for t in doc[:head.i])


def _denied_clause(head: Token, determiners: frozenset[str]) -> bool:
    """Is ``head`` the clause of a noun the sentence denies ("no intent that ...")?"""
    governor = head.head
    return head.dep_ in {"acl", "ccomp"} and governor.tag_.startswith("NN") and any(
        c.dep_ == "det" and c.lower_ in determiners for c in governor.children)


def _in_main_clause(doc: Doc, start: int, end: int) -> bool:
    """Is the trigger the sentence's main verb (or joined to it), not a subordinate one?"""
    if not doc.has_annotation("DEP"):
        return True  # without a parse every clause counts, as before
    head = doc[start:end].root
    while head.dep_ == "conj" and head.head.i != head.i:
        head = head.head
    return head.dep_ == "ROOT"


def _embedded(doc: Doc, start: int, end: int) -> bool:
    """Is the trigger inside a relative clause ("the instruments that should be used") or
    an embedded question ("determine which domains should be measured", "how this should
    be reported")? Such a clause names or asks what is advised elsewhere; it does not advise.
    Needs the parse; without one nothing is embedded."""
    if not doc.has_annotation("DEP"):
        return False
    head = doc[start:end].root
    while head.dep_ in {"aux", "aux:pass", "cop"} and head.head.i != head.i:
        head = head.head
    question = lexicon().question_words
    node = head
    while True:
        openers = [c for c in node.children if c.i < start and c.dep_ in {"mark", "advmod"}]
        openers += [d for c in node.children if c.dep_.startswith("nsubj")
                    for d in c.children if d.dep_ == "det"]
        relative = node.dep_ in {"acl:relcl", "relcl"} and not _existential(node.head)
        if relative or any(t.lower_ in question for t in openers):
            return True
        if node.dep_ != "conj" or node.head.i == node.i:
            return False
        node = node.head


def _existential(noun: Token) -> bool:
    """Is ``noun`` what "there is/are" asserts ("there are other factors which should be
    taken into consideration")? Its relative clause then carries the sentence's advice."""
    return noun.dep_.startswith("nsubj") and any(c.dep_ == "expl" for c in noun.head.children)


def _narrates(doc: Doc, start: int, end: int) -> bool:
    """Past-tense narrative ("the patient was advised", "it was decided that ... should")
    or a reduced relative ("names recommended by the committee"): what happened, not advice.
    Needs the tagger; the rule-only pipeline never narrates."""
    if not doc.has_annotation("TAG"):
        return False
    span = doc[start:end]
    head = span.root
    group = [*span, *(c for c in head.children if c.dep_ in {"aux", "aux:pass", "cop"})]
    if any(t.tag_ in {"VBZ", "VBP", "MD"} for t in group):
        return False  # a present or modal verb group: "is indicated", "should be used"
    if any(t.tag_ == "VBD" for t in span):
        return True
    if head.dep_ in {"acl", "amod"} and head.tag_ == "VBN" and not any(
            t.lemma_ == "be" for t in span):
        return True
    governor = head.head if head.dep_ in {"ccomp", "xcomp"} else head
    return any(t.tag_ == "VBD" and t.dep_ in {"aux", "aux:pass", "cop"} for t in
               governor.children) or (governor.i != head.i and governor.tag_ == "VBD")


def find_strength(text: str) -> str:
    """The grade or strength printed with a statement ("Grade A", "(1B)"), or ""."""
    for pattern in lexicon().strength:
        match = pattern.search(text)
        if match:
            return match.group(0).strip("()")
    return ""


def _mentions(doc: Doc, criteria: Sequence[Found]) -> list[Span]:
    """Intervention entities outside criteria text (a treatment named inside a criterion,
    "after <treatment> of the primary", is a condition, not the statement's subject)."""
    spans = [e for e in doc.ents if e.label_ == INTERVENTION and not any(
        f.start < e.end_char and e.start_char < f.end for f in criteria)]
    treatments = [e for e in spans if _group(e.ent_id_) not in agent_groups()]
    return treatments or spans


def _group(intervention_id: str) -> str:
    found = intervention_by_id(intervention_id)
    return found.group if found else ""


def _umbrella(doc: Doc, mention: Span) -> tuple[str, str]:
    """"X (A, B and C)" naming several interventions of one parent resolves to the parent."""
    if mention.end >= len(doc) or doc[mention.end].text != "(":
        return mention.ent_id_, mention.text
    close = next((t.i for t in doc[mention.end:] if t.text == ")"), None)
    if close is None:
        return mention.ent_id_, mention.text
    inside = {e.ent_id_ for e in doc.ents
              if e.label_ == INTERVENTION and mention.end < e.start and e.end <= close}
    parents = {p.parent for i in inside if (p := intervention_by_id(i)) is not None}
    if len(inside) >= 2 and len(parents) == 1 and "" not in parents:
        return parents.pop(), doc[mention.start:close + 1].text
    return mention.ent_id_, mention.text


def _coordinated(doc: Doc, first: Span, mentions: Sequence[Span]) -> tuple[str, ...]:
    """Other interventions joined to ``first`` by and/or ("A and B can be proposed")."""
    others: list[str] = []
    previous = first
    coordinators = lexicon().coordinators
    for mention in mentions:
        if mention.start <= previous.start:
            continue
        between = doc[previous.end:mention.start]
        if not all(t.lower_ in coordinators for t in between):
            break
        if mention.ent_id_ != first.ent_id_ and mention.ent_id_ not in others:
            others.append(mention.ent_id_)
        previous = mention
    return tuple(others)


def _is_generic_reference(doc: Doc, mention: Span) -> bool:
    """Is the mention a demonstrative + generic head ("This treatment"), pointing back?"""
    previous = doc[mention.start - 1].lower_ if mention.start > 0 else ""
    words = lexicon()
    return previous in words.anaphors and mention.text.lower() in words.generic_heads


def _has_anaphoric_subject(doc: Doc, trigger_start: int) -> bool:
    """Does the clause before the trigger open with "it", "this treatment", ... or nothing?"""
    words = [t.lower_ for t in doc[:trigger_start] if not t.is_punct]
    anaphors = lexicon().anaphors
    return not words or any(w in anaphors for w in words[:4])


def choose_intervention(doc: Doc, trigger: Trigger, criteria: Sequence[Found],
                        context: tuple[str, str]) -> Choice:
    """The intervention a statement is about: topic, subject or object, else the context,
    else the phrase the parse gives the trigger (``context`` is (id, phrase))."""
    if trigger.pathway:
        context = ("", "")  # a care pathway ("must be referred") names no treatment
    mentions = _mentions(doc, criteria)
    before = [m for m in mentions if m.end <= trigger.start]
    after = [m for m in mentions if m.start >= trigger.start]
    topic_end = doc.text.find(",")
    if doc.text.lower().startswith(lexicon().topic_openers) and topic_end > 0:
        before = [m for m in before if m.end_char <= topic_end] or before
    if trigger.direction == Direction.INSUFFICIENT_EVIDENCE:
        ordered = mentions
    else:
        ordered = before + after if trigger.passive else after + before
    subject = ordered[0] if ordered else None
    points_back = subject is None or (
        subject.end <= trigger.start and _is_generic_reference(doc, subject)) or (
        not before and trigger.passive and _has_anaphoric_subject(doc, trigger.start))
    if subject is None and _names_its_subject(trigger):  # the parse names it
        phrase = find_intervention_phrase(doc, trigger.start, trigger.end, trigger.passive,
                                          lexicon().phrase_words)
        if phrase:
            return Choice("", phrase, from_parse=True)
    if any(context) and points_back:
        return Choice(context[0], context[1], from_context=True)
    if subject is None:
        return Choice()
    intervention, raw = _umbrella(doc, subject)
    return Choice(intervention, raw, others=_coordinated(doc, subject, mentions))


def _names_its_subject(trigger: Trigger) -> bool:
    """Does the trigger's own subject or object say what is advised? Not for a care
    pathway, a condition ("should measure ...") or a statement about the evidence."""
    about_evidence = (Direction.INSUFFICIENT_EVIDENCE, Direction.RESEARCH_NEEDED)
    return not (trigger.pathway or trigger.needs_criteria or trigger.direction in about_evidence)


def find_statement_bodies(doc: Doc, citations: Sequence[int],
                          references: dict[int, str]) -> tuple[str, ...]:
    """Named guideline bodies; for "guidelines" unnamed, those of the cited references."""
    named = [e.ent_id_ for e in doc.ents if e.label_ == GUIDELINE_BODY]
    if not named and lexicon().generic_guideline.search(doc.text):
        named = [b for n in citations for b in find_bodies(references.get(n, ""))]
    if not named:
        named = find_body_names(doc.text)
    return tuple(dict.fromkeys(named)) or (AUTHORS,)


# The paper ---------------------------------------------------------------------------------


@dataclass
class _Sentence:
    """One sentence on its way: where it is and what the paragraph pass saw in it."""

    paragraph: Paragraph
    start: int  # chars into the paragraph
    end: int
    raw: str
    mentions: tuple[tuple[str, str], ...]  # (vocabulary id, words) of each intervention named


def paragraphs_to_sentences(layer: TextLayer, docs: Iterable[Doc]) -> list[list[_Sentence]]:
    """Sentences per paragraph, with the interventions each mentions (for context)."""
    grouped: list[list[_Sentence]] = []
    for paragraph, doc in zip(layer.paragraphs, docs, strict=True):
        grouped.append([
            _Sentence(paragraph, s.start_char, s.end_char, s.text,
                      tuple((e.ent_id_, e.text) for e in s.ents if e.label_ == INTERVENTION))
            for s in doc.sents
        ])
    return grouped


def docs_to_glossary(paper_id: str, layer: TextLayer, docs: Sequence[Doc]) -> list[GlossaryEntry]:
    """Abbreviations the prose defines ("body mass index (BMI)"), first use kept.

    The detector hands each paragraph's uses over from sets of spans, whose order
    follows object identity; taken in text order, the first use (and its page) is the
    same in every run.
    """
    entries: dict[str, GlossaryEntry] = {}
    for paragraph, doc in zip(layer.paragraphs, docs, strict=True):
        uses = sorted(doc._.abbreviations, key=lambda span: (
            span.start_char, span.end_char, str(span._.long_form)))
        for short in uses:
            expansion = " ".join(str(short._.long_form).split())
            abbreviation = short.text.strip()
            if _is_definition(abbreviation, expansion):
                entries.setdefault(abbreviation, GlossaryEntry(
                    paper_id=paper_id, abbreviation=abbreviation, expansion=expansion,
                    source="text", page=paragraph.locate(short.start_char).page))
    return list(entries.values())


def _verb_group_start(doc: Doc, start: int) -> int:
    """First token of the verb group a trigger ends ("is not yet | recommended")."""
    words = lexicon()
    while start > 0 and (doc[start - 1].lemma_ == "be" or doc[start - 1].lower_ in words.adverbs
                         or doc[start - 1].lower_ in words.modals
                         or doc[start - 1].lower_ == "not"):
        start -= 1
    return start


def _is_definition(abbreviation: str, expansion: str) -> bool:
    """Keep real definitions; drop e-mail initials ("S.D." -> an address) and plain words."""
    return (
        0 < len(abbreviation) <= 12 and " " not in abbreviation
        and any(c.isupper() or c.isdigit() for c in abbreviation)
        and bool(expansion) and expansion != abbreviation
        and not re.search(r"@|://|www\.", expansion)
    )


def sentence_to_statement(paper_id: str, layer: TextLayer, sentence: _Sentence, doc: Doc,
                          context: tuple[str, str], matcher: Matcher,
                          result: StatementsResult) -> Statement | None:
    """Apply the rules to one clean sentence; add its criteria and issues to ``result``."""
    words = lexicon()
    if words.narrative_sections.match(sentence.paragraph.section.strip()) or any(
            p.search(sentence.raw) for p in words.not_statements):
        return None  # methods, results and case descriptions report; they do not advise
    triggers = find_triggers(doc, matcher)
    criteria = find_criteria(doc.text)
    trigger = next((t for t in triggers if not t.needs_criteria or criteria), None)
    if trigger is None or trigger.direction is None:
        return None
    if any(e.label_ == REPORTING_STANDARD for e in doc.ents) and not _mentions(doc, criteria):
        return None
    clean, citations = strip_citations(sentence.raw)
    record_id = record_ids.statement_id(paper_id, clean)
    paragraph = sentence.paragraph
    box = paragraph.locate(sentence.start)
    choice = choose_intervention(doc, trigger, criteria, context)
    bodies = find_statement_bodies(doc, citations, layer.references)
    trigger_char = doc[_verb_group_start(doc, trigger.start)].idx
    glossary = {g.abbreviation: g.expansion for g in result.glossary}
    statement = Statement(
        statement_id=record_id, paper_id=paper_id, text=clean, section=paragraph.section,
        bodies=bodies, intervention=expand_abbreviations(choice.raw, glossary),
        intervention_id=choice.intervention, direction=trigger.direction,
        strength=find_strength(doc.text),
        population=find_population(doc.text, trigger_char) or find_population_phrase(
            doc, trigger.start, trigger.end, people_nouns()),
        setting=find_setting(doc.text), citations=citations,
        char_start=paragraph.char_start + sentence.start,
        char_end=paragraph.char_start + sentence.end,
        page=box.page, x0=box.x0, top=box.top, x1=box.x1, bottom=box.bottom,
    )
    result.criteria.extend(
        Criterion(criterion_id=record_ids.criterion_id(record_id, index), statement_id=record_id,
                  variable=f.variable, op=f.op, value=f.value, unit=f.unit, raw=f.raw)
        for index, f in enumerate(criteria, start=1))
    result.issues.extend(_statement_issues(statement, choice, layer.references))
    return statement


def _statement_issues(statement: Statement, choice: Choice,
                      references: dict[int, str]) -> list[Issue]:
    """Flags a curator should look at: missing or inferred intervention, unknown citations."""
    where: dict[str, Any] = {"record_id": statement.statement_id,
                             "paper_id": statement.paper_id, "page": statement.page}
    issues: list[Issue] = []
    if not statement.intervention and not choice.intervention:
        issues.append(make_issue("statement-without-intervention", **where,
                                 what="no intervention recognised in", text=statement.text))
    elif choice.from_context:
        issues.append(make_issue("intervention-from-context", **where,
                                 intervention=statement.intervention or choice.intervention))
    elif choice.from_parse:
        issues.append(make_issue("intervention-from-parse", **where,
                                 intervention=statement.intervention))
    if choice.others:
        issues.append(make_issue("several-interventions", **where,
                                 others=", ".join(choice.others)))
    missing = [n for n in statement.citations if references and n not in references]
    if missing:
        issues.append(make_issue("citation-not-in-bibliography", **where, missing=missing))
    return issues


def _may_advise(sentence: _Sentence) -> bool:
    """Is the sentence worth parsing: a candidate word, outside narrative sections and
    correspondence lines (the rules would drop those before reading the parse)?"""
    words = lexicon()
    return bool(words.candidate.search(sentence.raw)) and not (
        words.narrative_sections.match(sentence.paragraph.section.strip())
        or any(p.search(sentence.raw) for p in words.not_statements))


def extract_statements(paper_id: str, layer: TextLayer, nlp: Language) -> StatementsResult:
    """Given a paper's text layer and the pipeline, return its statements, criteria, glossary.

    Two passes: every paragraph is read for sentences, abbreviations and vocabulary
    entities without the tagger and parser; then only the sentences that may advise are
    parsed, all in one batch.
    """
    matcher = trigger_matcher(nlp)
    result = StatementsResult(layer=layer)
    docs = list(nlp.pipe((p.text for p in layer.paragraphs), disable=reading_pass_skips(nlp),
                         batch_size=PIPE_BATCH))
    result.glossary = docs_to_glossary(paper_id, layer, docs)
    paragraphs = paragraphs_to_sentences(layer, docs)
    candidates = [s for sentences in paragraphs for s in sentences if _may_advise(s)]
    clean_docs = dict(zip((id(s) for s in candidates),
                          nlp.pipe((strip_citations(s.raw)[0] for s in candidates),
                                   disable=parse_pass_skips(nlp), batch_size=PIPE_BATCH),
                          strict=True))
    seen: set[str] = set()
    for sentences in paragraphs:
        topics: list[tuple[str, str]] = []  # (vocabulary id, phrase) each sentence is about
        for sentence in sentences:
            recent = topics[max(0, len(topics) - CONTEXT_SENTENCES):]
            context = next((t for t in reversed(recent) if any(t)), ("", ""))
            doc = clean_docs.get(id(sentence))
            statement = None
            if doc is not None:
                statement = sentence_to_statement(paper_id, layer, sentence, doc, context,
                                                  matcher, result)
            if statement is not None and statement.statement_id not in seen:
                seen.add(statement.statement_id)
                result.statements.append(statement)
            topic = ((statement.intervention_id, statement.intervention)
                     if statement and statement.direction != Direction.RESEARCH_NEEDED
                     else ("", ""))
            topics.append(topic if any(topic) else next(iter(sentence.mentions), ("", "")))
    return result
