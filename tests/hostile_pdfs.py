"""Builders for hostile or broken input files, for tests of the pipeline's resilience.

Every builder writes one file to the path it is given and returns that path. All of them
are deterministic: the same arguments always give the same bytes (reportlab canvases use
``invariant=1``; nothing reads the clock or an unseeded random source).
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import letter
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

DEFAULT_TITLE = "Tea gargling and influenza: a hostile test paper"

_SENTENCES = (
    "This review pooled five randomised trials of gargling in adults.",
    "Influenza incidence was lower in the intervention group than in the control group.",
    "The risk ratio was 0.64 with a 95% confidence interval from 0.45 to 0.91.",
    "Heterogeneity between the trials was low and no study was at high risk of bias.",
    "We recommend further trials with laboratory-confirmed outcomes.",
)

# Spaces deflated per compressed block of the bomb (deflate shrinks a run ~1032:1).
_BOMB_CHUNK_BYTES = 16 * 1024 * 1024


def _new_canvas(path: Path, encrypt: StandardEncryption | None = None) -> canvas.Canvas:
    return canvas.Canvas(str(path), pagesize=letter, invariant=1, encrypt=encrypt)


def _draw_text_page(pdf: canvas.Canvas, title: str, paragraphs: int) -> None:
    _, height = letter
    pdf.setFont("Helvetica-Bold", 14)
    pdf.drawString(72, height - 72, title)
    pdf.setFont("Helvetica", 10)
    y = height - 100
    for index in range(paragraphs):
        for offset in range(len(_SENTENCES)):
            pdf.drawString(72, y, _SENTENCES[(index + offset) % len(_SENTENCES)])
            y -= 14
        y -= 10
        if y < 72:
            break


def build_zero_byte(path: Path) -> Path:
    """An empty file: there is no header or content to read at all."""
    path.write_bytes(b"")
    return path


def build_not_a_pdf(path: Path) -> Path:
    """An HTML error page saved under a .pdf name, as a failed download would be."""
    path.write_bytes(
        b"<!DOCTYPE html>\n<html><head><title>403 Forbidden</title></head>\n"
        b"<body><h1>Forbidden</h1><p>You need a subscription to read this article.</p>"
        b"</body></html>\n"
    )
    return path


def build_text_pdf(path: Path, title: str = DEFAULT_TITLE, paragraphs: int = 3) -> Path:
    """Not hostile: a small one-page PDF with selectable text, the good paper in a batch."""
    pdf = _new_canvas(path)
    pdf.setTitle(title)
    _draw_text_page(pdf, title, paragraphs)
    pdf.showPage()
    pdf.save()
    return path


def build_truncated(path: Path) -> Path:
    """A valid text PDF cut at half its bytes, as an interrupted download leaves it."""
    build_text_pdf(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def build_broken_xref_repairable(path: Path) -> Path:
    """Xref offsets and startxref are wrong, but every object is intact and can be found."""
    build_text_pdf(path)
    data = path.read_bytes()
    # Shift every in-use xref offset so each one points into the middle of something else.
    data = re.sub(
        rb"(\d{10}) 00000 n",
        lambda match: b"%010d 00000 n" % (int(match.group(1)) + 7),
        data,
    )
    data, replaced = re.subn(rb"startxref\s+\d+", b"startxref\n987654", data)
    if replaced != 1:
        raise AssertionError("reportlab output has no single startxref")
    path.write_bytes(data)
    return path


def build_broken_xref_unrepairable(path: Path) -> Path:
    """A %PDF header and an xref, but the catalog and page objects are garbled beyond repair."""
    body = (
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
        b"1 0 garbled\n<< /Tpye /Ctaalog /Pgaes 2 0 R\n"
        b"\x00\x13\x9b\xff binary noise where the page tree was \xfe\x01\n"
        b"3 0 obj\n<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 720 Td (lost text) Tj ET\n"
        b"endstream\nendobj\n"
    )
    xref = (
        b"xref\n0 4\n0000000000 65535 f \n0000099999 00000 n \n0000088888 00000 n \n"
        b"0000077777 00000 n \n"
    )
    trailer = b"trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n555555\n%%EOF\n"
    path.write_bytes(body + xref + trailer)
    return path


def build_encrypted_empty_password(path: Path) -> Path:
    """Encrypted with an empty user password: readers must open it without asking for one."""
    encryption = StandardEncryption(
        userPassword="",
        ownerPassword="owner",
        canPrint=1,
        canModify=0,
        canCopy=0,
        canAnnotate=0,
    )
    pdf = _new_canvas(path, encrypt=encryption)
    _draw_text_page(pdf, DEFAULT_TITLE, 3)
    pdf.showPage()
    pdf.save()
    return path


def build_encrypted_with_password(path: Path, password: str = "secret") -> Path:
    """Encrypted with a non-empty user password: unreadable unless the password is given."""
    encryption = StandardEncryption(
        userPassword=password, ownerPassword=password + "-owner", canPrint=1
    )
    pdf = _new_canvas(path, encrypt=encryption)
    _draw_text_page(pdf, DEFAULT_TITLE, 3)
    pdf.showPage()
    pdf.save()
    return path


def _scanned_page_png() -> bytes:
    image = Image.new("L", (850, 1100), color=255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default()
    draw.text((80, 80), DEFAULT_TITLE, fill=0, font=font)
    y = 130
    for sentence in _SENTENCES * 3:
        draw.text((80, y), sentence, fill=0, font=font)
        y += 22
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def build_image_only(path: Path) -> Path:
    """A scanned page: a picture of text with no text layer, so extraction finds nothing."""
    pdf = _new_canvas(path)
    width, height = letter
    pdf.drawImage(ImageReader(io.BytesIO(_scanned_page_png())), 0, 0, width, height)
    pdf.showPage()
    pdf.save()
    return path


def _write_pdf(path: Path, objects: list[Iterable[bytes]]) -> None:
    """Write objects 1..n (object 1 the catalog) with a correct xref table and trailer."""
    offsets: list[int] = []
    with path.open("wb") as out:
        out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        for number, pieces in enumerate(objects, start=1):
            offsets.append(out.tell())
            out.write(b"%d 0 obj\n" % number)
            for piece in pieces:
                out.write(piece)
            out.write(b"\nendobj\n")
        xref_offset = out.tell()
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
        out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
        out.write(
            b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, xref_offset)
        )


def _one_page_objects(content: list[Iterable[bytes]], resources: bytes) -> list[Iterable[bytes]]:
    """Catalog, page tree and one letter-size page whose content is object 4."""
    return [
        [b"<< /Type /Catalog /Pages 2 0 R >>"],
        [b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"],
        [
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources " + resources + b" >>"
        ],
        *content,
    ]


def build_many_tiny_objects(path: Path, count: int = 120_000) -> Path:
    """One page of over 100,000 1 pt characters, each placed alone, so parsing is very slow."""
    # At the default count, pdfplumber's extract_words() on this page took ~10.5 s on a 2-core
    # machine; litcurate's whole chain reads about 50,000 of these characters a second.
    # The content stream is deflated: a million characters keep the file near 4 MB.
    columns = 290
    rows = max(1, -(-count // columns))
    pitch = min(2.0, 760 / rows)
    letters = b"abcdefghijklmnopqrstuvwxyz"
    lines = [b"BT /F1 1 Tf"]
    for index in range(count):
        row, column = divmod(index, columns)
        x = 16 + column * 2
        y = 780 - row * pitch
        lines.append(b"1 0 0 1 %d %.2f Tm (%c) Tj" % (x, y, letters[index % len(letters)]))
    lines.append(b"ET")
    stream = zlib.compress(b"\n".join(lines))
    content = [b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream), stream,
               b"\nendstream"]
    font = [b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    _write_pdf(path, _one_page_objects([content, font], b"<< /Font << /F1 5 0 R >> >>"))
    return path


def _raw_deflate(data: bytes, mode: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(mode)


def _adler32_of_spaces(n: int) -> int:
    """Adler-32 of n space bytes, in closed form (no need to see the bytes)."""
    a = (1 + 32 * n) % 65521
    b = (n + 32 * (n * (n + 1) // 2)) % 65521
    return (b << 16) | a


def build_decompression_bomb(
    path: Path, inflated_bytes: int = 3 * 1024**3, *, chunk_bytes: int = _BOMB_CHUNK_BYTES
) -> Path:
    """A few-MB PDF whose one content stream inflates to gigabytes of whitespace."""
    full_chunks, remainder = divmod(inflated_bytes, chunk_bytes)
    # Each chunk is deflated by a fresh compressor and ends in a sync flush, so its bytes never
    # refer to earlier output and one compressed chunk can be repeated as often as needed.
    block = _raw_deflate(b" " * chunk_bytes, zlib.Z_SYNC_FLUSH) if full_chunks else b""
    tail = _raw_deflate(b" " * remainder, zlib.Z_FINISH)
    header = b"\x78\xda"
    trailer = _adler32_of_spaces(inflated_bytes).to_bytes(4, "big")
    length = len(header) + full_chunks * len(block) + len(tail) + len(trailer)

    def stream() -> Iterator[bytes]:
        yield b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % length
        yield header
        for _ in range(full_chunks):
            yield block
        yield tail
        yield trailer
        yield b"\nendstream"

    _write_pdf(path, _one_page_objects([stream()], b"<< >>"))
    return path


def build_many_pages(path: Path, pages: int = 500) -> Path:
    """A 500-page PDF with one short line per page: long, though each page is cheap."""
    pdf = _new_canvas(path)
    for number in range(1, pages + 1):
        pdf.setFont("Helvetica", 10)  # each page starts with a fresh graphics state
        pdf.drawString(72, 720, f"Page {number} of a very long supplement.")
        pdf.showPage()
    pdf.save()
    return path


def build_variant(source: Path, path: Path, n: int) -> Path:
    """The same PDF with a trailing comment: identical content but a different sha256."""
    data = source.read_bytes()
    if not data.endswith(b"\n"):
        data += b"\n"
    path.write_bytes(data + b"%%variant %d\n" % n)
    return path


__all__ = [
    "DEFAULT_TITLE",
    "build_broken_xref_repairable",
    "build_broken_xref_unrepairable",
    "build_decompression_bomb",
    "build_encrypted_empty_password",
    "build_encrypted_with_password",
    "build_image_only",
    "build_many_pages",
    "build_many_tiny_objects",
    "build_not_a_pdf",
    "build_text_pdf",
    "build_truncated",
    "build_variant",
]
