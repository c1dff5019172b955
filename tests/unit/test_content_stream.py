"""The content-stream reader hands pdfminer's interpreter exactly what pdfminer's own
parser would, or leaves the stream to that parser."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from pdfminer.pdfinterp import PDFContentParser
from pdfminer.pdftypes import PDFStream, stream_value
from pdfminer.psparser import PSEOF, PSKeyword, PSLiteral

from litcurate.extractors.pdf.content_stream import UnsupportedContentError, content_objects
from litcurate.extractors.pdf.page_objects import page_objects
from tests.conftest import BMC_PDF, ROOT, SAMPLE_PDF

CORPUS = sorted((ROOT / "tests" / "fixtures" / "corpus").glob("*.pdf"))


def comparable(item: Any) -> Any:
    """An object with its type kept (1 and 1.0 differ, as do a name and a keyword)."""
    if isinstance(item, list):
        return ("array", [comparable(x) for x in item])
    if isinstance(item, dict):
        return ("dict", {k: comparable(v) for k, v in item.items()})
    if isinstance(item, PSKeyword):
        return ("operator", item.name)
    if isinstance(item, PSLiteral):
        return ("name", item.name)
    return (type(item).__name__, item)


def pdfminers(streams: list[bytes]) -> list[Any]:
    """The objects pdfminer's content parser yields for raw (unfiltered) streams."""
    try:
        parser = PDFContentParser([PDFStream({}, data) for data in streams])
    except PSEOF:
        return []
    found = []
    while True:
        try:
            found.append(comparable(parser.nextobject()[1]))
        except PSEOF:
            return found


def ours(streams: list[bytes]) -> list[Any]:
    return [comparable(item) for item in content_objects(streams)]


@pytest.mark.parametrize("pdf_path", [SAMPLE_PDF, BMC_PDF, *CORPUS], ids=lambda p: p.stem)
def test_every_stream_of_real_papers_reads_as_pdfminer_reads_it(pdf_path: Path) -> None:
    objects = 0
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            streams = [stream_value(s).get_data() for s in page.page_obj.contents]
            expected = pdfminers(streams)
            assert ours(streams) == expected, page.page_number
            objects += len(expected)
            page.close()
    assert objects > 1000


EDGE_CASES = [
    b"(plain) Tj (a\\(b\\)c) Tj (nested (paren) text) Tj (tab\\tnew\\nline\\\\) Tj",
    b"(octal \\101\\1012\\7 end) Tj (dropped \\q escape) Tj (joined \\\r\nline) Tj",
    b"(line \\\ncontinued) Tj (50% of) Tj 12 % a comment with ) and (\n34 Td",
    b"<48656C6C6F> Tj <48 65 6c\n6c 6F> Tj <4> Tj <123> Tj <> Tj",
    b"/Name /With#20Space /Short#4x /Bare#/Empty / 1 0 0 RG /A#zz 0",
    b"-.5 +3 -0 1.2.3 5-3 . +. - 4. 007 Td",
    b"true false null T* ' \" d0 d1 BT ET",
    b"[(A) -120 (B) 33.5 (C)] TJ [1 [2 [3]] /n] pop",
    b"/Span <</MCID 3 /Alt (x) /Nested <</K [1 2]>>>> BDC EMC <</A <41>>> BDC",
    b"q 1 0 0 1 72 720 cm 0 0 100 50 re f Q 0.5 w 10 10 m 20 20 l S",
    b"\x00 1 \x00 2 Td \xe9 * # @",
    b"[1 2 3",
]


@pytest.mark.parametrize("data", EDGE_CASES, ids=[f"case{i}" for i in range(len(EDGE_CASES))])
def test_odd_tokens_read_as_pdfminer_reads_them(data: bytes) -> None:
    assert ours([data]) == pdfminers([data])


def test_streams_of_one_page_read_in_turn() -> None:
    streams = [b"BT /F1 12 Tf 72 700", b"Td (split) Tj [1", b" 2] TJ ET"]
    assert ours(streams) == pdfminers(streams)
    assert ("operator", b"Td") in ours(streams)


@pytest.mark.parametrize("data", [
    b"BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI Q",   # inline image: position-dependent
    b"{ 1 2 add } exec",                          # a procedure
    b"1 2 ] 3",                                   # an array never opened
    b"<< /A 1 /B >> BDC",                         # a dict with an odd count
    b"(never closed",                             # a string left open
    b"<4142",                                     # a hex string left open
])
def test_content_it_does_not_cover_is_left_to_pdfminer(data: bytes) -> None:
    with pytest.raises(UnsupportedContentError):
        content_objects([data])


def test_random_token_soup_reads_as_pdfminer_or_is_left_to_it() -> None:
    pieces = [b"1", b"-2.5", b".", b"+", b"/N", b"/A#41", b"(s)", b"(a\\)b)", b"(x(y)z)",
              b"<4142>", b"<<", b">>", b"[", b"]", b"Tj", b"T*", b"'", b"%c\n", b"<4>",
              b"true", b"\\", b"(", b")", b"<", b">", b"#", b"\n", b" ", b"\r\n", b"\x00"]
    rng = random.Random(19)
    compared = 0
    for _ in range(3000):
        streams = [b"".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
                   for _ in range(rng.randint(1, 3))]
        try:
            mine = ours(streams)
        except UnsupportedContentError:
            continue
        assert mine == pdfminers(streams), streams
        compared += 1
    assert compared > 600  # most soups hold an open string, bracket or escape


def test_a_page_with_an_inline_image_lays_out_as_pdfplumber_does(tmp_path: Path) -> None:
    from PIL import Image
    from reportlab.pdfgen.canvas import Canvas

    image = tmp_path / "dot.png"
    Image.new("RGB", (4, 4), (200, 30, 30)).save(image)
    pdf_path = tmp_path / "inline.pdf"
    canvas = Canvas(str(pdf_path))
    canvas.drawString(72, 720, "Before the image")
    canvas.drawInlineImage(str(image), 72, 600, 20, 20)
    canvas.drawString(72, 560, "After the image")
    canvas.save()
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[0]
        assert b"BI" in b"".join(stream_value(s).get_data() for s in page.page_obj.contents)
        text = "".join(char["text"] for char in page_objects(page)["char"])
        theirs = "".join(char["text"] for char in page.chars)
    assert text == theirs and "After the image" in text
