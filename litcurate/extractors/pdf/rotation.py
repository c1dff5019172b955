"""Landscape tables on portrait pages: turn rotated text upright, and boxes back.

pdfplumber reports a rotated glyph with its box in page coordinates and a text
matrix telling the turn; its word grouping assumes horizontal lines and returns such
text reversed or one character per line. So each run of rotated characters becomes a
*view*: a virtual upright page, as wide as the real page is tall, on which every
table stage works unchanged. Boxes found on a view map back to the real page, so
provenance always points at the printed page.

Turn 90: text reads bottom to top (matrix b=1, c=-1; LaTeX's sidewaystable).
Turn 270: text reads top to bottom (matrix b=-1, c=1).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from litcurate.extractors.geometry import Box, signed_overlap
from litcurate.extractors.pdf.document import Page, Rule, Word, normalise_text

MIN_CHARS = 20  # fewer rotated characters than this are a stamp or an axis label
WORD_GAP_RATIO = 0.15  # as in the upright reader: gaps wider than this share of size split words


def turn_of(matrix: Sequence[float]) -> int:
    """0, 90 or 270 from a character's text matrix (a, b, c, d, e, f)."""
    b, c = matrix[1], matrix[2]
    if b > 0.5 and c < -0.5:
        return 90
    if b < -0.5 and c > 0.5:
        return 270
    return 0


def to_view(box: Box, turn: int, width: float, height: float) -> Box:
    """A page box (x0, top, x1, bottom) in the upright view's coordinates."""
    x0, top, x1, bottom = box
    if turn == 90:
        return (height - bottom, x0, height - top, x1)
    if turn == 270:
        return (top, width - x1, bottom, width - x0)
    return box


def to_page(box: Box, turn: int, width: float, height: float) -> Box:
    """A view box back in the real page's coordinates (inverse of ``to_view``)."""
    x0, top, x1, bottom = box
    if turn == 90:
        return (top, height - x1, bottom, height - x0)
    if turn == 270:
        return (width - bottom, x0, width - top, x1)
    return box


def page_box(page: Page, box: Box) -> Box:
    """Given a page or view and a box on it, return the box on the printed page."""
    if page.rotation == 0:
        return box
    return to_page(box, page.rotation, page.source_width, page.source_height)


def _words(chars: Iterable[tuple[Box, str, float, bool]]) -> list[Word]:
    """Upright-view characters -> words: lines by vertical overlap, words by gaps."""
    ordered = sorted(chars, key=lambda c: ((c[0][1] + c[0][3]) / 2, c[0][0]))
    lines: list[list[tuple[Box, str, float, bool]]] = []
    for char in ordered:
        box = char[0]
        if lines:
            ref = lines[-1][0][0]
            shared = signed_overlap(ref[1], ref[3], box[1], box[3])
            if shared >= 0.5 * min(ref[3] - ref[1], box[3] - box[1]):
                lines[-1].append(char)
                continue
        lines.append([char])
    words: list[Word] = []
    for line in lines:
        current: list[tuple[Box, str, float, bool]] = []
        for char in sorted(line, key=lambda c: c[0][0]):
            if current:
                last = current[-1]
                gap = char[0][0] - last[0][2]
                if (char[1].isspace() or gap > WORD_GAP_RATIO * max(char[2], last[2])
                        or abs(char[2] - last[2]) > 0.5):
                    words.append(_word(current))
                    current = []
            if not char[1].isspace():
                current.append(char)
        if current:
            words.append(_word(current))
    return words


def _word(chars: Sequence[tuple[Box, str, float, bool]]) -> Word:
    return Word(
        text=normalise_text("".join(c[1] for c in chars)),
        x0=round(min(c[0][0] for c in chars), 2),
        top=round(min(c[0][1] for c in chars), 2),
        x1=round(max(c[0][2] for c in chars), 2),
        bottom=round(max(c[0][3] for c in chars), 2),
        size=round(max(c[2] for c in chars), 2),
        bold=any(c[3] for c in chars),
    )


def rotated_views(number: int, width: float, height: float, chars: Sequence[dict[str, Any]],
                  rules: Sequence[Rule], fills: Sequence[Rule], is_bold: Any) -> tuple[Page, ...]:
    """One upright view per turn that holds enough rotated characters."""
    by_turn: dict[int, list[tuple[Box, str, float, bool]]] = {}
    for char in chars:
        turn = turn_of(char.get("matrix") or (1, 0, 0, 1))
        if turn == 0:
            continue
        box = to_view((float(char["x0"]), float(char["top"]), float(char["x1"]),
                       float(char["bottom"])), turn, width, height)
        # A rotated glyph's reported size is its advance; its true size is the box height.
        size = round(box[3] - box[1], 1)
        by_turn.setdefault(turn, []).append(
            (box, str(char["text"]), size, bool(is_bold(str(char.get("fontname", ""))))))
    views: list[Page] = []
    for turn, turned in sorted(by_turn.items()):
        if len(turned) < MIN_CHARS:
            continue

        def view_rule(rule: Rule, turn: int = turn) -> Rule:
            return Rule(*to_view((rule.x0, rule.top, rule.x1, rule.bottom), turn, width, height))

        views.append(Page(
            number=number, width=height, height=width, words=tuple(_words(turned)),
            rules=tuple(view_rule(r) for r in rules), fills=tuple(view_rule(f) for f in fills),
            rotation=turn, source_width=width, source_height=height,
        ))
    return tuple(views)
