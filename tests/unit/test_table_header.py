"""Header parents on hand-made header lines."""

from __future__ import annotations

from litcurate.extractors.pdf.document import Word
from litcurate.extractors.pdf.word_segments import Segment
from litcurate.extractors.tables.header import left_aligned_spans

SIZE = 8.0
# Columns: a stub, then two groups of two value columns.
COLUMNS = [(60.0, 120.0), (160.0, 180.0), (200.0, 220.0), (240.0, 260.0), (280.0, 300.0)]


def seg(text: str, x: float, top: float) -> Segment:
    return Segment((Word(text, x, top, x + 5 * len(text), top + SIZE, SIZE),))


def spans(segments: list[Segment]) -> list[tuple[str, int, int]]:
    return [(s.text, first, last) for s, first, last in left_aligned_spans(segments, COLUMNS)]


def test_flush_left_parents_head_their_columns_up_to_the_next_parent() -> None:
    header = [seg("Case", 160, 100), seg("Control", 240, 100),
              seg("Study", 60, 108),
              seg("AA", 160, 116), seg("AG", 200, 116), seg("AA", 240, 116), seg("AG", 280, 116)]
    assert spans(header) == [("Case", 1, 2), ("Control", 3, 4)]


def test_a_wrapped_title_at_leading_distance_is_no_parent() -> None:
    # "Mean" over "age" and "Follow" over "up": each title's second line sits tight
    # under its first, so neither heads the next column's title.
    header = [seg("Mean", 160, 100), seg("Follow", 240, 100),
              seg("age", 160, 109), seg("N", 200, 109), seg("up", 240, 109), seg("P", 280, 109)]
    assert spans(header) == []


def test_a_single_flush_left_title_over_a_second_line_is_left_alone() -> None:
    header = [seg("Study", 60, 100), seg("Symptom", 160, 100),
              seg("response", 160, 116), seg("SD", 200, 116)]
    assert spans(header) == []
