"""Caption forms and captions set under their table, on hand-made pages."""

from __future__ import annotations

from litcurate.extractors.pdf.document import Document, Page, Rule, Word
from litcurate.extractors.pdf.word_segments import words_to_layout_lines
from litcurate.extractors.tables.captions import (
    find_captions,
    fold_small_capitals,
    table_beside,
)
from litcurate.extractors.tables.detection import find_table_regions, merge_rules
from litcurate.extractors.tables.extract import extract_tables
from tests.unit.hand_made_pages import page, words


def rule(top: float, x0: float = 50.0, x1: float = 300.0) -> Rule:
    return Rule(x0, top, x1, top + 0.5)


def captions(p: Page) -> list[tuple[str, str]]:
    return [(c.label, c.text) for c in find_captions(words_to_layout_lines(p.words), p)]


def test_label_with_a_bar_in_body_type_is_a_caption_when_ruled_off() -> None:
    p = page(words("TABLE 2 | Baseline characteristics", 50, 100), rules=(rule(116),))
    assert captions(p) == [("Table 2", "TABLE 2 | Baseline characteristics")]


def test_colon_label_in_body_type_needs_a_rule_to_be_a_caption() -> None:
    prose = words("Table 2: the trials were small and the results are uncertain", 50, 100)
    assert captions(page(prose)) == []
    assert captions(page(prose, rules=(rule(116),))) == [
        ("Table 2", "Table 2: the trials were small and the results are uncertain")]


def test_roman_number_with_a_stop() -> None:
    p = page(words("TABLE II. Outcomes at one year", 50, 100, size=9))
    assert captions(p) == [("Table II", "TABLE II. Outcomes at one year")]


def test_label_in_small_capital_letters_reads_as_capitals() -> None:
    assert fold_small_capitals("T\u1d00\u0299\u029f\u1d07 3") == "TABLE 3"
    p = page(words("T\u1d00\u0299\u029f\u1d07 3. Harms by arm", 50, 100), rules=(rule(116),))
    assert captions(p) == [("Table 3", "TABLE 3. Harms by arm")]


def test_capital_over_smaller_capitals_reads_as_one_label_word() -> None:
    # "T" at 10 pt touching "ABLE" at 8 pt: two runs of one printed word.
    label = [Word("T", 50, 100, 56, 110, 10.0), Word("ABLE", 56.2, 102, 72, 110, 8.0)]
    p = page(label + words("4. Harms by arm", 76, 100), rules=(rule(116),))
    assert captions(p) == [("Table 4", "TABLE 4. Harms by arm")]


def test_bold_run_in_label_without_punctuation() -> None:
    p = page(words("Table 2", 50, 100, bold=True) + words("Baseline characteristics", 90, 100),
             words("as the Table 2 results show", 50, 200))
    assert captions(p) == [("Table 2", "Table 2 Baseline characteristics")]


def _ruled_table(top: float) -> tuple[list[list[Word]], tuple[Rule, ...]]:
    """A booktabs table of a header and three rows whose top rule is at ``top``."""
    rows = [words("Study", 50, top + 2, 8) + words("N", 200, top + 2, 8)]
    rows += [words(name, 50, top + 18 + 12 * i, 8) + words(n, 200, top + 18 + 12 * i, 8)
             for i, (name, n) in enumerate([("Ho, 2007", "46"), ("Kim, 1999", "30"),
                                            ("Lee, 2011", "52")])]
    return rows, (rule(top), rule(top + 14), rule(top + 54))


def test_caption_under_its_ruled_table_bounds_the_region_from_below() -> None:
    rows, rules = _ruled_table(100)
    caption = words("Table 1. Outcomes of the studies", 50, 160, 9)
    prose = words("The results of these studies were consistent across all of the centres.",
                  50, 190)
    (region,) = find_table_regions(page(*rows, caption, prose, rules=rules))
    assert region.caption.label == "Table 1"
    assert region.top < 100 and 154 <= region.bottom < 160
    assert not region.legend


def test_a_caption_under_its_table_is_kept_out_of_the_prose() -> None:
    rows, rules = _ruled_table(100)
    caption = words("Table 1. Outcomes of the studies", 50, 160, 9)
    prose = words("The results of these studies were consistent across all of the centres.",
                  50, 190)
    result = extract_tables(Document((page(*rows, caption, prose, rules=rules),)), "p")
    ((_, _, top, _, bottom),) = result.exclusions
    assert top < 100 and 169 <= bottom < 190
    assert [t.table.n_rows for t in result.tables] == [4]


def test_caption_under_a_table_rule_but_over_its_own_table_reads_downwards() -> None:
    # The first table's closing rule sits right over the second caption; the second
    # table's top rule right under it: the caption belongs to the table below.
    first_rows, first_rules = _ruled_table(100)
    second_rows, second_rules = _ruled_table(180)
    first = words("Table 1. Outcomes", 50, 80, 9)
    second = words("Table 2. Harms", 50, 162, 9)
    regions = find_table_regions(page(first, *first_rows, second, *second_rows,
                                      rules=first_rules + second_rules))
    assert [(r.caption.label, r.top > r.caption.top) for r in regions] == [
        ("Table 1", True), ("Table 2", True)]
    assert regions[1].top >= 170


def test_rule_less_rows_over_a_caption_are_its_table() -> None:
    rows = [words("Study", 50, 100, 8) + words("N", 200, 100, 8)]
    rows += [words(name, 50, 112 + 12 * i, 8) + words(n, 200, 112 + 12 * i, 8)
             for i, (name, n) in enumerate([("Ho, 2007", "46"), ("Kim, 1999", "30"),
                                            ("Lee, 2011", "52")])]
    above = words("The studies are listed below in order of publication year.", 50, 70)
    caption = words("Table 1", 50, 162, 9, bold=True) + words("Included studies", 90, 162, 9)
    prose = words("The results of these studies were consistent across all of the centres.",
                  50, 190)
    (region,) = find_table_regions(page(above, *rows, caption, prose))
    assert 80 < region.top <= 100 and 144 <= region.bottom < 162


def test_two_lines_of_small_type_over_a_caption_are_not_a_table() -> None:
    note = [words("Data", 50, 136, 8) + words("source", 200, 136, 8),
            words("Registry", 50, 148, 8) + words("2010", 200, 148, 8)]
    caption = words("Table 1", 50, 162, 9, bold=True) + words("Included studies", 90, 162, 9)
    prose = words("The results of these studies were consistent across all of the centres.",
                  50, 190)
    assert all(r.top >= 162 for r in find_table_regions(page(*note, caption, prose)))


def _side_table(x: float) -> tuple[list[list[Word]], tuple[Rule, ...]]:
    """A booktabs table from ``x`` rightwards, top rule at 100, three rows."""
    rows = [words("Study", x, 102, 8) + words("N", x + 150, 102, 8)]
    rows += [words(name, x, 118 + 12 * i, 8) + words(n, x + 150, 118 + 12 * i, 8)
             for i, (name, n) in enumerate([("Ho, 2007", "46"), ("Kim, 1999", "30"),
                                            ("Lee, 2011", "52")])]
    return rows, (rule(100, x, x + 200), rule(114, x, x + 200), rule(154, x, x + 200))


def test_caption_beside_its_table_opens_the_region_at_the_tables_top_rule() -> None:
    rows, rules = _side_table(150)
    caption = [words("Table 1", 50, 104, 9, bold=True) + words("Included", 90, 104, 9),
               words("studies and", 50, 115, 9), words("their sizes", 50, 126, 9)]
    (region,) = find_table_regions(page(*caption, *rows, rules=rules))
    assert region.caption.text == "Table 1 Included studies and their sizes"
    assert region.x0 >= 140 and region.top < 100 and region.bottom >= 150


def test_text_under_a_caption_in_its_own_column_keeps_the_table_below() -> None:
    # A two-column page: the rule level with the caption, across the gutter, is the
    # other column's; the caption's own column goes on under it with its table.
    rows, rules = _side_table(210)
    caption = words("Table 1", 50, 104, 9, bold=True) + words("Doses of the programmes", 90, 104, 9)
    own = [words("Programme", 50, 130, 8) + words("Weeks", 150, 130, 8),
           words("Yoga", 50, 142, 8) + words("8", 150, 142, 8)]

    def beside(*groups: list[Word]) -> tuple[float, float, float] | None:
        p = page(*groups, rules=rules)
        (found,) = find_captions(words_to_layout_lines(p.words), p)
        return table_beside(p, found, merge_rules(p.rules))

    assert beside(caption, *rows) == (210, 99.5, 410)
    assert beside(caption, *own, *rows) is None
