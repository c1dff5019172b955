"""Study labels resolved to bibliography entries."""

from __future__ import annotations

from litcurate.extractors.evidence.references import resolve_reference
from litcurate.extractors.evidence.study_labels import parse_study_label

REFERENCES = {
    39: "Carrasco, C.; Charnsangavej, C. The carcinoid syndrome. Am. J. Med. 1986, 80, 1-5.",
    64: "Ezziddin, S.; Meyer, C. 90Y Radioembolization. J. Nucl. Med. 2012, 53, 1-9.",
    85: "Ezziddin, S.; Attassi, M. Predictors of long-term outcome. J. Nucl. Med. 2014, 55, 1.",
    90: "Carrasco, P. Another study. 1999.",
}


def test_printed_citation_number_wins() -> None:
    assert resolve_reference(parse_study_label("Kennedy (2008) [64]"), REFERENCES) == 64


def test_surname_and_year_pick_the_one_entry() -> None:
    assert resolve_reference(parse_study_label("Carrasco, 1986"), REFERENCES) == 39


def test_a_misspelled_surname_resolves_by_year() -> None:
    assert resolve_reference(parse_study_label("Ezzidin, 2012"), REFERENCES) == 64


def test_no_entry_or_no_year_resolves_to_nothing() -> None:
    assert resolve_reference(parse_study_label("Roche, 2003"), REFERENCES) is None
    assert resolve_reference(parse_study_label("Selective reporting"), REFERENCES) is None
