from __future__ import annotations

import pytest

from litcurate.extractors.evidence.study_labels import parse_study_label


@pytest.mark.parametrize(
    ("raw", "author", "year", "suffix", "citation"),
    [
        ("Carrasco, 1986", "Carrasco", 1986, "", None),
        ("Ho et al. 2007", "Ho", 2007, "", None),
        ("Kennedy (2008) [64]", "Kennedy", 2008, "", 64),
        ("Smith 2010a", "Smith", 2010, "a", None),
        ("De Baere, 2008", "De Baere", 2008, "", None),
        ("Diamandidou,\n1998", "Diamandidou", 1998, "", None),
    ],
)
def test_parse_study_label(raw: str, author: str, year: int, suffix: str,
                           citation: int | None) -> None:
    label = parse_study_label(raw)
    assert (label.author, label.year, label.suffix, label.citation) == (author, year, suffix,
                                                                         citation)


def test_label_without_year_has_no_author() -> None:
    assert parse_study_label("Selection (range, 0-4 stars)").year is None
