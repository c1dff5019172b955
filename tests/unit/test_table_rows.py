"""Body rows from cell blocks: wrapped labels, stacked values, solid setting, ruled grids."""

from __future__ import annotations

from litcurate.extractors.pdf.document import Word
from litcurate.extractors.pdf.word_segments import Segment
from litcurate.extractors.tables.grid import rows_one_per_band
from litcurate.extractors.tables.rows import (
    core_box,
    rows_between_rules,
    rows_within_rules,
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


def wrapped_cell(text: str, x: float, top: float, lines: int, pitch: float = 9.5) -> list[Segment]:
    """A cell wrapped over ``lines`` lines at tight leading (1.5 pt between lines)."""
    return [seg(f"{text}{i}", x, top + i * pitch) for i in range(lines)]


def test_long_wrapped_cells_stay_one_row_when_the_whole_table_parts_at_wider_gaps() -> None:
    # Tight in-cell gaps outnumber the row gaps, and the two-line study names would
    # look like two rows; only the table-wide gap (5 pt, no column printing) parts rows.
    by_col = {
        0: [*wrapped_cell("Lind", 0, 100, 2), *wrapped_cell("Ho", 0, 161.5, 1)],
        1: [*wrapped_cell("adults", 100, 100, 6), *wrapped_cell("women", 100, 161.5, 5)],
        2: [*wrapped_cell("arm", 200, 100, 5), *wrapped_cell("arm", 200, 161.5, 3)],
    }
    assert [sorted(row) for row in segments_to_rows(by_col)] == [[0, 1, 2], [0, 1, 2]]
    first, second = texts(segments_to_rows(by_col))
    assert first[0] == "Lind0/Lind1" and first[1].count("/") == 5
    assert second[0] == "Ho0" and second[2] == "arm0/arm1/arm2"


def test_solid_table_with_group_spacing_keeps_one_row_per_labelled_line() -> None:
    # Every line has a first-column label: the wider gap between groups is spacing,
    # not the end of a wrapped row.
    by_col = {
        0: [seg("Ho", 0, 100), seg("Kim", 0, 109.5), seg("Lee", 0, 130), seg("Sato", 0, 139.5)],
        1: [seg("12", 100, 100), seg("14", 100, 109.5), seg("16", 100, 130), seg("18", 100, 139.5)],
    }
    assert texts(segments_to_rows(by_col)) == [
        {0: "Ho", 1: "12"}, {0: "Kim", 1: "14"}, {0: "Lee", 1: "16"}, {0: "Sato", 1: "18"}]


def test_a_row_with_an_empty_first_cell_after_a_row_gap_is_its_own_row() -> None:
    by_col = {
        0: [*wrapped_cell("Lind", 0, 100, 2)],
        1: [*wrapped_cell("arm one", 100, 100, 4), *wrapped_cell("arm two", 100, 143.0, 3)],
        2: [seg("20w", 200, 100), seg("20w", 200, 143.0)],
    }
    assert texts(segments_to_rows(by_col)) == [
        {0: "Lind0/Lind1", 1: "arm one0/arm one1/arm one2/arm one3", 2: "20w"},
        {1: "arm two0/arm two1/arm two2", 2: "20w"},
    ]


def test_label_centred_over_rows_set_solid_spans_from_the_row_it_starts_in() -> None:
    # A two-line stub label sits half a line off the rows beside it: it names a block
    # of rows, and the next column, level with the values, names each row.
    by_col = {
        0: [seg("Rapid", 0, 107), seg("test", 0, 117.5)],
        1: [seg("Positive", 60, 100), seg("Negative", 60, 113.3), seg("Total", 60, 126.5)],
        2: [seg("76", 140, 100), seg("5", 140, 113.3), seg("81", 140, 126.5)],
    }
    assert texts(segments_to_rows(by_col)) == [
        {0: "Rapid/test", 1: "Positive", 2: "76"},
        {1: "Negative", 2: "5"},
        {1: "Total", 2: "81"},
    ]


def test_solid_line_of_bracketed_values_is_the_second_line_of_the_row_above() -> None:
    by_col = {
        0: [seg("Rapid", 0, 100), seg("test", 0, 109.5)],
        1: [seg("93.8%", 60, 100), seg("(87.1-100)", 60, 109.5)],
        2: [seg("87.9%", 160, 100), seg("(79.7-96.1)", 160, 109.5)],
    }
    assert texts(segments_to_rows(by_col)) == [
        {0: "Rapid/test", 1: "93.8%/(87.1-100)", 2: "87.9%/(79.7-96.1)"}]


def test_labels_stretched_by_a_tall_glyph_still_name_rows_set_solid() -> None:
    def label(text: str, top: float) -> Segment:
        # A math italic's box reaches 2.5 points above the line: the label is taller.
        return Segment((Word(text, 0, top, 60, top + SIZE, SIZE),
                        Word("n", 64, top - 2.5, 69, top + SIZE, SIZE)))

    by_col = {0: [label("Hinged", 100), label("Other", 111)],
              1: [seg("0", 100, 100), seg("1", 100, 111)],
              2: [seg("2", 140, 100), seg("4", 140, 111)]}
    assert texts(segments_to_rows(by_col)) == [
        {0: "Hinged n", 1: "0", 2: "2"}, {0: "Other n", 1: "1", 2: "4"}]


def test_a_glyph_boxed_above_its_line_does_not_move_the_line() -> None:
    # "±" from a maths font: same size, its whole box two points higher than the text.
    line = Segment((Word("37.0", 0, 100, 16, 108, SIZE), Word("±", 18, 97.7, 23, 105.7, SIZE),
                    Word("8.6", 25, 100, 37, 108, SIZE)))
    assert core_box(line) == (100, 108)


def test_of_a_glyph_and_a_digit_the_lower_one_is_the_line() -> None:
    line = Segment((Word("≥", 0, 97.7, 5, 105.7, SIZE), Word("5", 6, 100, 11, 108, SIZE)))
    assert core_box(line) == (100, 108)


def test_a_row_under_a_two_line_label_starts_nearer_yet_is_a_row() -> None:
    # Leading 1.5; the row under the two-line label 3.9 off; the other rows 4.9 off.
    threshold, solid = wrap_threshold([4.9, 4.9, 3.9, 1.5, 4.9, 4.9, 4.9], 9.0)
    assert threshold is not None and 1.5 < threshold < 3.9
    assert not solid


def test_rules_between_every_row_make_the_rows_when_only_labels_wrap() -> None:
    by_col = {0: [seg("Pepsinogen", 0, 100), seg("Helicobacter", 0, 113), seg("antibody", 0, 122)],
              1: [seg("13/8", 100, 100), seg("16/5", 100, 117.5)]}
    bands = rows_between_rules(by_col, [99, 111, 132])
    assert rows_one_per_band(bands)
    assert texts(bands) == [{0: "Pepsinogen", 1: "13/8"},
                            {0: "Helicobacter/antibody", 1: "16/5"}]
    stacked = {0: [seg("Age", 0, 100)], 1: [seg("12", 100, 100), seg("14", 100, 109)]}
    assert not rows_one_per_band(rows_between_rules(stacked, [99, 120]))


def test_two_cells_in_a_ruled_band_are_two_rows_beside_a_centred_label() -> None:
    # Leading 1.5 in "Southwest"/"1981"; "Montana"/"California" a row's gap apart.
    by_col = {0: [seg("Coyote", 0, 105), seg("Raccoon", 0, 130), seg("Skunk", 0, 151)],
              1: [seg("Montana", 100, 100), seg("California", 100, 112),
                  seg("Southwest", 100, 125), seg("1981", 100, 134.5),
                  seg("Greenboro", 100, 146), seg("1930", 100, 155.5)],
              2: [seg("[10]", 200, 100), seg("This", 200, 112), seg("[5]", 200, 130),
                  seg("[8]", 200, 151)]}
    rows = rows_within_rules(by_col, [99, 123, 144, 166])
    assert rows is not None
    assert texts(rows) == [
        {0: "Coyote", 1: "Montana", 2: "[10]"}, {1: "California", 2: "This"},
        {0: "Raccoon", 1: "Southwest/1981", 2: "[5]"},
        {0: "Skunk", 1: "Greenboro/1930", 2: "[8]"}]
