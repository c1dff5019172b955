"""The review page's words for a typed record."""

from __future__ import annotations

from litcurate.pipeline.pages.evidence_notes import describe


def test_a_typed_record_reads_as_a_short_phrase() -> None:
    assert describe({"statistic": "or", "value": "1.84", "low": "1.43", "high": "2.36",
                     "interval": "ci95", "p": "0.001", "p_op": "<", "group": "",
                     "measure": "Ethnicity / Caucasian"}) == (
        "OR 1.84, 95% CI 1.43–2.36, P < 0.001 · Ethnicity / Caucasian")
    assert describe({"statistic": "events", "value": "22", "total": "65", "percent": "33.8",
                     "group": "Cases", "measure": "Smokers"}) == (
        "events 22/65 (33.8%) · Cases · Smokers")
    assert describe({"statistic": "p_value", "value": "0.45", "p": "0.45", "p_op": "="}) == (
        "P = 0.45")


def test_an_old_release_record_shows_its_value_and_arm() -> None:
    assert describe({"statistic": "", "value": "23", "arm": "TAE", "measure": "pfs"}) == (
        "value 23 · TAE · pfs")
