"""A page's characters, lines and rects with only the keys the reader uses.

pdfplumber turns every object pdfminer lays out into a dict of every attribute it
knows (colours, colour spaces, graphic state, paths), resolving each value, and
pdfminer first builds a layout object per character: together about half of reading
a journal page, spent on keys no stage reads. Here characters become the reader's
dicts as they are drawn (``CharDevice``), and lines and rects are taken from
pdfminer's layout, with the keys the reader uses computed as pdfminer and pdfplumber
compute them, so words, rules and rotated text come out the same; curves, images
and annotations, which no stage reads, are skipped. The content streams are run by
``ContentInterpreter``. ``tests/unit/test_page_objects.py`` holds the objects equal
to pdfplumber's own on real pages.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from unicodedata import normalize as normalize_unicode

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTContainer, LTItem
from pdfminer.pdffont import PDFFont, PDFUnicodeNotDefined
from pdfminer.utils import Matrix
from pdfplumber.utils.exceptions import PdfminerException

from litcurate.extractors.pdf.content_stream import ContentInterpreter

SHAPES = {"LTLine": "line", "LTRect": "rect"}  # pdfplumber's names
SHAPE_KEYS = ("fill", "stroke", "linewidth")


class CharDevice(PDFPageAggregator):
    """pdfminer's page aggregator that keeps each character as the reader's dict
    (pdfplumber's char keys: geometry, text, fontname, size, upright, matrix) instead
    of a layout object; lines and rects stay in its layout."""

    def __init__(self, page: Any) -> None:
        super().__init__(page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams)
        self.chars: list[dict[str, Any]] = []
        self._page = (page.page_number, float(page.height), float(page.initial_doctop),
                      page.mediabox[0], page.mediabox[1], page.pdf.unicode_norm)

    def render_char(self, matrix: Matrix, font: PDFFont, fontsize: float, scaling: float,
                    rise: float, cid: int, ncs: Any, graphicstate: Any) -> float:
        try:
            text = font.to_unichr(cid)
            assert isinstance(text, str), str(type(text))
        except PDFUnicodeNotDefined:
            text = self.handle_undefined_char(font, cid)
        advance = font.char_width(cid) * fontsize * scaling
        # The character's box and size as pdfminer's LTChar computes them.
        vertical = font.is_vertical()
        if vertical:
            vx, vy = font.char_disp(cid)  # type: ignore[misc]
            vx = fontsize * 0.5 if vx is None else vx * fontsize * 0.001
            vy = (1000 - vy) * fontsize * 0.001
            box = (-vx, vy + rise + advance, -vx + fontsize, vy + rise)
        else:
            descent = font.get_descent() * fontsize
            box = (0, descent + rise, advance, descent + rise + fontsize)
        a, b, c, d, e, f = matrix
        # pdfminer's apply_matrix_rect, inline (once per character): the same sums in
        # the same order, so the same floats.
        left, low, right, high = box
        left1, bottom1 = a * left + c * low + e, b * left + d * low + f
        right1, bottom2 = a * right + c * low + e, b * right + d * low + f
        right2, top1 = a * right + c * high + e, b * right + d * high + f
        left2, top2 = a * left + c * high + e, b * left + d * high + f
        x0, x1 = min(left1, left2, right1, right2), max(left1, left2, right1, right2)
        y0, y1 = min(bottom1, bottom2, top1, top2), max(bottom1, bottom2, top1, top2)
        width, height = x1 - x0, y1 - y0
        number, page_height, doctop, mb_x0, mb_top, norm = self._page
        if mb_x0 != 0:
            x0, x1 = x0 + mb_x0, x1 + mb_x0
        top, bottom = (page_height - y1) + mb_top, (page_height - y0) + mb_top
        self.chars.append({
            "object_type": "char", "page_number": number, "x0": x0, "x1": x1,
            "top": top, "bottom": bottom, "doctop": doctop + top,
            "width": width, "height": height,
            "text": normalize_unicode(norm, text) if norm is not None else text,
            "fontname": font.fontname, "size": width if vertical else height,
            "upright": a * d * scaling > 0 and b * c <= 0, "matrix": matrix})
        return advance


def page_objects(page: Any) -> dict[str, list[dict[str, Any]]]:
    """Given a pdfplumber page, return its chars, lines and rects as pdfplumber would
    (in the same order, with the geometry keys, the char keys and ``SHAPE_KEYS``)."""
    device = CharDevice(page)
    try:
        ContentInterpreter(page.pdf.rsrcmgr, device).process_page(page.page_obj)
    except Exception as error:  # wrapped as pdfplumber wraps it, for the same messages
        raise PdfminerException(error) from error
    height, doctop = float(page.height), float(page.initial_doctop)
    mb_x0, mb_top = page.mediabox[:2]
    objects: dict[str, list[dict[str, Any]]] = {"char": device.chars, "line": [], "rect": []}
    for item in _leaves(device.get_result()._objs):
        kind = SHAPES.get(type(item).__name__)
        if kind is None:
            continue
        x0, x1 = item.x0, item.x1  # type: ignore[attr-defined]
        if mb_x0 != 0:
            x0, x1 = x0 + mb_x0, x1 + mb_x0
        top = (height - item.y1) + mb_top  # type: ignore[attr-defined]
        bottom = (height - item.y0) + mb_top  # type: ignore[attr-defined]
        found: dict[str, Any] = {
            "object_type": kind, "page_number": page.page_number, "x0": x0, "x1": x1,
            "top": top, "bottom": bottom, "doctop": doctop + top,
            "width": item.width, "height": item.height}  # type: ignore[attr-defined]
        found.update((key, getattr(item, key)) for key in SHAPE_KEYS)
        objects[kind].append(found)
    return objects


def _leaves(items: Iterable[LTItem]) -> Iterable[LTItem]:
    """The layout's objects in pdfplumber's order, figures opened (no layout analysis)."""
    for item in items:
        if isinstance(item, LTContainer):
            yield from _leaves(item._objs)
        else:
            yield item


def use_page_objects(page: Any) -> None:
    """Give ``page`` these objects in place of pdfplumber's full ones, before anything
    asks for them (pdfplumber keeps a page's parsed objects in ``_objects``)."""
    page._objects = page_objects(page)
