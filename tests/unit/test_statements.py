"""Statement rules, one case per sentence pattern (sentences from the first sample paper)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from spacy.language import Language

from litcurate.extractors.statements.detection import (
    StatementsResult,
    extract_statements,
    parse_citations,
    strip_citations,
)
from litcurate.extractors.statements.nlp import build_nlp, build_parser_nlp
from litcurate.extractors.text.layer import text_to_layer
from litcurate.schemas.enums import Direction, Severity
from litcurate.schemas.record_ids import statement_id

REFERENCES = (
    "References\n\n"
    "7. Pavel, M.; et al. ENETS Consensus Guidelines Update for the Management of Distant "
    "Metastatic Disease. Neuroendocrinology 2016, 103, 172-185.\n"
    "8. Frilling, A. Recommendations for management of liver metastases. Lancet Oncol. 2014.\n"
    "9. Yao, J.C. One hundred years after carcinoid. J. Clin. Oncol. 2008.\n"
    "10. Ronot, M. Imaging of liver metastases. Neuroendocrinology 2018.\n"
    "11. Ronot, M. Functional imaging. J. Hepatol. 2016.\n"
    "12. Dromain, C. Detection of liver metastases. J. Clin. Oncol. 2005.\n"
    "13. Ruf, J. Multiphase PET/CT. Neuroendocrinology 2010.\n"
    "14. Nigri, G. Treatment options for PNET liver metastases. World J. Surg. Oncol. 2018.\n"
    "15. Sarmiento, J.M. Surgical treatment. J. Am. Coll. Surg. 2003.\n"
    "16. Sarmiento, J.M. Concurrent resections. Surgery 2002.\n"
    "17. Yuan, C. Meta-analysis of liver resection. Ann. Surg. Oncol. 2016.\n"
    "18. Watzka, F.M. Surgical therapy. Langenbecks Arch. Surg. 2015.\n"
    "19. Boudreaux, J.P. The NANETS consensus guideline. Pancreas 2010.\n"
    "20. Kulke, M.H. NANETS treatment guidelines. Pancreas 2010.\n"
    "21. Gedaly, R. Liver transplantation. Arch. Surg. 2011.\n"
    "22. Le Treut, Y.P. Liver transplantation for NETs in Europe. Ann. Surg. 2013.\n"
    "23. Clift, A.K. Liver transplantation and multivisceral transplantation. 2018."
)


@dataclass(frozen=True)
class Case:
    """One sentence (with the sentence before it, if the rule needs context) and its answer."""

    text: str
    direction: Direction
    intervention: str
    bodies: tuple[str, ...] = ("authors",)
    citations: tuple[int, ...] = ()
    criteria: tuple[tuple[str, str, float | None], ...] = ()
    population: str | None = None
    setting: str = ""
    before: str = ""
    issues: tuple[str, ...] = field(default_factory=tuple)


CASES = {
    "surgery-enets-nanets": Case(
        "Surgery for a limited number of liver metastases preferably localized to one lobe is "
        "recommended by the ENETS (European Neuroendocrine Tumor Society) and NANETS (North "
        "American Neuroendocrine Tumor Society) guidelines to improve quality of life and "
        "survival.",
        Direction.RECOMMENDED, "resection", ("ENETS", "NANETS"),
        population="a limited number of liver metastases preferably localized to one lobe"),
    "cytoreductive-criteria": Case(
        "Regarding cytoreductive surgery, guidelines conclude that surgical resection should be "
        "attempted if the disease is not progressive over a 6-month period in patients suffering "
        "from symptoms related to tumor burden and when at least 90% of the visible tumor can be "
        "removed, or in uncontrolled functional tumors [7,19,20].",
        Direction.RECOMMENDED, "debulking", ("ENETS", "NANETS"), (7, 19, 20),
        (("stable_disease_months", ">=", 6.0), ("resectable_tumour_pct", ">=", 90.0))),
    "transplantation-cannot": Case(
        "Due to the small number of liver transplantations in this indication, the role of liver "
        "transplantation was controversial and cannot be recommended by ENETS and NANETS "
        "guidelines [7,19,20].",
        Direction.NOT_RECOMMENDED, "transplantation", ("ENETS", "NANETS"), (7, 19, 20)),
    "ablation-consider": Case(
        "Ablative techniques should be considered as a treatment option, in association or not "
        "with surgery, in carefully selected patients according to the NANETS guidelines [19,20].",
        Direction.CONSIDER, "ablation", ("NANETS",), (19, 20),
        population="carefully selected patients"),
    "embolization-umbrella": Case(
        "Hepatic arterial embolization (embolization, chemoembolization, and radio-embolization) "
        "is recommended by ENETS and NANETS in patients with liver metastases who are not "
        "candidates for surgical resection [7,19,20].",
        Direction.RECOMMENDED, "liver_directed", ("ENETS", "NANETS"), (7, 19, 20),
        population="patients with liver metastases who are not candidates for surgical resection"),
    "tare-nanets": Case(
        "Radio-embolization is recommended by NANETS in patients with liver metastases who are "
        "not candidates for surgical resection [19,20].",
        Direction.RECOMMENDED, "TARE", ("NANETS",), (19, 20),
        population="patients with liver metastases who are not candidates for surgical resection"),
    "safety-data-required": Case(
        "ENETS guidelines highlight that more safety data on long-term tolerability are "
        "required [7].",
        Direction.INSUFFICIENT_EVIDENCE, "TARE", ("ENETS",), (7,),
        before="Radio-embolization is an emerging treatment.",
        issues=("intervention-from-context",)),
    "safety-data-no-context": Case(
        "ENETS guidelines highlight that more safety data on long-term tolerability are "
        "required [7].",
        Direction.INSUFFICIENT_EVIDENCE, "", ("ENETS",), (7,),
        issues=("statement-without-intervention",)),
    "prrt-second-line": Case(
        "ENETS guidelines recommend the use of PRRT in midgut NETs with metastases as a "
        "second-line therapy after progression under somatostatin analogues [7].",
        Direction.RECOMMENDED, "PRRT", ("ENETS",), (7,), population="midgut NETs with metastases",
        setting="second-line"),
    "prrt-not-yet": Case(
        "Currently, PRRT is not yet recommended by ENETS.",
        Direction.NOT_RECOMMENDED, "PRRT", ("ENETS",)),
    "locoregional-not-recommended": Case(
        "These locoregional therapies are not recommended for predominant extrahepatic metastatic "
        "diseases or neuroendocrine carcinoma.",
        Direction.NOT_RECOMMENDED, "liver_directed",
        criteria=(("extrahepatic_disease", "present", None),)),
    "surgery-first-line": Case(
        "Surgery with curative intent of the primitive and LM is recommended as a first-line "
        "treatment.",
        Direction.RECOMMENDED, "resection", setting="first-line", population=""),
    "lesion-size": Case(
        "The metastatic lesion should measure less than 5 cm.",
        Direction.INDICATED, "RFA", criteria=(("lesion_size_cm", "<", 5.0),),
        before="Radiofrequency ablation with surgery is indicated in a complex pattern of LM."),
    "rfa-contraindicated": Case(
        "Radiofrequency ablation may be contraindicated for lesions that are close to vital "
        "structures or the liver surface.",
        Direction.CONTRAINDICATED, "RFA",
        population="lesions that are close to vital structures or the liver surface"),
    "hepatic-volume": Case(
        "Ideally, this treatment is recommended for hypervascularized metastases in standard "
        "imaging, with a tumor less than 50% of the hepatic volume, after resection of the "
        "primary tumor (especially for pancreatic tumor).",
        Direction.RECOMMENDED, "liver_directed",
        criteria=(("hypervascular", "present", None), ("hepatic_invasion_pct", "<", 50.0),
                  ("primary_tumour_resected", "present", None)),
        before="In the case of diffuse LM, intra-arterial hepatic treatment can be proposed."),
    "debulking-not-indicated": Case(
        "Debulking surgery is not indicated with a curative intent.",
        Direction.NOT_RECOMMENDED, "debulking"),
    "transplantation-criteria": Case(
        "Finally, liver transplantation may be an option and should be discussed in precise "
        "selected cases with the following criteria: ki-67 < 10%, young age, absence of "
        "extrahepatic disease, resection of the primary tumor, hepatic invasion <50%, and tumor "
        "disease stable for at least 6 months [7,23].",
        Direction.CONSIDER, "transplantation", citations=(7, 23),
        criteria=(("ki67_pct", "<", 10.0), ("age", "present", None),
                  ("extrahepatic_disease", "absent", None),
                  ("primary_tumour_resected", "present", None),
                  ("hepatic_invasion_pct", "<", 50.0), ("stable_disease_months", ">=", 6.0)),
        population="precise selected cases"),
    "coordinated-interventions": Case(
        "Trans-arterial embolization and trans-arterial chemoembolization can be proposed in "
        "first-line treatment for small-bowel tumors.",
        Direction.CONSIDER, "TAE", setting="first-line", population="small-bowel tumors",
        issues=("several-interventions",)),
    "indicated-anaphora": Case(
        "It is, however, indicated in selected patients in the case of functional NETs.",
        Direction.INDICATED, "debulking",
        before="Debulking surgery is not indicated with a curative intent.",
        issues=("intervention-from-context",)),
    "treatment-of-choice": Case(
        "Surgery is the treatment of choice for resectable tumors and metastasis.",
        Direction.RECOMMENDED, "resection", population="resectable tumors and metastasis"),
    "cannot-be-affirmed": Case(
        "However, comparative trials are lacking, so the superiority of debulking surgery in "
        "non-functional tumors cannot be affirmed.",
        Direction.INSUFFICIENT_EVIDENCE, "debulking"),
    "guideline-body-advocates": Case(
        "The American College of Obstetricians and Gynecologists (ACOG) has advocated that "
        "women should be active and exercise.",
        Direction.RECOMMENDED, "", bodies=("ACOG",),
        issues=("statement-without-intervention",)),
    "indications-noun": Case(
        "The indications for liver-directed treatments are: G1 or G2 NETs with unresectable "
        "tumor progression.",
        Direction.INDICATED, "liver_directed", criteria=(("grade", "<=", 2.0),)),
}


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_nlp(prefer_model=False)


@pytest.fixture(scope="module")
def parsed() -> Language:
    """litcurate's own tagger and parser (always shipped), for rules that read the parse."""
    return build_parser_nlp()


def extract(nlp: Language, text: str, references: str = REFERENCES) -> StatementsResult:
    return extract_statements("paper", text_to_layer(f"{text}\n\n{references}"), nlp)


@pytest.mark.parametrize("name", sorted(CASES))
def test_statement(nlp: Language, name: str) -> None:
    case = CASES[name]
    text = f"{case.before} {case.text}".strip()
    result = extract(nlp, text)
    found = [s for s in result.statements if s.text.startswith(case.text[:30])]
    assert len(found) == 1, [s.text for s in result.statements]
    statement = found[0]
    assert statement.direction == case.direction
    assert statement.intervention_id == case.intervention
    assert statement.bodies == case.bodies
    assert statement.citations == case.citations
    assert statement.setting == case.setting
    if case.population is not None:
        assert statement.population == case.population
    criteria = [(c.variable, c.op, c.value) for c in result.criteria
                if c.statement_id == statement.statement_id]
    assert criteria == list(case.criteria)
    rules = {i.rule for i in result.issues if i.record_id == statement.statement_id}
    assert set(case.issues) <= rules
    assert "[" not in statement.text  # citation markers are not part of the statement text


@pytest.mark.parametrize("text", [
    "The review was conducted according to the PRISMA guidelines.",
    "Data were extracted as recommended by the PRISMA statement.",
    "Radiofrequency ablation can be performed percutaneously under imaging guidance.",
    "Recent data have suggested that liver transplantation may represent the most efficient "
    "approach in terms of overall and disease-free survival.",
    "The European (ENETS) recommendations are useful in therapeutic decisions.",
    "Liver transplantation has been proposed for two reasons.",
])
def test_descriptive_and_method_sentences_yield_nothing(nlp: Language, text: str) -> None:
    result = extract(nlp, text)
    assert result.statements == []
    assert result.criteria == []


def test_recommendation_without_intervention_is_published_and_flagged(nlp: Language) -> None:
    result = extract(nlp, "Furthermore, these therapies may be considered repetitively.")
    assert [(s.direction, s.intervention) for s in result.statements] == [
        (Direction.CONSIDER, "")]
    assert [(i.rule, i.severity, i.record_id) for i in result.issues] == [
        ("statement-without-intervention", Severity.WARNING,
         result.statements[0].statement_id)]


def test_parse_gives_the_intervention_no_vocabulary_names(parsed: Language) -> None:
    result = extract(parsed, "Pharmacologic anticoagulation using low-dose heparin is the "
                             "recommended primary prophylaxis in injured adults.")
    statement = result.statements[0]
    assert statement.direction == Direction.RECOMMENDED
    assert statement.intervention.startswith("Pharmacologic anticoagulation")
    assert statement.intervention_id == ""
    assert "intervention-from-parse" in {i.rule for i in result.issues}


def test_descriptive_use_of_a_cue_is_not_a_statement(parsed: Language) -> None:
    result = extract(parsed, "Hand washing is a commonly used and widely recommended "
                             "preventive measure.")
    assert result.statements == []


def test_research_needed_strength_and_named_body(parsed: Language) -> None:
    result = extract(parsed, "Further randomised trials are needed to compare the two "
                             "dressings. The European Society of Cardiology recommends "
                             "early mobilisation after the procedure (Grade A).")
    by_direction = {s.direction: s for s in result.statements}
    assert set(by_direction) == {Direction.RESEARCH_NEEDED, Direction.RECOMMENDED}
    recommended = by_direction[Direction.RECOMMENDED]
    assert recommended.bodies == ("European Society of Cardiology",)
    assert recommended.strength == "Grade A"
    assert recommended.intervention == "early mobilisation"


def test_statement_span_id_and_location(nlp: Language) -> None:
    text = "Currently, PRRT is not yet recommended by ENETS."
    layer = text_to_layer(f"Intro sentence here.\n\nSome context first. {text} More text [99].")
    result = extract_statements("paper", layer, nlp)
    (statement,) = result.statements
    assert layer.text[statement.char_start:statement.char_end] == text
    assert statement.statement_id == statement_id("paper", f"  {text.upper()} ")
    assert re.fullmatch(r"paper:s:[0-9a-f]{10}", statement.statement_id)
    assert statement.page == 1


def test_unknown_citation_is_flagged(nlp: Language) -> None:
    result = extract(nlp, "Radio-embolization is recommended by NANETS [19,99].")
    assert "citation-not-in-bibliography" in {i.rule for i in result.issues}


def test_glossary_from_prose(nlp: Language) -> None:
    result = extract(nlp, "Trans-arterial embolization (TAE) is used. The author (S.D.) wrote "
                          "to solene.dermine@aphp.fr (S.D.).")
    assert [(g.abbreviation, g.expansion, g.source, g.page) for g in result.glossary] == [
        ("TAE", "Trans-arterial embolization", "text", 1)]


@pytest.mark.parametrize(("marker", "numbers"), [
    ("7,19,20", (7, 19, 20)),
    ("23–26", (23, 24, 25, 26)),
    ("39–43,45–53", (39, 40, 41, 42, 43, *range(45, 54))),
    ("20, 19, 20", (19, 20)),
])
def test_parse_citations(marker: str, numbers: tuple[int, ...]) -> None:
    assert parse_citations(marker) == numbers


def test_strip_citations_cleans_the_sentence() -> None:
    assert strip_citations("It is recommended [7,19,20]. Then [23–26], more.") == (
        "It is recommended. Then, more.", (7, 19, 20, 23, 24, 25, 26))
