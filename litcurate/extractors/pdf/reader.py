"""Read a PDF into a ``Document`` with pdfplumber, or fail with a clear reason.

Words are split where the font size changes, so a superscript footnote mark or
citation number comes out as its own small word that later stages attach to its
cell as a mark instead of gluing it into a number.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException

from litcurate.extractors.errors import (
    CorruptPdfError,
    EmptyFileError,
    EncryptedPdfError,
    ExtractionError,
    NotAPdfError,
    NoTextLayerError,
)
from litcurate.extractors.pdf.document import Document, Page, Rule, Word, normalise_text
from litcurate.extractors.pdf.page_objects import use_page_objects
from litcurate.extractors.pdf.rotation import rotated_views
from litcurate.extractors.pdf.word_segments import page_to_layout_lines, with_layout_lines

PDF_MAGIC = b"%PDF-"
MAGIC_WINDOW = 1024  # the header may follow a little junk; readers accept that
THIN = 2.0  # a rect no thicker than this (points) is drawn as a rule
# Characters closer than this share of their size are one word: tight enough to keep
# "n = 928" and "treatment × time" apart, loose enough for kerned letters.
X_TOLERANCE_RATIO = 0.15


def check_pdf_header(path: Path) -> None:
    """Fail early on empty and non-PDF files, before pdfminer's cryptic errors."""
    size = path.stat().st_size
    if size == 0:
        raise EmptyFileError("empty file (0 bytes)")
    with path.open("rb") as handle:
        head = handle.read(MAGIC_WINDOW)
    if PDF_MAGIC not in head:
        raise NotAPdfError("not a PDF (no %PDF- header)")


BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi|^cmbx|^cmb\d|[.,+-](?:b|bd|bi|bdit)$",
                       re.IGNORECASE)


def is_bold_font(fontname: str) -> bool:
    """Bold by the font's name: 'Helvetica-Bold', 'NimbusRomNo9L-Medi', or a '.B' suffix.

    Subset prefixes ('ABCDEF+') are dropped first; journals' converted fonts often
    carry only a style suffix, so the suffix is the evidence.
    """
    name = fontname.split("+", 1)[-1]
    return bool(BOLD_NAME.search(name)) or name.lower().endswith(("medi", "-md", "bd"))


def _word(raw: dict[str, Any]) -> Word:
    fontname = str(raw.get("fontname", ""))
    return Word(
        text=normalise_text(str(raw["text"])),
        x0=round(float(raw["x0"]), 2),
        top=round(float(raw["top"]), 2),
        x1=round(float(raw["x1"]), 2),
        bottom=round(float(raw["bottom"]), 2),
        size=round(float(raw.get("size", 0.0)), 2),
        bold=is_bold_font(fontname),
        upright=bool(raw.get("upright", True)),
    )


def _rules(page: Any) -> tuple[tuple[Rule, ...], tuple[Rule, ...]]:
    """Lines and thin rects become rules; filled wide rects become fills (zebra rows)."""
    rules: list[Rule] = []
    fills: list[Rule] = []
    for line in page.lines:
        rules.append(Rule(line["x0"], line["top"], line["x1"], line["bottom"]))
    for rect in page.rects:
        box = Rule(rect["x0"], rect["top"], rect["x1"], rect["bottom"])
        if rect["height"] <= THIN or rect["width"] <= THIN:
            rules.append(box)
        elif rect.get("fill"):
            fills.append(box)
    key = lambda r: (round(r.top, 2), round(r.x0, 2), round(r.bottom, 2), round(r.x1, 2))  # noqa: E731
    return tuple(sorted(rules, key=key)), tuple(sorted(fills, key=key))


def _body_size(pages: Sequence[Page]) -> float:
    """The prose font size: the most common size of text set in long lines, by characters.

    Per page it would be wrong on a page that is mostly table, and counting every
    character is wrong on a short paper that is mostly table; prose is the text that
    runs in long phrases, which table cells do not.
    """
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page_to_layout_lines(page):
            for segment in line.segments:
                if segment.x1 - segment.x0 >= 0.3 * page.width:
                    for word in segment.words:
                        sizes[round(word.size, 1)] += len(word.text)
    if not sizes:
        for page in pages:
            for word in page.words:
                sizes[round(word.size, 1)] += len(word.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def page_to_layout(page: Any) -> Page:
    """Given a pdfplumber page, return the extractors' ``Page``, its lines grouped."""
    use_page_objects(page)  # only the objects and keys read below
    raw_words = page.extract_words(
        x_tolerance_ratio=X_TOLERANCE_RATIO,
        y_tolerance=2.0,
        keep_blank_chars=False,
        use_text_flow=False,
        extra_attrs=["size", "fontname", "upright"],
    )
    number, width, height = int(page.page_number), float(page.width), float(page.height)
    if width <= 1 or height <= 1:
        raise CorruptPdfError(f"corrupt PDF (page {number} has no area: "
                              f"{width:g} x {height:g} pt)")
    # Text set outside the page is never printed (and has no place to point back to).
    words = [_word(w) for w in raw_words if str(w["text"]).strip() and w.get("upright", True)
             and float(w["bottom"]) > 0 and float(w["top"]) < height
             and float(w["x1"]) > 0 and float(w["x0"]) < width]
    rules, fills = _rules(page)
    turned = [c for c in page.chars if not c.get("upright", True)]
    views = rotated_views(number, width, height, turned, rules, fills, is_bold_font)
    return with_layout_lines(Page(
        number=number,
        width=width,
        height=height,
        words=tuple(words),
        rules=rules,
        fills=fills,
        views=views,
    ))


def pdf_to_pages(pdf: Any) -> tuple[Page, ...]:
    """Given an open pdfplumber PDF, return its pages, each closed once it has been read.

    pdfplumber keeps every parsed page's layout and object dicts until the file is
    closed (about 10 MB a journal page); the ``Page`` holds all the stages use, so
    dropping them as we go keeps memory flat in the page count.
    """
    pages: list[Page] = []
    for page in pdf.pages:
        try:
            pages.append(page_to_layout(page))
        finally:
            page.close()
    return tuple(pages)


def _what_broke(causes: list[BaseException]) -> str:
    """The first error in the chain that says more than that it wraps another (pdfplumber
    wraps pdfminer's errors in ``PdfminerException``): its message, else its name."""
    for cause in causes:
        wrapped = any(isinstance(a, BaseException) for a in cause.args)
        if not wrapped and str(cause).strip():
            return str(cause).strip()
    return type(causes[-1]).__name__


def _causes(error: BaseException) -> list[BaseException]:
    """The error, its wrapped arguments and its chain: pdfplumber wraps pdfminer's errors."""
    seen: list[BaseException] = []
    pending: list[BaseException] = [error]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.append(current)
        pending.extend(a for a in current.args if isinstance(a, BaseException))
        for linked in (current.__cause__, current.__context__):
            if linked is not None:
                pending.append(linked)
    return seen


def read_pdf(path: str | Path, *, password: str = "") -> Document:
    """Given a PDF path, return its ``Document``; raise an ``ExtractionError`` if unreadable."""
    path = Path(path)
    check_pdf_header(path)
    try:
        with pdfplumber.open(path, password=password) as pdf:
            metadata = {str(k): str(v) for k, v in (pdf.metadata or {}).items()}
            pages = pdf_to_pages(pdf)
    except PDFPasswordIncorrect as error:
        raise EncryptedPdfError("encrypted PDF: a password is needed to open it") from error
    except ExtractionError:
        raise
    except (PDFSyntaxError, PSException) as error:
        raise CorruptPdfError(f"corrupt PDF ({error})") from error
    except Exception as error:  # pdfminer raises many unrelated types on damaged files
        causes = _causes(error)
        if any(isinstance(c, PDFPasswordIncorrect) or "password" in str(c).lower()
               or "encrypt" in type(c).__name__.lower() for c in causes):
            raise EncryptedPdfError("encrypted PDF: a password is needed to open it") from error
        if any(isinstance(c, MemoryError) or "unable to allocate" in str(c).lower()
               for c in causes):
            # A stream that inflates past the memory limit (a decompression bomb): the
            # worker running this paper reports it as a memory-limit failure.
            raise MemoryError(str(error)) from error
        raise CorruptPdfError(f"corrupt PDF ({_what_broke(causes)})") from error
    if not pages:
        raise CorruptPdfError("corrupt PDF (no pages)")
    body = _body_size(pages)
    pages = tuple(replace(page, body_size=body, views=tuple(replace(v, body_size=body)
                                                          for v in page.views))
                  for page in pages)
    if not any(page.words for page in pages):
        raise NoTextLayerError("no text layer (scanned or image-only PDF); OCR not supported")
    return Document(pages=pages, metadata=metadata)
