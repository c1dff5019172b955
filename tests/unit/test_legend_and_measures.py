from __future__ import annotations

import pytest

from litcurate.extractors.legend import parse_legend
from litcurate.extractors.measures import classify_header
from litcurate.schemas import Statistic


def test_colon_style_legend() -> None:
    legend = parse_legend("TAE: Trans-arterial embolization. Doxo: Doxorubicin. "
                          "* Tumor response rates include complete and partial responses. $ Mean.")
    assert legend.abbreviations == {"TAE": "Trans-arterial embolization", "Doxo": "Doxorubicin"}
    assert legend.notes["*"].startswith("Tumor response rates include")
    assert legend.statistic_for(("$",)) == Statistic.MEAN


def test_space_style_legend() -> None:
    legend = parse_legend("yr years, SD standard deviation, NA not assessed.")
    assert legend.abbreviations == {"yr": "years", "SD": "standard deviation",
                                    "NA": "not assessed"}


@pytest.mark.parametrize(
    ("header", "role", "measure", "unit"),
    [
        ("Author, Years", "study", "", ""),
        ("N", "n", "", ""),
        ("Tumor Type / Small Bowel", "population", "", ""),
        ("Treatment", "intervention", "", ""),
        ("Symptom Response (%)", "measure", "symptom_response", "%"),
        ("Imaging Response / Tumor Response Rates (%)*", "measure", "tumour_response", "%"),
        ("Imaging Response / Stable Disease", "measure", "stable_disease", "%"),
        ("Survival / Progression-Free Survival (Month)", "measure", "pfs", "months"),
        ("Survival / Overall Survival (Month)", "measure", "os", "months"),
        ("Overal Survival", "measure", "os", "months"),
        ("Quality of life index", "measure", "unmapped", ""),
    ],
)
def test_classify_header(header: str, role: str, measure: str, unit: str) -> None:
    column = classify_header(header)
    assert (column.role, column.measure, column.unit) == (role, measure, unit)
