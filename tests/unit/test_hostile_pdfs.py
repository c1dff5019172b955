"""The hostile-input builders make files with exactly the property each one promises."""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pytest
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from tests import hostile_pdfs as hostile
from tests.hostile_pdfs import DEFAULT_TITLE


def _first_page_text(path: Path, password: str | None = None) -> str:
    with pdfplumber.open(path, password=password) as pdf:
        return pdf.pages[0].extract_text() or ""


def _object_offsets(data: bytes) -> dict[int, int]:
    """Object number -> offset, as the last xref table of the file claims."""
    table = data[data.rindex(b"\nxref\n") :]
    first, _count = (int(part) for part in table.split(b"\n")[2].split())
    entries = re.findall(rb"(\d{10}) (\d{5}) ([nf])", table)
    return {first + i: int(off) for i, (off, _gen, kind) in enumerate(entries) if kind == b"n"}


def _startxref(data: bytes) -> int:
    match = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data)
    assert match is not None
    return int(match.group(1))


def _assert_xref_is_correct(data: bytes) -> None:
    assert data[_startxref(data) :].startswith(b"xref")
    offsets = _object_offsets(data)
    assert offsets
    for number, offset in offsets.items():
        assert data[offset:].startswith(b"%d 0 obj" % number)


def _stream_bytes(data: bytes, number: int) -> bytes:
    """The raw (still encoded) bytes of stream object `number`, cut by its /Length."""
    start = _object_offsets(data)[number]
    length_match = re.compile(rb"/Length (\d+)").search(data, start)
    assert length_match is not None
    begin = data.index(b"stream\n", length_match.end()) + len(b"stream\n")
    end = begin + int(length_match.group(1))
    assert data[end:].startswith(b"\nendstream")
    return data[begin:end]


@pytest.mark.parametrize(
    "build",
    [
        hostile.build_zero_byte,
        hostile.build_not_a_pdf,
        hostile.build_text_pdf,
        hostile.build_truncated,
        hostile.build_broken_xref_repairable,
        hostile.build_broken_xref_unrepairable,
        hostile.build_encrypted_empty_password,
        hostile.build_encrypted_with_password,
        hostile.build_image_only,
        lambda path: hostile.build_many_tiny_objects(path, count=2_000),
        lambda path: hostile.build_decompression_bomb(path, 5_000_000, chunk_bytes=1_000_000),
        lambda path: hostile.build_many_pages(path, pages=20),
    ],
)
def test_builders_are_deterministic(tmp_path: Path, build: Callable[[Path], Path]) -> None:
    first = build(tmp_path / "first.pdf")
    second = build(tmp_path / "second.pdf")
    assert first == tmp_path / "first.pdf"
    assert first.read_bytes() == second.read_bytes()


def test_zero_byte(tmp_path: Path) -> None:
    path = hostile.build_zero_byte(tmp_path / "empty.pdf")
    assert path.stat().st_size == 0
    with pytest.raises(PdfminerException), pdfplumber.open(path):
        pass


def test_not_a_pdf(tmp_path: Path) -> None:
    path = hostile.build_not_a_pdf(tmp_path / "paywall.pdf")
    data = path.read_bytes()
    assert data
    assert b"%PDF" not in data
    with pytest.raises(PdfminerException) as caught, pdfplumber.open(path):
        pass
    assert isinstance(caught.value.args[0], PDFSyntaxError)


def test_text_pdf_has_selectable_text(tmp_path: Path) -> None:
    path = hostile.build_text_pdf(tmp_path / "good.pdf", title="A custom title", paragraphs=2)
    assert path.read_bytes().startswith(b"%PDF-")
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) == 1
        text = pdf.pages[0].extract_text()
    assert text.splitlines()[0] == "A custom title"
    assert "Influenza incidence was lower" in text
    assert len(text.split()) > 50


def test_truncated_is_half_a_good_pdf(tmp_path: Path) -> None:
    good = hostile.build_text_pdf(tmp_path / "good.pdf").read_bytes()
    path = hostile.build_truncated(tmp_path / "truncated.pdf")
    data = path.read_bytes()
    assert data == good[: len(good) // 2]
    assert b"%%EOF" not in data
    with pytest.raises(PdfminerException), pdfplumber.open(path) as pdf:
        pdf.pages[0].extract_text()


def test_broken_xref_repairable_still_reads(tmp_path: Path) -> None:
    path = hostile.build_broken_xref_repairable(tmp_path / "repairable.pdf")
    data = path.read_bytes()
    # The xref really is broken: startxref points past the end and no offset hits its object.
    assert _startxref(data) > len(data)
    offsets = _object_offsets(data)
    assert offsets
    assert not any(data[off:].startswith(b"%d 0 obj" % num) for num, off in offsets.items())
    # ...yet every object is intact, so pdfminer's fallback scan recovers the text.
    assert DEFAULT_TITLE in _first_page_text(path)


def test_broken_xref_unrepairable_has_no_pages(tmp_path: Path) -> None:
    path = hostile.build_broken_xref_unrepairable(tmp_path / "unrepairable.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF-1.4\n")
    assert _startxref(data) > len(data)
    assert b"/Type /Catalog" not in data
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) == 0
        with pytest.raises(IndexError):
            pdf.pages[0].extract_text()


def test_encrypted_empty_password_opens_without_one(tmp_path: Path) -> None:
    path = hostile.build_encrypted_empty_password(tmp_path / "locked-open.pdf")
    assert b"/Encrypt" in path.read_bytes()
    with pdfplumber.open(path) as pdf:
        assert pdf.doc.encryption is not None
        text = pdf.pages[0].extract_text()
    assert DEFAULT_TITLE in text


def test_encrypted_with_password_needs_it(tmp_path: Path) -> None:
    path = hostile.build_encrypted_with_password(tmp_path / "locked.pdf", password="hunter2")
    assert b"/Encrypt" in path.read_bytes()
    for wrong in (None, "", "secret"):
        with pytest.raises(PdfminerException) as caught:
            _first_page_text(path, password=wrong)
        assert isinstance(caught.value.args[0], PDFPasswordIncorrect)
    assert DEFAULT_TITLE in _first_page_text(path, password="hunter2")


def test_image_only_has_no_text_layer(tmp_path: Path) -> None:
    path = hostile.build_image_only(tmp_path / "scan.pdf")
    assert path.stat().st_size < 3 * 1024**2
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        assert len(page.images) == 1
        assert page.images[0]["width"] == pytest.approx(page.width)
        assert page.chars == []
        assert (page.extract_text() or "").strip() == ""


def test_many_tiny_objects(tmp_path: Path) -> None:
    # The default file is too slow to parse in a unit test: count its operators instead.
    path = hostile.build_many_tiny_objects(tmp_path / "dense.pdf")
    data = path.read_bytes()
    assert path.stat().st_size < 5 * 1024**2
    _assert_xref_is_correct(data)
    content = zlib.decompress(_stream_bytes(data, 4))
    assert content.count(b") Tj\n") == 120_000
    assert len(re.findall(rb"\n1 0 0 1 \d+ [\d.]+ Tm \(", content)) == 120_000
    # A small one shows that each of those operators becomes one tiny character on the page.
    small = hostile.build_many_tiny_objects(tmp_path / "small.pdf", count=1_000)
    with pdfplumber.open(small) as pdf:
        page = pdf.pages[0]
        chars = page.chars
        assert len(chars) == 1_000
        assert all(char["size"] == pytest.approx(1) for char in chars)
        assert all(c["x0"] >= 0 and c["x1"] <= page.width for c in chars)
        assert all(c["top"] >= 0 and c["bottom"] <= page.height for c in chars)


def test_decompression_bomb_is_small_but_inflates_far(tmp_path: Path) -> None:
    path = hostile.build_decompression_bomb(tmp_path / "bomb.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF-1.4\n")
    assert len(data) < 4 * 1024**2
    _assert_xref_is_correct(data)
    assert re.search(rb"/Contents 4 0 R", data)
    stream = _stream_bytes(data, 4)
    assert b"/Filter /FlateDecode" in data[_object_offsets(data)[4] :][:100]
    inflater = zlib.decompressobj()
    head = inflater.decompress(stream, 10_000_000)
    assert head == b" " * 10_000_000
    assert inflater.unconsumed_tail  # far more is still to come
    assert not inflater.eof
    assert len(stream) * 1000 < 3 * 1024**3


def test_decompression_bomb_inflates_to_exactly_the_size_asked(tmp_path: Path) -> None:
    size = 3 * 1_000_000 + 7  # three repeated blocks and a short tail
    path = hostile.build_decompression_bomb(tmp_path / "bomb.pdf", size, chunk_bytes=1_000_000)
    data = path.read_bytes()
    _assert_xref_is_correct(data)
    inflater = zlib.decompressobj()  # checks the Adler-32 trailer at the end
    inflated = inflater.decompress(_stream_bytes(data, 4)) + inflater.flush()
    assert inflater.eof
    assert inflater.unused_data == b""
    assert len(inflated) == size
    assert inflated.strip(b" ") == b""
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) == 1
        assert pdf.pages[0].chars == []


def test_many_pages(tmp_path: Path) -> None:
    path = hostile.build_many_pages(tmp_path / "long.pdf")
    assert path.stat().st_size < 3 * 1024**2
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) == 500
        assert pdf.pages[-1].extract_text() == "Page 500 of a very long supplement."


def test_variant_differs_only_in_bytes(tmp_path: Path) -> None:
    source = hostile.build_text_pdf(tmp_path / "good.pdf")
    one = hostile.build_variant(source, tmp_path / "one.pdf", 1)
    two = hostile.build_variant(source, tmp_path / "two.pdf", 2)
    digests = {hashlib.sha256(p.read_bytes()).hexdigest() for p in (source, one, two)}
    assert len(digests) == 3
    assert one.read_bytes().startswith(source.read_bytes())
    assert one.read_bytes().endswith(b"%%EOF\n%variant 1\n")
    assert _first_page_text(one) == _first_page_text(two) == _first_page_text(source)
