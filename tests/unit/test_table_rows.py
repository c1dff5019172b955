"""Body rows from cell blocks: wrapped labels, stacked values, solid setting, ruled grids."""

from __future__ import annotations

from litcurate.extractors.pdf.document import Word
from litcurate.extractors.pdf.word_segments import Segment
from litcurate.extractors.tables.rows import (
    rows_between_rules,
    segments_to_rows,
    wrap_threshold,
)

SIZE = 8.0


def seg(text: str, x: float, top: float, size: float = SIZE) -> Segment:
    return Segment((Word(text, x, top, x + 6 * len(text), top + size, size),))


def texts(rows: list[dict[int, list[Segment]]]) -> list[dict[int, str]]:
    return [{col: "/".join(s.text for s in sorted(segs, key=lambda s: s.top))
             for col, segs in sorted(row.items())} for row in rows]


def test_a_tight_gap_among_row_gaps_is_in_cell_leading() -> None:
    threshold, solid = wrap_threshold([1.0, 6.0, 6.0, 6.0, 6.0], SIZE)
    assert threshold is not None and 1.0 < threshold < 6.0
    assert not solid


def test_only_tight_gaps_mean_the_table_is_set_solid() -> None:
    assert wrap_threshold([2.0, 2.0, 2.0], SIZE) == (None, True)
    assert wrap_threshold([6.0, 6.0, 7.0], SIZE) == (None, False)


def test_wrapped_label_beside_time_point_rows_stays_in_its_first_row() -> None:
    # "Breads and cereals," wraps onto the level of the second row, with tight leading.
    by_col = {
        0: [seg("Breads", 0, 100), seg("servings", 0, 109)],
        1: [seg("entry", 100, 100), seg("28w", 100, 114), seg("36w", 100, 128)],
        2: [seg("2.63", 200, 100), seg("2.65", 200, 114), seg("2.66", 200, 128)],
    }
    assert texts(segments_to_rows(by_col)) == [
        {0: "Breads/servings", 1: "entry", 2: "2.63"},
        {1: "28w", 2: "2.65"},
        {1: "36w", 2: "2.66"},
    ]


def test_study_label_centred_beside_stacked_values_is_one_row() -> None:
    by_col = {
        0: [seg("Ho", 0, 104.5), seg("Kim", 0, 130)],
        1: [seg("78", 100, 100), seg("75", 100, 109), seg("12", 100, 130)],
    }
    assert texts(segments_to_rows(by_col)) == [{0: "Ho", 1: "78/75"}, {0: "Kim", 1: "12"}]


def test_solid_set_stacked_arm_continues_the_row_with_a_label() -> None:
    pitch = 10.0  # every line 2 pt apart: only the empty first cell tells a stacked arm
    by_col = {
        0: [seg("Lee", 0, 100), seg("Sato", 0, 100 + 2 * pitch)],
        1: [seg("TACE", 100, 100), seg("TAE", 100, 100 + pitch), seg("PRRT", 100, 100 + 2 * pitch)],
    }
    assert texts(segments_to_rows(by_col)) == [{0: "Lee", 1: "TACE/TAE"}, {0: "Sato", 1: "PRRT"}]


def test_ruled_grid_rows_are_the_bands_between_rules() -> None:
    by_col = {
        0: [seg("Lee", 0, 105)],  # a label spanning two ruled rows belongs to the first
        1: [seg("TACE", 100, 101), seg("TAE", 100, 112)],
    }
    rows = rows_between_rules(by_col, [100.0, 110.0, 121.0])
    assert texts(rows) == [{0: "Lee", 1: "TACE"}, {1: "TAE"}]
