"""Recommendation cues read with litcurate's own parser: one tiny sentence per cue.

Each sentence is from no particular paper; the cue, not the vocabulary, must make it a
statement (or keep it out). The rules are data (statement_triggers.yaml); the parse
decides the clause a cue sits in.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from litcurate.extractors.statements.detection import StatementsResult, extract_statements
from litcurate.extractors.statements.nlp import build_parser_nlp
from litcurate.extractors.text.layer import text_to_layer
from litcurate.schemas.enums import Direction


@pytest.fixture(scope="module")
def parsed() -> Language:
    return build_parser_nlp()


def extract(nlp: Language, text: str) -> StatementsResult:
    return extract_statements("paper", text_to_layer(f"{text}\n\nReferences\n\n1. A. B. 2016."),
                              nlp)


@pytest.mark.parametrize(("text", "direction"), [
    ("Renal function should be taken into consideration before the first dose.",
     Direction.RECOMMENDED),
    ("Besides age, there are other factors which should be taken into consideration, such "
     "as frailty and cognition.", Direction.RECOMMENDED),
    ("In our opinion, early mobilisation is a good alternative to bed rest.", Direction.CONSIDER),
    ("Home dialysis seems to be a promising alternative for working adults.", Direction.CONSIDER),
    ("We do not see this as a revolution but as a good alternative for some patients.",
     Direction.CONSIDER),
    ("Elderly smokers may warrant a structured follow-up visit.", Direction.CONSIDER),
    ("Small adrenal nodules warrant consideration in this setting.", Direction.CONSIDER),
    ("Thiazide diuretics are first-line therapy for uncomplicated hypertension.",
     Direction.RECOMMENDED),
    ("Poor outcomes have been linked to late diagnosis, thereby underscoring the need for "
     "routine screening.", Direction.RECOMMENDED),
    ("A regional referral scheme is indispensable if waiting times are to fall.",
     Direction.RECOMMENDED),
    ("Early feeding is of paramount importance for preterm infants.", Direction.RECOMMENDED),
    ("This case emphasizes again the importance of repeated serum samples.",
     Direction.RECOMMENDED),
    ("There is a need to further study the role of zinc supplements in these children.",
     Direction.RESEARCH_NEEDED),
    ("These findings warrant further investigation in larger cohorts of older adults.",
     Direction.RESEARCH_NEEDED),
    ("There is a need to sustain campaigns that educate women about antenatal care.",
     Direction.RECOMMENDED),
])
def test_cue_makes_a_statement(parsed: Language, text: str, direction: Direction) -> None:
    result = extract(parsed, text)
    assert [s.direction for s in result.statements] == [direction]


def test_strict_indication_is_about_its_subject(parsed: Language) -> None:
    result = extract(parsed, "In our opinion, primary arthroplasty requires a strict and "
                             "individualised indication.")
    (statement,) = result.statements
    assert statement.direction == Direction.INDICATED
    assert statement.intervention == "primary arthroplasty"


@pytest.mark.parametrize("text", [
    "The first step is to determine which domains should be measured in all trials.",
    "The second step selects the instruments that should be used to assess the domains.",
    "We have provided guidance on the target difference and how this should be reported.",
    "Purely ectopic nodules are rare and must be confirmed by imaging to be truly separate.",
    "If the groups differ trivially, the groups might be considered not to be different.",
    "Our steering committee decided that no requirements should be applied to the domains.",
    "There is no intent that this set should be considered as a requirement for approval, "
    "or that an intervention should show benefits on all measures.",
])
def test_embedded_and_classifying_clauses_are_not_statements(parsed: Language,
                                                             text: str) -> None:
    assert extract(parsed, text).statements == []


@pytest.mark.parametrize(("text", "intervention"), [
    ("Clinicians should be aware of the risk and implement early antibiotic therapy.",
     "early antibiotic therapy"),
    ("Pregnant women should be active and participate in moderate exercise.",
     "moderate exercise"),
    ("It is crucial to maintain a broad differential diagnosis.", "broad differential diagnosis"),
    ("There is a need to sustain education campaigns in schools.", "education campaigns"),
    ("Late diagnosis is common, thereby underscoring the need for routine screening.",
     "routine screening"),
    ("All efforts should be taken to isolate the organism.", "isolate the organism"),
    ("Ectopic adenomas, although rare, warrant consideration.", "Ectopic adenomas"),
])
def test_the_parse_gives_what_is_advised(parsed: Language, text: str,
                                         intervention: str) -> None:
    (statement,) = extract(parsed, text).statements
    assert statement.intervention == intervention


@pytest.mark.parametrize(("text", "population"), [
    ("The society recommends that pregnant women who are overweight should be encouraged to "
     "follow an exercise programme.", "pregnant women who are overweight"),
    ("Medical workers should increase the rate of screening for T2DM patients.",
     "T2DM patients"),
    ("Ovarian suppression is recommended in pre/perimenopausal women with metastatic disease.",
     "pre/perimenopausal women with metastatic disease"),
    ("The lesion should be removed before the second cycle.", ""),
])
def test_population_from_the_sentence_or_its_subject(parsed: Language, text: str,
                                                     population: str) -> None:
    (statement,) = extract(parsed, text).statements
    assert statement.population == population
