"""A page's characters, lines and rects with only the keys the reader uses.

pdfplumber turns every object pdfminer lays out into a dict of every attribute it
knows (colours, colour spaces, graphic state, paths), resolving each value: about a
third of reading a journal page, spent on keys no stage reads. Here the same
objects (the ones pdfplumber calls char, line and rect) are built straight from
pdfminer's layout with the keys the reader uses, computed as pdfplumber computes
them, so words, rules and rotated text come out the same; curves, images and
annotations, which no stage reads, are skipped. ``tests/unit/test_page_objects.py``
holds them equal to pdfplumber's own on real pages.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from unicodedata import normalize as normalize_unicode

from pdfminer.layout import LTChar, LTContainer, LTItem

KINDS = {"LTChar": "char", "LTLine": "line", "LTRect": "rect"}  # pdfplumber's names
CHAR_KEYS = ("fontname", "size", "upright", "matrix")
SHAPE_KEYS = ("fill", "stroke", "linewidth")


def page_objects(page: Any) -> dict[str, list[dict[str, Any]]]:
    """Given a pdfplumber page, return its chars, lines and rects as pdfplumber would
    (in the same order, with the geometry keys and those in ``CHAR_KEYS`` and
    ``SHAPE_KEYS``)."""
    height, doctop = float(page.height), float(page.initial_doctop)
    mb_x0, mb_top = page.mediabox[:2]
    norm = page.pdf.unicode_norm
    objects: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KINDS.values()}
    for item in _leaves(page.layout._objs):
        kind = KINDS.get(type(item).__name__)
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
        if isinstance(item, LTChar):
            text = item.get_text()
            found["text"] = normalize_unicode(norm, text) if norm is not None else text
            found.update((key, getattr(item, key)) for key in CHAR_KEYS)
        else:
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
