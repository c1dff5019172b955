"""The glossary's first use of an abbreviation does not depend on the detector's set order."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc, Span

from litcurate.extractors.statements.detection import docs_to_glossary
from litcurate.extractors.text.layer import LineBox, Paragraph, TextLayer

TEXT = "Body mass index (BMI) was high. Later pages use BMI again."


def test_the_first_use_in_text_order_gives_the_page() -> None:
    if not Doc.has_extension("abbreviations"):  # what scispaCy's detector registers
        Doc.set_extension("abbreviations", default=[])
    if not Span.has_extension("long_form"):
        Span.set_extension("long_form", default=None)
    doc = spacy.blank("en")(TEXT)
    second = TEXT.rindex("BMI")
    uses = [doc.char_span(start, start + 3) for start in (TEXT.index("BMI"), second)]
    for use in uses:
        use._.long_form = doc.char_span(0, len("Body mass index"))
    doc._.abbreviations = list(reversed(uses))  # the order a set may hand them over in
    paragraph = Paragraph(text=TEXT, page=1, section="", char_start=0, char_end=len(TEXT),
                          lines=(LineBox(0, 1, 0, 0, 1, 1), LineBox(second - 10, 2, 0, 0, 1, 1)))
    layer = TextLayer(text=TEXT, paragraphs=(paragraph,))
    (entry,) = docs_to_glossary("p", layer, [doc])
    assert (entry.abbreviation, entry.expansion, entry.page) == ("BMI", "Body mass index", 1)
