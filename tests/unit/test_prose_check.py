"""The prose-vs-table check: summary ranges in the text against the table's own values."""

from __future__ import annotations

from litcurate.extractors.statements.prose_check import check_summaries, find_summaries
from litcurate.extractors.text.layer import Paragraph, TextLayer
from litcurate.schemas import Outcome, Severity, ValueKind


def layer(*texts: str) -> TextLayer:
    paragraphs = tuple(Paragraph(text=t, page=3, section="1.4.2. Results", char_start=0,
                                 char_end=len(t)) for t in texts)
    return TextLayer(text="\n\n".join(texts), paragraphs=paragraphs)


def outcome(measure: str, value: float, index: int) -> Outcome:
    return Outcome(outcome_id=f"o{measure}{index}", paper_id="p", table_id="p:table-1",
                   study_label=f"S{index}", measure_id=measure, value=value,
                   kind=ValueKind.NUMBER, row=index, col=1, page=7, x0=0, top=0, x1=1, bottom=1)


TEXT = layer(
    "Results are described in Table 1. The response rate was 8% to 94% (median: 49%) for "
    "complete and partial response and 10% to 56% (median: 27%) for stable disease.",
    "The progression-free survival and overall survival were about 5 to 36 (median: 18.5) "
    "months and 16 to 69 (median: 34.5) months, respectively.",
)


def test_ranges_are_tied_to_their_measure_and_table() -> None:
    found = [(s.table_label, s.measure, s.low, s.high, s.statistic, s.centre)
             for s in find_summaries(TEXT)]
    assert found == [
        ("Table 1", "tumour_response", 8, 94, "median", 49),
        ("Table 1", "stable_disease", 10, 56, "median", 27),
        ("Table 1", "pfs", 5, 36, "median", 18.5),
        ("Table 1", "os", 16, 69, "median", 34.5),
    ]


def test_agreement_is_information_and_a_mismatch_a_warning() -> None:
    values = [*(outcome("tumour_response", v, i) for i, v in enumerate([8, 49, 94])),
              *(outcome("os", v, i) for i, v in enumerate([15, 39, 69]))]
    issues = check_summaries(find_summaries(TEXT), values, {"Table 1": "p:table-1"}, "p")
    by_rule = {(i.rule, i.severity) for i in issues}
    assert ("prose-agrees-with-table", Severity.INFO) in by_rule
    (mismatch,) = [i for i in issues if i.severity == Severity.WARNING]
    assert mismatch.rule == "prose-disagrees-with-table"
    assert "min 16 vs 15" in mismatch.message and "median 34.5 vs 39" in mismatch.message


def test_a_range_in_a_section_without_a_table_is_not_checked() -> None:
    text = TextLayer(text="x", paragraphs=(Paragraph(
        text="Five-year survival rates of 46% to 86% have been reported.", page=2,
        section="1.3. Surgery", char_start=0, char_end=10),))
    assert find_summaries(text) == []
