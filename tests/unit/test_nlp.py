"""The statements pipeline: sentences, lemmas, abbreviations and vocabulary entities."""

from __future__ import annotations

import pytest
from spacy.language import Language

from litcurate.extractors.statements.nlp import (
    build_model_nlp,
    build_nlp,
    build_parser_nlp,
    build_rule_based_nlp,
    has_sci_model,
    parse_pass_skips,
    reading_pass_skips,
)


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_nlp(prefer_model=False)


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Sarmiento et al. identified a mortality of 0%. Complications were rare.", 2),
        ("The risk was higher (40% vs. 0.4%) in this group. It is safe.", 2),
        ("Some agents, e.g. doxorubicin, are used. Others, i.e. cisplatin, too.", 2),
        ("The median was 2.5 months (Fig. 2). The rest is in Ref. 7 below.", 2),
        ("The study by Ho et al. [48] reported 78%. Kim et al. in 1999 reported less.", 2),
        ("Trials are lacking (cf. Table 1). No. 5 was excluded. Approx. 20 were included.", 3),
    ],
)
def test_sentences_survive_abbreviations_and_decimals(nlp: Language, text: str,
                                                      sentences: int) -> None:
    doc = nlp(text)
    assert len(list(doc.sents)) == sentences
    assert all(s.text.rstrip().endswith((".", ")")) for s in doc.sents)


@pytest.mark.parametrize("prefer_model", [False, True])
def test_a_citation_ends_a_sentence_printed_without_its_full_stop(prefer_model: bool) -> None:
    doc = build_nlp(prefer_model=prefer_model)(
        "Research is needed on how to reach smokers [7,10] More data are needed [12]. "
        "The trial [4] and The Lancet review [5] agreed.")
    assert [s.text.split()[0] for s in doc.sents] == ["Research", "More", "The"]


def test_lookup_lemmas_reduce_trigger_verbs(nlp: Language) -> None:
    doc = nlp("It was recommended, indicated and considered.")
    assert [t.lemma_ for t in doc if t.is_alpha][2:] == [
        "recommend", "indicate", "and", "consider"]


def test_abbreviations_are_detected(nlp: Language) -> None:
    doc = nlp("Trans-arterial embolization (TAE) is common. Liver metastases (LM) are frequent.")
    pairs = {a.text: str(a._.long_form) for a in doc._.abbreviations}
    assert pairs["TAE"] == "Trans-arterial embolization"
    assert pairs["LM"] == "Liver metastases"


def test_a_sentence_without_abbreviations_raises_no_warning(nlp: Language) -> None:
    assert nlp("No abbreviation is defined here.")._.abbreviations == []


def test_entity_ruler_tags_bodies_standards_and_interventions(nlp: Language) -> None:
    doc = nlp("ENETS recommends SIR-Spheres; we followed the PRISMA guidelines, not GRADE.")
    labels = {e.text: (e.label_, e.ent_id_) for e in doc.ents}
    assert labels["ENETS"] == ("GUIDELINE_BODY", "ENETS")
    assert labels["PRISMA"] == ("REPORTING_STANDARD", "PRISMA")
    assert labels["GRADE"] == ("METHOD", "GRADE")
    assert labels["SIR-Spheres"] == ("INTERVENTION", "TARE")


def test_lowercase_grade_is_not_the_grade_method(nlp: Language) -> None:
    assert not [e for e in nlp("Grade 3 tumors are rare.").ents if e.label_ == "METHOD"]


def test_build_nlp_is_cached() -> None:
    assert build_nlp(prefer_model=False) is build_nlp(prefer_model=False)
    assert build_rule_based_nlp() is not build_rule_based_nlp()


NO_MODEL = "en_core_sci_sm is not installed (models are never downloaded)"


@pytest.mark.skipif(not has_sci_model(), reason=NO_MODEL)
def test_model_pipeline_has_the_same_entities() -> None:
    nlp = build_model_nlp()
    doc = nlp("Radio-embolization is recommended by NANETS. Sarmiento et al. agreed.")
    assert len(list(doc.sents)) == 2
    assert {e.ent_id_ for e in doc.ents} >= {"TARE", "NANETS"}


def test_the_reading_pass_skips_the_model_and_reads_the_same_sentences_and_entities() -> None:
    nlp = build_parser_nlp()
    skipped = reading_pass_skips(nlp)
    assert {"tok2vec", "tagger", "parser"} <= set(skipped)
    assert {"sentencizer", "litcurate_sentence_fixer", "entity_ruler",
            "litcurate_abbreviations"}.isdisjoint(skipped)
    assert parse_pass_skips(nlp) == ["litcurate_abbreviations"]
    text = ("Trans-arterial embolization (TAE) is recommended by ENETS [7]. Ho et al. [48] "
            "agreed. PRRT is not yet recommended by NANETS.")
    read, full = nlp.pipe([text], disable=skipped).__next__(), nlp(text)
    assert not read.has_annotation("DEP") and full.has_annotation("DEP")
    assert [s.text for s in read.sents] == [s.text for s in full.sents]
    assert [(e.text, e.label_) for e in read.ents] == [(e.text, e.label_) for e in full.ents]
    assert [a.text for a in read._.abbreviations] == [a.text for a in full._.abbreviations]
