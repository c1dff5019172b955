"""Words -> segments -> lines: the geometry every table stage starts from.

A *segment* is a run of words on one line close enough to be one phrase
("Doxo + mito + cispl"); the gap that separates two table columns is wider than
the space between words of a phrase, so segments are the unit columns are built
from. Superscript marks stay separate words until a cell is assembled.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from litcurate.extractors.geometry import SAME_LINE_OVERLAP, signed_overlap
from litcurate.extractors.marks import SUPERSCRIPT_RATIO
from litcurate.extractors.pdf.document import Page, Word

PHRASE_GAP_EM = 0.55  # word gaps up to this many ems stay inside one phrase


@dataclass(frozen=True)
class Segment:
    """A phrase on one line: its words (marks included) and their union box."""

    words: tuple[Word, ...]

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def size(self) -> float:
        return max(w.size for w in self.words)

    @property
    def text(self) -> str:
        return join_words(self.words)


@dataclass(frozen=True)
class Line:
    """Segments sharing a baseline, left to right."""

    segments: tuple[Segment, ...]

    @property
    def top(self) -> float:
        return min(s.top for s in self.segments)

    @property
    def bottom(self) -> float:
        return max(s.bottom for s in self.segments)

    @property
    def x0(self) -> float:
        return min(s.x0 for s in self.segments)

    @property
    def x1(self) -> float:
        return max(s.x1 for s in self.segments)

    @property
    def words(self) -> tuple[Word, ...]:
        return tuple(w for s in self.segments for w in s.words)

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)

    @property
    def size(self) -> float:
        return max(s.size for s in self.segments)


def join_words(words: Sequence[Word]) -> str:
    """Text of words on one line: marks glued to the word they touch, others spaced."""
    parts: list[str] = []
    previous: Word | None = None
    for word in sorted(words, key=lambda w: w.x0):
        touching = previous is not None and word.x0 - previous.x1 < 0.8
        if previous is not None and touching:
            parts.append(word.text)
        elif parts:
            parts.append(" " + word.text)
        else:
            parts.append(word.text)
        previous = word
    return "".join(parts)


def _main_size(words: Iterable[Word]) -> float:
    sizes = [w.size for w in words]
    return max(sizes) if sizes else 0.0


@dataclass
class _GrowingLine:
    """A line while it is being grouped: its words and the band they span so far."""

    words: list[Word]
    top: float
    bottom: float

    @classmethod
    def start(cls, word: Word) -> _GrowingLine:
        return cls([word], word.top, word.bottom)

    def add(self, word: Word) -> None:
        self.words.append(word)
        self.top = min(self.top, word.top)
        self.bottom = max(self.bottom, word.bottom)


def words_to_lines(words: Iterable[Word], *, tolerance: float = SAME_LINE_OVERLAP
                   ) -> list[list[Word]]:
    """Group words into lines by vertical overlap; raised marks join the line they sit on."""
    ordered = sorted((w for w in words if w.upright), key=lambda w: (w.bottom, w.x0))
    main: list[_GrowingLine] = []
    small: list[Word] = []
    body = _main_size(ordered)
    for word in ordered:
        if word.size < body * SUPERSCRIPT_RATIO * 0.95 and len(word.text) <= 3:
            small.append(word)
            continue
        for line in reversed(main[-4:]):
            ref = line.words[0]
            overlap = signed_overlap(ref.top, ref.bottom, word.top, word.bottom)
            if overlap >= tolerance * min(ref.height, word.height):
                line.add(word)
                break
        else:
            main.append(_GrowingLine.start(word))
    for mark in small:
        best = _line_for_mark(mark, main)
        if best is None:
            main.append(_GrowingLine.start(mark))
        else:
            best.add(mark)
    lines = [(line.top, sorted(line.words, key=lambda w: w.x0)) for line in main]
    return [words for _, words in sorted(lines, key=lambda pair: (pair[0], pair[1][0].x0))]


def _line_for_mark(mark: Word, lines: Sequence[_GrowingLine]) -> _GrowingLine | None:
    """The line a small word belongs to: of the lines whose band it overlaps, the one it
    overlaps most, with a bonus for touching one of its words."""
    best: _GrowingLine | None = None
    best_overlap = 0.0
    for line in lines:
        if line.top >= mark.bottom or line.bottom <= mark.top:
            continue  # not beside the mark: the bands do not overlap
        overlap = signed_overlap(line.top, line.bottom, mark.top, mark.bottom)
        near = any(abs(w.x1 - mark.x0) < 3 or abs(mark.x1 - w.x0) < 3 for w in line.words)
        score = overlap + (5.0 if near else 0.0)
        if overlap > 0 and score > best_overlap:
            best, best_overlap = line, score
    return best


def line_to_segments(words: Sequence[Word], *, gap_em: float = PHRASE_GAP_EM) -> list[Segment]:
    """Split one line's words into phrases at gaps wider than ``gap_em`` ems."""
    segments: list[list[Word]] = []
    for word in sorted(words, key=lambda w: w.x0):
        if segments:
            previous = segments[-1][-1]
            em = max(previous.size, word.size)
            if word.x0 - previous.x1 <= gap_em * em:
                segments[-1].append(word)
                continue
        segments.append([word])
    return [Segment(tuple(s)) for s in segments]


def words_to_layout_lines(words: Iterable[Word], *, gap_em: float = PHRASE_GAP_EM) -> list[Line]:
    """Given words, return lines of phrase segments, top to bottom."""
    return [
        Line(tuple(line_to_segments(line, gap_em=gap_em))) for line in words_to_lines(words)
    ]


def page_to_layout_lines(page: Page) -> tuple[Line, ...]:
    """Given a page, return its layout lines: those the reader grouped, else grouped now."""
    if page.lines is not None:
        return page.lines
    return tuple(words_to_layout_lines(page.words))


def with_layout_lines(page: Page) -> Page:
    """The page, and each of its rotated views, carrying its words grouped into lines."""
    return replace(page, lines=tuple(words_to_layout_lines(page.words)),
                   views=tuple(with_layout_lines(view) for view in page.views))
