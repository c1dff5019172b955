"""Boxes and intervals on a page: the overlap rules every extractor shares.

Coordinates are pdfplumber's: PDF points, origin at the top left, ``top`` above
``bottom``. Words, phrase segments, lines and rules all expose ``x0, top, x1,
bottom``; the helpers here take those or bare intervals, so "do these two share a
line" or "does this rule run under that phrase" is written the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

Box = tuple[float, float, float, float]  # (x0, top, x1, bottom)

# Two boxes sharing at least this share of the smaller one's height sit on one line:
# loose enough for a raised dash or mark, tight enough to keep stacked lines apart.
SAME_LINE_OVERLAP = 0.45


class Boxed(Protocol):
    """Anything with a box: a word, a phrase segment, a line, a rule."""

    @property
    def x0(self) -> float: ...

    @property
    def top(self) -> float: ...

    @property
    def x1(self) -> float: ...

    @property
    def bottom(self) -> float: ...


def signed_overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    """Given two intervals, return the length they share; negative: the gap between them."""
    return min(a1, b1) - max(a0, b0)


def overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    """Given two intervals, return the length they share (0 when apart)."""
    return max(0.0, signed_overlap(a0, a1, b0, b1))


def intersects(a0: float, a1: float, b0: float, b1: float) -> bool:
    """Do two intervals share more than an end point? A zero-width one inside counts."""
    return a1 > b0 and a0 < b1


def horizontal_overlap(a: Boxed, b: Boxed) -> float:
    """Given two boxes, return the width of the x-range they share."""
    return overlap(a.x0, a.x1, b.x0, b.x1)


def vertical_overlap(a: Boxed, b: Boxed) -> float:
    """Given two boxes, return the height of the y-range they share."""
    return overlap(a.top, a.bottom, b.top, b.bottom)


def bounds(items: Iterable[Boxed]) -> Box:
    """Given boxes, return their union: the smallest box holding them all."""
    boxes = list(items)
    return (min(b.x0 for b in boxes), min(b.top for b in boxes),
            max(b.x1 for b in boxes), max(b.bottom for b in boxes))
