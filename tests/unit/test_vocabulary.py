"""Intervention and body vocabularies: packaged data, spelling variants, normalising cells."""

from __future__ import annotations

import pytest

from litcurate.extractors.vocabulary import (
    find_bodies,
    find_interventions,
    intervention_by_id,
    load_bodies,
    load_interventions,
    normalise_intervention,
    spelling_variants,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("chemoembolization", "TACE"),
        ("Trans-arterial chemoembolization", "TACE"),
        ("transarterial chemoembolisation", "TACE"),
        ("bland embolization", "TAE"),
        ("Hepatic arterial embolization", "TAE"),
        ("Radio-embolization", "TARE"),
        ("radioembolization", "TARE"),
        ("SIR-Spheres", "TARE"),
        ("Theraspheres", "TARE"),
        ("SIR-Spheres + 5FU infusion", "TARE"),
        ("DEB-TACE", "TACE"),
        ("177Lu-DOTATATE", "PRRT"),
        ("radiofrequency ablation", "RFA"),
        ("microwave ablation", "MWA"),
        ("percutaneous ethanol injection", "PEI"),
        ("ablative techniques", "ablation"),
        ("hepatectomy", "resection"),
        ("cytoreductive surgery", "debulking"),
        ("liver transplantation", "transplantation"),
        ("locoregional therapies", "liver_directed"),
        ("somatostatin analogs", "SSA"),
        ("somatostatin analogues", "SSA"),
        ("TAE or TACE", "TAE"),
        ("Doxo + sponge", "TACE"),
        ("Sponge", "TAE"),
        ("PVA or embosphères", "TAE"),
        ("Doxo", "doxorubicin"),
        ("", ""),
        ("placebo gargle", ""),
    ],
)
def test_normalise_intervention(text: str, expected: str) -> None:
    assert normalise_intervention(text) == expected


def test_longest_synonym_wins_inside_a_phrase() -> None:
    assert find_interventions("radio-embolization and embolization") == [
        ("TARE", "radio-embolization"), ("TAE", "embolization")]


def test_spelling_variants_cover_hyphens_and_british_spelling() -> None:
    variants = spelling_variants("trans-arterial chemoembolization")
    assert {"transarterial chemoembolization", "trans arterial chemoembolisation"} <= set(variants)
    assert "somatostatin analogs" in spelling_variants("somatostatin analogues")


def test_vocabularies_are_packaged_and_parents_resolve() -> None:
    ids = {i.id for i in load_interventions()}
    assert {"TAE", "TACE", "TARE", "PRRT", "RFA", "resection", "liver_directed"} <= ids
    tare = intervention_by_id("TARE")
    assert tare is not None and tare.parent == "liver_directed"
    kinds = {b.id: b.kind for b in load_bodies()}
    assert kinds["ENETS"] == "GUIDELINE_BODY"
    assert kinds["PRISMA"] == "REPORTING_STANDARD"
    assert kinds["GRADE"] == "METHOD"


def test_find_bodies_reads_references_but_not_lowercase_words() -> None:
    assert find_bodies("Pavel, M. ENETS Consensus Guidelines Update. Neuroendocrinology") == [
        "ENETS"]
    assert find_bodies("a nice result") == []
    assert find_bodies("following the PRISMA statement", "REPORTING_STANDARD") == ["PRISMA"]
