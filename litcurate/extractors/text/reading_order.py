"""Words -> text lines in reading order: baselines, column gutters, running heads removed.

The geometry half of the text layer (``text_layer`` builds paragraphs on top): words
sharing a baseline become a line, a page with a column gutter is read band by band,
left column then right, and lines repeating in the top or bottom margin across pages
(running headers, footers, page numbers) are dropped. Every line keeps its box and the
block (one column of one band) it belongs to, so paragraph breaks and continuations
can be judged later.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from litcurate.extractors.geometry import SAME_LINE_OVERLAP, signed_overlap
from litcurate.extractors.pdf.document import Document, Page, Word

Region = tuple[int, float, float, float, float]  # (page, x0, top, x1, bottom)
PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)


@dataclass(frozen=True)
class LayoutSettings:
    """Tolerances of the text layer, in page fractions or ems of the body font size."""

    margin_fraction: float = 0.09  # running heads live this close to the top/bottom edge
    repeat_fraction: float = 0.3  # ...and repeat on this share of pages (recto/verso heads differ)
    gutter_em: float = 0.9  # a gap this wide inside a row separates two columns
    column_fraction: float = 0.2  # lines this wide (of the page) prove a column exists
    min_column_lines: int = 3
    paragraph_gap: float = 1.35  # a line pitch this many times the usual starts a paragraph
    indent_em: float = 0.6  # a first-line indent this deep starts a paragraph
    heading_words: int = 12

    def __post_init__(self) -> None:
        if not 0 < self.margin_fraction < 0.5 or self.paragraph_gap <= 1:
            raise ValueError(f"invalid layout settings: {self}")


@dataclass(frozen=True)
class TextLine:
    """One line of text in reading order, with its box and the block (column run) it is in."""

    text: str
    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool = False
    block: int = 0
    lead: str = ""  # leading words set in another style: a run-in heading candidate


def words_to_text(words: Sequence[Word]) -> str:
    """Join one line's words: spaced where the PDF leaves a gap, glued where fonts change."""
    parts: list[str] = []
    previous: Word | None = None
    for word in words:
        if previous is not None and word.x0 - previous.x1 > 0.1 * max(word.size, 1.0):
            parts.append(" ")
        parts.append(word.text)
        previous = word
    return "".join(parts)


def words_to_rows(words: Iterable[Word]) -> list[list[Word]]:
    """Group words sharing a baseline (vertical overlap), so raised dashes and marks stay in."""
    rows: list[tuple[list[Word], list[Word]]] = []  # ([reference word], words)
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        for reference, row in reversed(rows[-6:]):
            ref = reference[0]
            overlap = signed_overlap(ref.top, ref.bottom, word.top, word.bottom)
            if overlap >= SAME_LINE_OVERLAP * min(ref.height, word.height):
                row.append(word)
                # A larger word sitting squarely on the line becomes its reference; one only
                # half level with it (the other column's bigger type) must not, or it
                # would pull the next line in too.
                if word.size > ref.size and overlap >= 0.8 * min(ref.height, word.height):
                    reference[0] = word
                break
        else:
            rows.append(([word], [word]))
    return [sorted(row, key=lambda w: w.x0) for _, row in rows]


def row_to_fragments(row: Sequence[Word], gap: float) -> list[list[Word]]:
    """Split a row where words are a column gutter apart, so each column reads alone."""
    fragments: list[list[Word]] = []
    for word in row:
        if fragments and word.x0 - fragments[-1][-1].x1 < gap:
            fragments[-1].append(word)
        else:
            fragments.append([word])
    return fragments


def _style(word: Word) -> tuple[float, bool]:
    return round(word.size * 2) / 2, word.bold


def words_to_lead(words: Sequence[Word]) -> str:
    """Leading words set in another size or weight than the rest ("Design overview ...")."""
    styles = Counter(_style(w) for w in words for _ in w.text)
    main = styles.most_common(1)[0][0]
    lead = 0
    while lead < len(words) and _style(words[lead]) != main:
        lead += 1
    text = words_to_text(words[:lead])
    if 0 < lead < len(words) and lead <= 8 and text[:1].isupper() and len(text) > 2:
        return text
    return ""


def words_to_line(words: Sequence[Word], page: int, block: int = 0) -> TextLine:
    """Given the words of one line, return the ``TextLine`` with their union box."""
    sizes = Counter(round(w.size, 1) for w in words for _ in w.text)
    return TextLine(
        text=words_to_text(words),
        page=page,
        x0=min(w.x0 for w in words),
        top=min(w.top for w in words),
        x1=max(w.x1 for w in words),
        bottom=max(w.bottom for w in words),
        size=sizes.most_common(1)[0][0],
        bold=all(w.bold for w in words),
        block=block,
        lead=words_to_lead(words),
    )


def fragments_to_gutter(fragments: Sequence[Sequence[Word]], width: float,
                        settings: LayoutSettings) -> float | None:
    """The x of a column gutter: fewest lines cross it, several wide lines sit on each side."""
    spans = [(min(w.x0 for w in f), max(w.x1 for w in f)) for f in fragments]
    wide = [s for s in spans if s[1] - s[0] >= settings.column_fraction * width]
    candidates: list[tuple[int, int]] = []  # (x, lines crossing x)
    for x in range(int(width * 0.3), int(width * 0.7) + 1):
        left = sum(1 for _, x1 in wide if x1 <= x)
        right = sum(1 for x0, _ in wide if x0 >= x)
        if min(left, right) >= settings.min_column_lines:
            candidates.append((x, sum(1 for x0, x1 in spans if x0 < x < x1)))
    if not candidates:
        return None
    fewest = min(crossing for _, crossing in candidates)
    first = next(i for i, (_, crossing) in enumerate(candidates) if crossing == fewest)
    last = first
    while (last + 1 < len(candidates) and candidates[last + 1][1] == fewest
           and candidates[last + 1][0] == candidates[last][0] + 1):
        last += 1
    return (candidates[first][0] + candidates[last][0]) / 2


def lines_to_columns(lines: Sequence[TextLine], gutter: float) -> list[TextLine]:
    """Order lines: full-width runs in place, each band between them left column then right."""
    ordered: list[TextLine] = []
    band: list[TextLine] = []
    block = 0
    previous_full = False
    for line in sorted(lines, key=lambda ln: (ln.top, ln.x0)):
        if line.x0 < gutter < line.x1:
            block = _flush_band(band, gutter, ordered, block)
            block += 0 if previous_full else 1
            ordered.append(_with_block(line, block))
            previous_full = True
        else:
            band.append(line)
            previous_full = False
    _flush_band(band, gutter, ordered, block)
    return ordered


def _flush_band(band: list[TextLine], gutter: float, ordered: list[TextLine], block: int) -> int:
    """Append a band's left column then its right column, each as its own block."""
    for column in ([ln for ln in band if ln.x1 <= gutter], [ln for ln in band if ln.x1 > gutter]):
        if column:
            block += 1
            ordered.extend(_with_block(ln, block) for ln in column)
    band.clear()
    return block


def _with_block(line: TextLine, block: int) -> TextLine:
    return TextLine(line.text, line.page, line.x0, line.top, line.x1, line.bottom, line.size,
                    line.bold, line.page * 1000 + block, line.lead)


def _inside(word: Word, regions: Sequence[Region]) -> bool:
    return any(r[1] <= word.x_mid <= r[3] and r[2] <= word.y_mid <= r[4] for r in regions)


def row_to_lines(row: Sequence[Word], gutter: float | None, page: int) -> list[TextLine]:
    """One line per side of the gutter (or one for the row), so hanging indents stay joined."""
    if gutter is None or any(w.x0 < gutter < w.x1 for w in row):
        return [words_to_line(row, page)]
    sides = ([w for w in row if w.x1 <= gutter], [w for w in row if w.x1 > gutter])
    return [words_to_line(side, page) for side in sides if side]


def page_to_lines(page: Page, exclude: Sequence[Region] = (),
                  settings: LayoutSettings | None = None) -> list[TextLine]:
    """Given a page, return its text lines in reading order (tables in ``exclude`` left out)."""
    settings = settings or LayoutSettings()
    regions = [r for r in exclude if r[0] == page.number]
    words = [w for w in page.words if w.upright and w.text.strip() and not _inside(w, regions)]
    gap = settings.gutter_em * page.body_size
    rows = words_to_rows(words)
    fragments = [f for row in rows for f in row_to_fragments(row, gap)]
    gutter = fragments_to_gutter(fragments, page.width, settings)
    lines = [line for row in rows for line in row_to_lines(row, gutter, page.number)]
    if gutter is None:
        return [_with_block(ln, 1) for ln in sorted(lines, key=lambda ln: (ln.top, ln.x0))]
    return lines_to_columns(lines, gutter)


def _running_key(text: str) -> str:
    return " ".join(re.sub(r"\d+", "#", text.lower()).split())


def lines_to_running(pages: Sequence[list[TextLine]], heights: Sequence[float],
                     settings: LayoutSettings) -> set[tuple[int, str]]:
    """(page, text) of running heads: margin lines repeating across pages, and page numbers."""
    def in_margin(line: TextLine, height: float) -> bool:
        band = settings.margin_fraction * height
        return line.top < band or line.bottom > height - band

    seen: Counter[str] = Counter()
    for lines, height in zip(pages, heights, strict=True):
        seen.update({_running_key(ln.text) for ln in lines if in_margin(ln, height)})
    threshold = max(2.0, settings.repeat_fraction * len(pages))
    running: set[tuple[int, str]] = set()
    for lines, height in zip(pages, heights, strict=True):
        for line in lines:
            if not in_margin(line, height):
                continue
            repeated = len(pages) > 1 and seen[_running_key(line.text)] >= threshold
            if repeated or PAGE_NUMBER.match(line.text.strip()):
                running.add((line.page, line.text))
    return running


def document_to_lines(document: Document, exclude: Sequence[Region] = (),
                      settings: LayoutSettings | None = None) -> list[TextLine]:
    """All pages' lines in reading order, with running headers, footers and page numbers gone."""
    settings = settings or LayoutSettings()
    pages = [page_to_lines(page, exclude, settings) for page in document.pages]
    running = lines_to_running(pages, [p.height for p in document.pages], settings)
    return [ln for lines in pages for ln in lines if (ln.page, ln.text) not in running]
