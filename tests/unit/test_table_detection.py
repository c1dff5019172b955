"""Captions, regions and legends on hand-made pages."""

from __future__ import annotations

from litcurate.extractors.pdf.document import Page, Rule, Word
from litcurate.extractors.pdf.word_segments import words_to_layout_lines
from litcurate.extractors.tables.detection import (
    find_captions,
    find_table_regions,
    merge_rules,
    table_type_lines,
)
from tests.unit.hand_made_pages import page, words


def labels(p: Page) -> list[str]:
    return [c.text for c in find_captions(words_to_layout_lines(p.words), p)]


def test_bold_label_opens_a_caption_and_prose_mention_does_not() -> None:
    p = page(words("Table", 50, 100, bold=True) + words("2. Outcomes of studies", 80, 100),
             words("as shown in Table 2. The results were", 50, 200))
    assert labels(p) == ["Table 2. Outcomes of studies"]


def test_continued_caption_is_flagged() -> None:
    p = page(words("Table", 50, 100, bold=True) + words("1. Cont.", 80, 100))
    (caption,) = find_captions(words_to_layout_lines(p.words), p)
    assert caption.label == "Table 1" and caption.continued


def test_roman_label_alone_on_its_line_takes_the_centred_title_below() -> None:
    p = page(words("TABLE III", 270, 100), words("Survival after therapy", 240, 112))
    assert labels(p) == ["TABLE III Survival after therapy"]


def test_rule_less_table_region_ends_before_its_legend() -> None:
    caption = words("Table", 50, 100, 9, bold=True) + words("1. Outcomes", 76, 100, 9)
    rows = [words("Study", 50, 120, 8) + words("N", 200, 120, 8),
            words("Ho, 2007", 50, 132, 8) + words("46", 200, 132, 8),
            words("Kim, 1999", 50, 144, 8) + words("30", 200, 144, 8)]
    legend = words("N: number of patients.", 50, 160, 8)
    prose = words("The results of these studies were consistent across all of the centres.",
                  50, 190)
    (region,) = find_table_regions(page(caption, *rows, legend, prose))
    assert region.caption.label == "Table 1"
    assert region.bottom < 160 and region.legend_text == "N: number of patients."


def test_legend_in_table_type_is_read_when_the_measured_body_size_is_the_tables() -> None:
    # Long table cells can outweigh the prose, so the page's body size is the table's
    # own 8 pt; the larger prose under the legend still tells the legend apart.
    caption = words("Table", 50, 100, 9, bold=True) + words("2. Ongoing trials", 76, 100, 9)
    rows = [words("Registry", 50, 120, 8) + words("Title", 200, 120, 8),
            words("NCT0451", 50, 132, 8) + words("A trial of group education", 200, 132, 8),
            words("NCT0487", 50, 144, 8) + words("A trial of diet replacement", 200, 144, 8)]
    legend = words("Registries searched: three national registries and two others.", 50, 160, 8)
    prose = words("We will add these trials when they are published.", 50, 178, 9.5)
    p = Page(1, 600.0, 800.0, tuple(w for g in (caption, *rows, legend, prose) for w in g),
             body_size=8.0)
    (region,) = find_table_regions(p)
    assert region.legend_text.startswith("Registries searched:")
    assert "published" not in region.legend_text


def _two_column_prose(top: float) -> list[list[Word]]:
    """Body-type prose in two columns, a line each side of the gutter."""
    left = "the patients were followed for two years"
    right = "and the centres agreed on the outcomes"
    return [words(left, 50, top + 12 * i) + words(right, 310, top + 12 * i) for i in range(3)]


def test_ruled_table_region_stops_at_two_column_prose_under_its_bottom_rule() -> None:
    # Prose right under the closing rule has two phrases per line (one per column),
    # like a table row; it is set in body type larger than the table and its phrases
    # are long runs of words, so the region ends at the rule.
    caption = words("Table", 50, 100, 9, bold=True) + words("2. Outcomes", 76, 100, 9)
    header = words("Variable", 50, 122, 8) + words("Alive", 300, 122, 8)
    rows = [words("Age", 50, 140, 8) + words("11 (29)", 300, 140, 8),
            words("Gender", 50, 152, 8) + words("21", 300, 152, 8)]
    rules = tuple(Rule(50, y, 560, y + 0.5) for y in (118, 134, 164))
    p = page(caption, header, *rows, *_two_column_prose(180), rules=rules)
    (region,) = find_table_regions(p)
    assert region.bottom < 170


def test_rows_run_on_under_the_last_rule_when_the_table_breaks_over_a_page() -> None:
    caption = words("Table", 50, 100, 9, bold=True) + words("2. Outcomes", 76, 100, 9)
    header = words("Variable", 50, 122, 8) + words("Alive", 300, 122, 8)
    rows = [words("Age", 50, 140, 8) + words("11 (29)", 300, 140, 8),
            words("Gender", 50, 152, 8) + words("21", 300, 152, 8)]
    rules = tuple(Rule(50, y, 560, y + 0.5) for y in (118, 134))
    p = page(caption, header, *rows, rules=rules)
    (region,) = find_table_regions(p)
    assert region.bottom > 160


def test_run_on_rows_in_body_type_stop_at_lines_of_long_phrases() -> None:
    # A table set in body type: only the prose's long runs of words tell it apart.
    rows = [words("Age", 50, 140) + words("11 (29)", 300, 140)]
    lines = words_to_layout_lines([w for g in rows + _two_column_prose(160) for w in g])
    kept = table_type_lines(lines, 10.0, 10.0)
    assert [ln.text for ln in kept] == ["Age 11 (29)"]


def test_rules_of_two_tables_side_by_side_a_hair_apart_in_y_stay_apart() -> None:
    merged = merge_rules([Rule(308.6, 99.47, 548.7, 99.47), Rule(50.6, 100.12, 290.7, 100.12),
                          Rule(50.6, 112.97, 170.0, 112.97), Rule(171.0, 112.97, 290.7, 112.97)])
    assert [(r.x0, r.x1) for r in merged] == [(308.6, 548.7), (50.6, 290.7), (50.6, 290.7)]


def test_caption_continues_under_a_line_stretched_by_a_tall_glyph() -> None:
    first = words("Table", 50, 100, 9, bold=True) + words("3: Scores (n =", 76, 100, 9)
    tall = Word("n", 136.3, 98, 141, 111, 9)  # a math italic whose box reaches below the line
    p = page([*first, tall], words("22).", 50, 110, 9))
    assert labels(p) == ["Table 3: Scores (n = n 22)."]
