"""The spaCy pipeline statements are read with, built without any download.

In order of preference: scispaCy's ``en_core_sci_sm`` when it is installed; else
litcurate's own tagger and dependency parser, shipped in ``parser_model/`` (trained on
UD English EWT and GENIA by ``make model``, figures in
``benchmarks/results/parser_accuracy.json``); else, as the last resort, a rule-based
pipeline. All three give the statement rules what they need: sentences that survive
"et al.", "vs.", "Fig. 2" and decimals, lookup lemmas ("recommended" -> "recommend"),
abbreviation definitions, and entities for interventions and issuing bodies; the two
models add tags and a dependency parse.

Sentence splitting: spaCy's ``sentencizer`` plus ``litcurate_sentence_fixer`` (below).
scispaCy's ``pysbd_sentencizer`` was tried and kept out: it still splits
"Ho et al. [48] reported" and "Approx. 20 patients", which the fixer handles, and on
the first sample paper it was ~9x slower and cut 1264 sentences where this cuts 691.
"""

from __future__ import annotations

import importlib.util
import warnings
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from typing import Any

import spacy
from scispacy.abbreviation import AbbreviationDetector
from spacy.language import Language
from spacy.tokens import Doc, Token

from litcurate.extractors.vocabulary import load_bodies, load_interventions

SCI_MODEL = "en_core_sci_sm"
PARSER_MODEL_DIR = "parser_model"  # built by `make model` (tools/parser_model/)
INTERVENTION = "INTERVENTION"
GUIDELINE_BODY = "GUIDELINE_BODY"
REPORTING_STANDARD = "REPORTING_STANDARD"
METHOD = "METHOD"
# Words that end with a full stop without ending the sentence.
ABBREVIATIONS = frozenset({
    "al", "vs", "fig", "figs", "ref", "refs", "cf", "no", "nos", "approx", "ca", "eq",
    "resp", "e.g", "i.e", "eg", "ie", "viz", "tab", "suppl", "vol", "p", "pp", "dr",
    "mr", "mrs", "prof", "st", "sec", "min", "max", "incl", "n.b", "nb",
})
OPENERS = frozenset({"(", "[", "{"})
CLOSERS = frozenset({"]"})  # a citation bracket may end a sentence its printer left unstopped
# Components the reading pass (sentences, abbreviations, vocabulary entities of every
# paragraph) does without: only the sentences that may hold a statement are tagged and
# parsed, in a second pass that in turn skips the abbreviations (read once per paragraph).
MODEL_COMPONENTS = ("tok2vec", "tagger", "attribute_ruler", "parser", "ner", "lemmatizer")
ABBREVIATIONS_COMPONENT = "litcurate_abbreviations"
NO_ABBREVIATIONS_WARNING = "W036"  # scispaCy's detector matches with an empty matcher


def _ends_with_abbreviation(token: Token) -> bool:
    """Is this full stop (or word ending in one) the end of an abbreviation like 'al.'?"""
    if token.text == "." and token.i > 0:
        word = token.doc[token.i - 1].text.lower().rstrip(".")
        return word in ABBREVIATIONS
    return token.text.endswith(".") and token.text.lower().rstrip(".") in ABBREVIATIONS


def false_sentence_starts(doc: Doc) -> Iterator[int]:
    """Given a split doc, yield indices of sentence starts that only follow an abbreviation."""
    for token in doc[1:]:
        if not token.is_sent_start:
            continue
        previous = doc[token.i - 1]
        starts_lower = token.text[:1].islower()
        if starts_lower or previous.text in OPENERS or _ends_with_abbreviation(previous):
            yield token.i


def missed_sentence_starts(doc: Doc) -> Iterator[int]:
    """Yield indices of sentence starts the full-stop splitter cannot see: a capitalised
    function word right after a citation bracket ("... support [7,10] More detailed ..."),
    where the text layer lost the full stop. A function word ("More", "The", "This")
    is never capitalised inside a sentence, unlike a name or an acronym."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if (previous.text in CLOSERS and not token.is_sent_start and token.is_title
                and token.text != "I" and doc.vocab[token.lower_].is_stop):
            yield token.i


@Language.component("litcurate_sentence_fixer")
def fix_sentence_starts(doc: Doc) -> Doc:
    """Undo splits after abbreviations, open brackets and before lowercase words; split
    after a citation bracket that ends an unstopped sentence."""
    for index in list(false_sentence_starts(doc)):
        doc[index].is_sent_start = False
    for index in list(missed_sentence_starts(doc)):
        doc[index].is_sent_start = True
    return doc


@Language.factory("litcurate_abbreviations")
def make_abbreviation_detector(nlp: Language, name: str) -> Any:
    """scispaCy's detector, quiet about documents that define no abbreviation."""
    detector = AbbreviationDetector(nlp, name=name)

    def detect(doc: Doc) -> Doc:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=rf"\[{NO_ABBREVIATIONS_WARNING}\]")
            return detector(doc)

    return detect


def entity_patterns() -> list[dict[str, Any]]:
    """Entity-ruler patterns from the vocabularies: phrases for names, exact case for acronyms."""
    patterns: list[dict[str, Any]] = []
    for intervention in load_interventions():
        for synonym in intervention.synonyms:
            patterns.append({"label": INTERVENTION, "pattern": synonym, "id": intervention.id})
    for body in load_bodies():
        for acronym in body.acronyms:
            patterns.append({"label": body.kind, "pattern": [{"ORTH": acronym}], "id": body.id})
        for name in body.names:
            patterns.append({"label": body.kind, "pattern": name, "id": body.id})
    return patterns


def _add_shared_components(nlp: Language, before: str | None = None) -> None:
    """Abbreviations and the vocabulary entity ruler, the same on both pipelines."""
    nlp.add_pipe(ABBREVIATIONS_COMPONENT)
    ruler = nlp.add_pipe(
        "entity_ruler",
        before=before,
        config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True},
    )
    ruler.add_patterns(entity_patterns())  # type: ignore[attr-defined]


def build_rule_based_nlp() -> Language:
    """A pipeline needing no model download: sentences, lookup lemmas, abbreviations, ruler."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("litcurate_sentence_fixer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    _add_shared_components(nlp)
    return nlp


def build_model_nlp() -> Language:
    """scispaCy's small model with the same fixer, abbreviations and ruler added."""
    nlp = spacy.load(SCI_MODEL)
    # Boundaries are set before the parser, which keeps preset ones (it refuses edits after).
    first = nlp.pipe_names[0] if nlp.pipe_names else None
    nlp.add_pipe("sentencizer", before=first)
    nlp.add_pipe("litcurate_sentence_fixer", after="sentencizer")
    _add_shared_components(nlp, before="ner" if "ner" in nlp.pipe_names else None)
    return nlp


def build_parser_nlp() -> Language:
    """litcurate's own tagger and parser, shipped in the package, with the same additions.

    Lemmas stay the lookup table's, as in the rule-based pipeline, so the statement
    rules see the same lemmas whichever pipeline reads the text.
    """
    with resources.as_file(resources.files(__package__) / PARSER_MODEL_DIR) as path:
        nlp = spacy.load(path)
    nlp.add_pipe("sentencizer", before=nlp.pipe_names[0])
    nlp.add_pipe("litcurate_sentence_fixer", after="sentencizer")
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    lemmatizer.initialize()  # type: ignore[attr-defined]
    _add_shared_components(nlp)
    return nlp


def reading_pass_skips(nlp: Language) -> list[str]:
    """The components the reading pass over whole paragraphs leaves out (see above).

    The lemmatizer goes too: a rule lemmatizer needs tags, and the reading pass reads
    no lemma (its sentences, entities and abbreviations come from the surface forms).
    """
    return [name for name in nlp.pipe_names if name in MODEL_COMPONENTS]


def parse_pass_skips(nlp: Language) -> list[str]:
    """The components the parsing pass over candidate sentences leaves out."""
    return [name for name in nlp.pipe_names if name == ABBREVIATIONS_COMPONENT]


def has_sci_model() -> bool:
    """Is scispaCy's model installed? Checked, never downloaded."""
    return importlib.util.find_spec(SCI_MODEL) is not None


def has_parser_model() -> bool:
    """Is litcurate's own parser in this install (it ships with the package)?"""
    return (resources.files(__package__) / PARSER_MODEL_DIR / "meta.json").is_file()


@lru_cache(maxsize=2)
def build_nlp(prefer_model: bool = True) -> Language:
    """The statements pipeline, built once per process: scispaCy's model if installed, else
    litcurate's own parser, else rules only."""
    if prefer_model and has_sci_model():
        return build_model_nlp()
    if prefer_model and has_parser_model():
        return build_parser_nlp()
    return build_rule_based_nlp()
