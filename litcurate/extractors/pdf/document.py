"""The in-memory document the extractors share: words and rules per page.

pdfplumber objects are dicts tied to an open file; we copy what the extractors need
into small frozen dataclasses once, so every later stage is a pure function that can
be tested on hand-made pages without a PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from litcurate.extractors.pdf.word_segments import Line

LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
    "\u00ad": "",  # soft hyphen
    "\u00a0": " ",
}


def normalise_text(text: str) -> str:
    """Replace ligatures and invisible characters with plain text, keep everything else."""
    for ligature, plain in LIGATURES.items():
        if ligature in text:
            text = text.replace(ligature, plain)
    return text


@dataclass(frozen=True)
class Word:
    """A run of same-size characters on one line, with its box in PDF points."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool = False
    upright: bool = True

    @property
    def x_mid(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def y_mid(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class Rule:
    """A horizontal or vertical stroke (a line, or a rect thin enough to be one)."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def is_horizontal(self) -> bool:
        return (self.bottom - self.top) <= 2.0 and (self.x1 - self.x0) > 2.0

    @property
    def is_vertical(self) -> bool:
        return (self.x1 - self.x0) <= 2.0 and (self.bottom - self.top) > 2.0


@dataclass(frozen=True)
class Page:
    """One page: number (1-based), size, words in reading order of the PDF, rules, fills.

    ``views`` holds the page's rotated text turned upright, one virtual page per turn.
    ``lines`` are the words grouped into layout lines, once, by the reader: the reader,
    table detection and continuation all start from them (None on a page made by
    hand; ``word_segments.page_to_layout_lines`` groups its words when asked).
    """

    number: int
    width: float
    height: float
    words: tuple[Word, ...]
    rules: tuple[Rule, ...] = ()
    fills: tuple[Rule, ...] = ()
    body_size: float = 10.0
    # A view of rotated text set upright (see ``rotation``): turn and the real page's size.
    rotation: int = 0
    source_width: float = 0.0
    source_height: float = 0.0
    views: tuple[Page, ...] = ()
    lines: tuple[Line, ...] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Document:
    """A whole paper as the extractors see it."""

    pages: tuple[Page, ...]
    metadata: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def n_pages(self) -> int:
        return len(self.pages)

    def page(self, number: int) -> Page:
        return self.pages[number - 1]
