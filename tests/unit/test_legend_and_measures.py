from __future__ import annotations

import pytest

from litcurate.extractors.evidence.columns import classify_header
from litcurate.extractors.tables.legend import parse_legend
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


def test_an_unknown_abbreviation_is_read_through_the_legend() -> None:
    from litcurate.extractors.evidence.outcomes import classify_with_legend

    role = classify_with_legend("DCR (%)", {"DCR": "disease control rate"})
    assert (role.measure, role.unit) == ("disease_control", "%")
    assert classify_with_legend("XYZ (%)", {"DCR": "disease control rate"}).measure == "unmapped"


def test_a_measure_split_by_arm_names_the_arm_and_statistic() -> None:
    from litcurate.extractors.evidence.columns import classify_header

    role = classify_header("Age (yr), mean ± SD / Tea")
    assert (role.measure, role.unit, role.arm, role.statistic) == ("age", "years", "Tea", "mean")
    assert classify_header("Adjusted treatment effect / 95% CI").unit == ""
