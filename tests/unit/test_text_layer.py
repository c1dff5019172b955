"""Text layer on hand-made pages: columns, running heads, hyphens, captions, references."""

from __future__ import annotations

from litcurate.extractors.pdf.document import Document, Page, Word
from litcurate.extractors.text.layer import (
    document_to_layer,
    is_hyphen_break,
    join_lines,
    lines_to_references,
    text_to_layer,
)
from litcurate.extractors.text.reading_order import document_to_lines

CHAR = 5.0  # width of one character in the fake font
SPACE = 2.5
WIDTH, HEIGHT = 600.0, 800.0


def line(text: str, x: float, top: float, size: float = 10.0, bold: bool = False) -> list[Word]:
    """Words of one printed line starting at (x, top), in a fixed-pitch fake font."""
    words: list[Word] = []
    for token in text.split():
        width = CHAR * len(token) * size / 10.0
        words.append(Word(token, x, top, x + width, top + size, size, bold))
        x += width + SPACE
    return words


def page(number: int, *lines: list[Word]) -> Page:
    return Page(number=number, width=WIDTH, height=HEIGHT,
                words=tuple(w for ln in lines for w in ln), body_size=10.0)


def column(texts: list[str], x: float, top: float, pitch: float = 12.0) -> list[list[Word]]:
    return [line(text, x, top + i * pitch) for i, text in enumerate(texts)]


LEFT = ["Left column text starts here and it", "goes on for a few lines of the first",
        "column before it ends with a stop."]
RIGHT = ["Right column text comes after the", "left column in reading order and it",
         "also ends with a stop at the end."]


def test_two_columns_read_left_then_right() -> None:
    doc = Document((page(1, *column(LEFT, 50, 100), *column(RIGHT, 320, 100)),))
    layer = document_to_layer(doc)
    assert [p.text[:10] for p in layer.paragraphs] == ["Left colum", "Right colu"]
    assert layer.paragraphs[1].x0 == 320
    assert layer.text.index("Left") < layer.text.index("Right")


def test_a_full_width_line_splits_the_columns_into_bands() -> None:
    title = line("A full width heading line across both columns of the page.", 50, 60)
    layer_lines = document_to_lines(Document((page(
        1, title, *column(LEFT, 50, 100), *column(RIGHT, 320, 100)),)))
    assert layer_lines[0].text.startswith("A full width")
    assert [ln.x0 for ln in layer_lines[1:]] == [50, 50, 50, 320, 320, 320]


def test_single_column_page_keeps_top_to_bottom_order() -> None:
    body = column(["One single column line that is long enough to cross the middle.",
                   "Another single column line that also crosses the middle of it."], 50, 100)
    lines = document_to_lines(Document((page(1, *body),)))
    assert [ln.text[:3] for ln in lines] == ["One", "Ano"]


def test_running_headers_footers_and_page_numbers_are_removed() -> None:
    pages = tuple(
        page(n, line("J. Clin. Med. 2019, 8, 1907", 50, 20), line(f"{n} of 3", 520, 20),
             *column([f"Body text of page {n} that readers care about."], 50, 100),
             line(str(n), 295, 770))
        for n in (1, 2, 3)
    )
    texts = [ln.text for ln in document_to_lines(Document(pages))]
    assert texts == [f"Body text of page {n} that readers care about." for n in (1, 2, 3)]


def test_dehyphenation_keeps_real_compounds() -> None:
    assert join_lines(["the water was bot-", "tled at source"]) == "the water was bottled at source"
    assert join_lines(["performed by trans-", "arterial injection"]) == (
        "performed by trans-arterial injection")
    assert join_lines(["in well-", "differentiated tumours"]) == "in well-differentiated tumours"
    assert join_lines(["at Ki-", "67 index"]) == "at Ki-67 index"
    assert not is_hyphen_break("small-", "bowel", {"small-bowel"})
    assert is_hyphen_break("pre-", "vention", {"prevention"})


def test_paragraph_continues_across_a_page_break() -> None:
    first = page(1, *column(["The treatment was offered to patients who", "were"], 50, 100))
    second = page(2, line("not candidates for surgery.", 50, 100))
    layer = document_to_layer(Document((first, second)))
    assert [p.text for p in layer.paragraphs] == [
        "The treatment was offered to patients who were not candidates for surgery."]
    assert layer.paragraphs[0].locate(len("The treatment was offered to patients who ")).page == 1
    assert layer.paragraphs[0].locate(len(layer.paragraphs[0].text) - 3).page == 2


def test_headings_become_the_section_path_and_captions_are_dropped() -> None:
    doc = Document((page(
        1,
        line("1.4. Trans-Arterial Embolization", 50, 60, bold=True),
        line("1.4.2. Results", 50, 80, bold=True),
        *column(["Embolization was effective in most of the patients.",
                 "Figure 2. A 51-year-old patient treated with embolization."], 50, 100,
                pitch=20),
    ),))
    layer = document_to_layer(doc)
    assert [p.text for p in layer.paragraphs] == [
        "Embolization was effective in most of the patients."]
    assert layer.paragraphs[0].section == "1.4. Trans-Arterial Embolization > 1.4.2. Results"


def test_table_regions_and_their_legends_are_excluded() -> None:
    doc = Document((page(
        1,
        *column(["Prose before the table stays in the text layer."], 50, 60),
        line("Carrasco 25 16 TAE Sponge", 50, 100),
        line("TAE: trans-arterial embolization. PVA: polyvinyl alcohol.", 50, 125, size=8.0),
        *column(["Prose after the table stays too."], 50, 160),
    ),))
    layer = document_to_layer(doc, exclude=[(1, 40.0, 95.0, 560.0, 115.0)])
    assert [p.text for p in layer.paragraphs] == [
        "Prose before the table stays in the text layer.", "Prose after the table stays too."]


def test_reference_list_is_parsed_not_kept_as_prose() -> None:
    doc = Document((page(
        1,
        *column(["Liver transplantation cannot be recommended [7]."], 50, 60),
        line("References", 50, 100, bold=True),
        line("1. Dasari, A.; Shen, C. Trends in the Incidence of", 50, 120, size=9.0),
        line("Neuroendocrine Tumors. JAMA Oncol. 2017, 3, 1335-1342.", 62, 131, size=9.0),
        line("2. Lepage, C.; Bouvier, A.M. Endocrine tumours.", 50, 142, size=9.0),
    ),))
    layer = document_to_layer(doc)
    assert [p.text for p in layer.paragraphs] == [
        "Liver transplantation cannot be recommended [7]."]
    assert layer.references == {
        1: "Dasari, A.; Shen, C. Trends in the Incidence of Neuroendocrine Tumors. JAMA Oncol. "
           "2017, 3, 1335-1342.",
        2: "Lepage, C.; Bouvier, A.M. Endocrine tumours.",
    }


def test_bmc_style_references_and_wrapped_volume_numbers() -> None:
    refs = lines_to_references([
        "1. Osterholm MT, Kelley NS. Efficacy of influenza vaccines. Lancet Infect",
        "Dis. 2012;12:36–44.",
        "2. Nigri, G. Treatment options. World J. Surg. Oncol. 2018,",
        "16. Available online: https://example.org (accessed on 15 July 2019).",
        "3. Sarmiento, J.M. Surgical treatment. J. Am. Coll. Surg. 2003, 197, 29–37.",
    ])
    assert sorted(refs) == [1, 2, 3]
    assert refs[1].endswith("Lancet Infect Dis. 2012;12:36–44.")
    assert "16. Available online" in refs[2]


def test_text_to_layer_splits_paragraphs_and_tracks_spans() -> None:
    layer = text_to_layer(
        "1.2. Liver Transplantation\n\nFirst paragraph here.\n\n"
        "Table 1. Outcomes of studies.\n\nSecond paragraph\nwrapped.\n\n"
        "References\n\n1. Pavel, M. ENETS Consensus Guidelines.\n2. Kulke, M.H. NANETS.")
    assert [p.text for p in layer.paragraphs] == [
        "First paragraph here.", "Second paragraph wrapped."]
    for paragraph in layer.paragraphs:
        assert layer.text[paragraph.char_start:paragraph.char_end] == paragraph.text
        assert paragraph.section == "1.2. Liver Transplantation"
        assert paragraph.page == 1
    assert layer.references == {
        1: "Pavel, M. ENETS Consensus Guidelines.", 2: "Kulke, M.H. NANETS."}


def test_larger_type_half_level_with_a_line_does_not_merge_two_lines() -> None:
    from litcurate.extractors.pdf.document import Word
    from litcurate.extractors.text.reading_order import words_to_rows

    left = [Word("a", 70, 598.7, 75, 606.2, 7.5), Word("study.", 80, 598.7, 100, 606.2, 7.5),
            Word("19.", 56, 607.8, 65, 615.3, 7.5), Word("Yamada", 70, 607.8, 95, 615.3, 7.5)]
    right = [Word("Submit", 318, 600.7, 350, 610.7, 10.0)]  # the other column's bigger type
    rows = [[w.text for w in row] for row in words_to_rows([*left, *right])]
    assert ["19.", "Yamada"] in rows
    assert not any("study." in row and "Yamada" in row for row in rows)
