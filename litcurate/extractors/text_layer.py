"""Document -> body text: lines, column order, running heads removed, paragraphs, references.

The statement rules read prose, so this stage turns positioned words back into the
text a reader sees: words grouped into lines by baseline, pages with a column gutter
read left column then right, running headers/footers and page numbers dropped, words
split at line ends re-joined, headings kept as each paragraph's section path, and
captions, table legends, back matter and the bibliography kept out of the prose. The
numbered bibliography is parsed so statements can resolve their citations.
Geometry stays on every paragraph (page and line boxes) for provenance.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from statistics import median

from litcurate.extractors.document import Document, Page, Word

Region = tuple[int, float, float, float, float]  # (page, x0, top, x1, bottom)

KEEP_HYPHEN_PREFIXES = frozenset({
    "trans", "non", "post", "pre", "anti", "co", "self", "well", "radio", "chemo", "first",
    "second", "third", "intra", "extra", "inter", "multi", "semi", "poorly",
})
MAJOR_SECTIONS = frozenset({  # unnumbered names that open a top-level section
    "abstract", "background", "introduction", "methods", "method", "materials and methods",
    "results", "discussion", "conclusion", "conclusions", "references", "bibliography",
    "literature cited", "acknowledgements", "acknowledgments", "abbreviations", "keywords",
    "funding", "summary", "appendix", "author contributions", "authors' contributions",
    "competing interests", "conflicts of interest", "availability of data and materials",
    "ethics approval and consent to participate", "consent for publication", "author details",
    "supplementary materials", "acknowledgement", "ethics and consent to participate",
})
MINOR_SECTIONS = frozenset({  # unnumbered names that sit under the current numbered section
    "techniques", "complications", "findings", "limitations", "objective", "objectives",
    "purpose", "interpretation", "design", "search strategy", "statistical analysis",
})
BACK_MATTER = frozenset({
    "acknowledgements", "acknowledgments", "abbreviations", "funding", "author contributions",
    "authors' contributions", "competing interests", "conflicts of interest", "author details",
    "availability of data and materials", "ethics approval and consent to participate",
    "consent for publication", "supplementary materials", "keywords", "acknowledgement",
    "ethics and consent to participate",
})
REFERENCE_HEADINGS = frozenset({"references", "bibliography", "literature cited", "reference list"})
NUMBERED_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+([A-Z].*)$")
CAPTION = re.compile(r"^(?:Supplementary\s+)?(?:Figure|Fig\.?|Table|Scheme)\s*S?\d+[A-Za-z]?\b")
LEGEND_ENTRY = re.compile(r"(?:^|[.;]\s+)(?:[A-Z0-9][\w/-]*|[*$†‡§¶])\s*[:=]\s+\S")
REFERENCE_START = re.compile(r"^\[?(\d{1,4})[.\])]\s+(\S.*)$")
PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)
TERMINAL = re.compile(r"[.!?:](?:[\"'”’)\]]|\s*\[[\d,\s–-]+\])*$")
FOOTNOTE_RATIO = 0.82  # prose this much smaller than the body is a footnote, licence or note
HYPHENS = ("-", "\u2010", "\u2011")
WORD = re.compile(r"\b[A-Za-z]+(?:-[A-Za-z]+)?\b")


@dataclass(frozen=True)
class LayoutSettings:
    """Tolerances of the text layer, in page fractions or ems of the body font size."""

    margin_fraction: float = 0.09  # running heads live this close to the top/bottom edge
    repeat_fraction: float = 0.5  # ...and repeat on at least this share of the pages
    gutter_em: float = 0.9  # a gap this wide inside a row separates two columns
    column_fraction: float = 0.25  # lines this wide (of the page) prove a column exists
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


@dataclass(frozen=True)
class LineBox:
    """Where one line of a paragraph sits: its char offset in the paragraph and its box."""

    offset: int
    page: int
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph: text, section path, span in the layer's text, first-line box."""

    text: str
    page: int
    section: str
    char_start: int
    char_end: int
    x0: float = 0.0
    top: float = 0.0
    x1: float = 0.0
    bottom: float = 0.0
    lines: tuple[LineBox, ...] = ()

    def locate(self, offset: int) -> LineBox:
        """The box of the line holding ``offset`` (chars into this paragraph)."""
        found = LineBox(0, self.page, self.x0, self.top, self.x1, self.bottom)
        for box in self.lines:
            if box.offset > offset:
                break
            found = box
        return found


@dataclass(frozen=True)
class TextLayer:
    """A paper's prose: the joined text, its paragraphs, and the numbered bibliography."""

    text: str
    paragraphs: tuple[Paragraph, ...]
    references: dict[int, str] = field(default_factory=dict, hash=False)


@dataclass
class _Unit:
    """A paragraph-sized run of lines while the layer is assembled."""

    kind: str  # paragraph | heading | caption | legend
    lines: list[TextLine]
    level: int = 0
    starts_block: bool = False
    ends_block: bool = False


# Lines -------------------------------------------------------------------------------


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
            overlap = min(ref.bottom, word.bottom) - max(ref.top, word.top)
            if overlap >= 0.45 * min(ref.height, word.height):
                row.append(word)
                if word.size > ref.size:
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
    """(page, text) of running headers/footers: margin lines repeating across pages, page numbers."""
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


# Paragraphs --------------------------------------------------------------------------


def _heading_name(text: str) -> str:
    name = re.sub(r"^\d+(?:\.\d+)*\.?\s*", "", text).strip().rstrip(":").strip().lower()
    return name.replace("\u2019", "'")


def heading_level(text: str, size: float = 0.0, body_size: float = 0.0, bold: bool = False,
                  max_words: int = 12) -> int:
    """Heading depth of a standalone line (1.4.2. -> 3, named or large -> 1), else 0."""
    text = text.strip()
    words = text.split()
    if not words or len(words) > max_words or text.endswith((".", ",", ";")) or "\t" in text:
        return 0
    if CAPTION.match(text):
        return 0
    numbered = NUMBERED_HEADING.match(text)
    if numbered:
        return numbered.group(1).count(".") + 1
    name = _heading_name(text)
    if name in MAJOR_SECTIONS or name in MINOR_SECTIONS:
        return 1 if name in MAJOR_SECTIONS else 2
    larger = body_size > 0 and size >= body_size * 1.08
    if bold or larger:
        return 1 if larger else 2
    if body_size > 0 and abs(size - body_size) >= 0.5 and len(words) <= 8:
        return 2  # set apart by its size alone, like BMC's 9.2 pt subheadings
    short_title = len(words) <= 5 and all(w[:1].isupper() or len(w) <= 3 for w in words)
    return 2 if short_title and not text.endswith(":") else 0


def run_in_heading(line: TextLine) -> str:
    """Text of a heading that opens a paragraph ("Methods: We ...", a bold lead), or ""."""
    match = re.match(r"^([A-Z][A-Za-z' ]{2,60}):\s+\S", line.text)
    if match and match.group(1).lower() in MAJOR_SECTIONS | MINOR_SECTIONS:
        return match.group(1)
    lead = line.lead.rstrip(":. ")
    return lead if lead and not lead[0].isdigit() and len(lead.split()) <= 6 else ""


def is_hyphen_break(previous: str, following: str, known: AbstractSet[str] = frozenset()) -> bool:
    """Should a line-end hyphen be dropped? Only for a lowercase continuation of a plain word.

    The paper's own words decide first ("prevention" printed elsewhere: drop; "small-bowel"
    printed elsewhere: keep), then a list of prefixes that keep their hyphen ("trans-").
    """
    if not previous.endswith(HYPHENS) or not following[:1].islower():
        return False
    prefix = re.split(r"[^A-Za-z]", previous[:-1])[-1]
    suffix = re.split(r"[^A-Za-z]", following)[0]
    if not prefix:
        return False
    if f"{prefix}{suffix}".lower() in known:
        return True
    if f"{prefix}-{suffix}".lower() in known:
        return False
    return prefix.lower() not in KEEP_HYPHEN_PREFIXES


def join_lines(texts: Sequence[str], known: AbstractSet[str] = frozenset()) -> str:
    """Join wrapped lines into one string, re-joining words split by a line-end hyphen."""
    joined = ""
    for text in (t.strip() for t in texts):
        if not text:
            continue
        if not joined:
            joined = text
        elif is_hyphen_break(joined, text, known):
            joined = joined[:-1] + text
        elif joined.endswith(HYPHENS):
            joined += text
        else:
            joined += " " + text
    return joined


def _is_terminated(text: str) -> bool:
    return bool(TERMINAL.search(text.rstrip()))


def _line_pitch(lines: Sequence[TextLine]) -> float:
    pitches = [b.top - a.top for a, b in itertools.pairwise(lines)
               if a.block == b.block and 0 < b.top - a.top < 3 * a.size
               and abs(a.size - b.size) < 0.3]
    return median(pitches) if pitches else 12.0


def _starts_paragraph(previous: TextLine, line: TextLine, pitch: float, left: float,
                      right: float, settings: LayoutSettings) -> bool:
    """Does ``line`` open a new paragraph after ``previous`` (same block)?"""
    if abs(line.size - previous.size) >= 0.5:
        return True
    if line.top - previous.top > settings.paragraph_gap * pitch:
        return True
    indented = line.x0 - left >= settings.indent_em * line.size
    short = previous.x1 < right - 2 * line.size
    return _is_terminated(previous.text) and (indented or short)


def lines_to_units(lines: Sequence[TextLine], body_size: float,
                   settings: LayoutSettings | None = None) -> list[_Unit]:
    """Split lines into headings, captions, legends and paragraphs, block by block."""
    settings = settings or LayoutSettings()
    pitch = _line_pitch(lines)
    units: list[_Unit] = []
    blocks: dict[int, list[TextLine]] = {}
    for line in lines:
        blocks.setdefault(line.block, []).append(line)
    for block in blocks.values():
        left, right = min(ln.x0 for ln in block), max(ln.x1 for ln in block)

        def opens(previous: TextLine, line: TextLine) -> bool:
            return _starts_paragraph(previous, line, pitch, left, right, settings)  # noqa: B023

        start = len(units)
        for index, line in enumerate(block):
            previous = block[index - 1] if index else None
            following = block[index + 1] if index + 1 < len(block) else None
            level = heading_level(line.text, line.size, body_size, line.bold,
                                  settings.heading_words)
            after_heading = len(units) > start and units[-1].kind == "heading"
            short_after_end = (previous is not None and level > 0 and line.x1 < 0.9 * right
                               and _is_terminated(previous.text))
            if previous is not None and not (opens(previous, line) or after_heading
                                             or short_after_end):
                units[-1].lines.append(line)
                continue
            standalone = level > 0 and (following is None or opens(line, following)
                                        or not following.text[:1].islower())
            kind = "heading" if standalone else _kind_of(line.text)
            units.append(_Unit(kind, [line], level if standalone else 0))
        if len(units) > start:
            units[start].starts_block = True
            units[-1].ends_block = True
    return units


def _kind_of(text: str) -> str:
    """Caption ("Table 2. ..."), legend ("TAE: ...; TACE: ..."), or ordinary paragraph."""
    if CAPTION.match(text):
        return "caption"
    return "legend" if len(LEGEND_ENTRY.findall(text)) >= 2 else "paragraph"


def units_to_merged(units: list[_Unit]) -> list[_Unit]:
    """Re-join paragraphs split by a column or page break (across captions in between)."""
    merged: list[_Unit] = []
    open_paragraph: _Unit | None = None
    for unit in units:
        if unit.kind == "heading":
            open_paragraph = None
        continues = (unit.kind == "paragraph" and unit.starts_block and open_paragraph is not None
                     and _continues(open_paragraph.lines[-1].text, unit.lines[0].text))
        if continues and open_paragraph is not None:
            open_paragraph.lines.extend(unit.lines)
            open_paragraph.ends_block = unit.ends_block
            continue
        merged.append(unit)
        if unit.kind == "paragraph":
            open_paragraph = unit if unit.ends_block else None
    return merged


def _continues(ending: str, opening: str) -> bool:
    """Does ``opening`` carry on the sentence ``ending`` left open at a column or page end?"""
    if _is_terminated(ending):
        return False
    last = ending.rsplit(maxsplit=1)[-1] if ending.split() else ""
    return opening[:1].islower() or (last.isalpha() and last.islower()) or last.endswith(HYPHENS)


def _near_exclusion(unit: _Unit, exclude: Sequence[Region]) -> bool:
    first = unit.lines[0]
    return any(r[0] == first.page and 0 <= first.top - r[4] <= 3 * first.size
               and first.x0 < r[3] and first.x1 > r[1] for r in exclude)


def units_to_paragraphs(units: Sequence[_Unit], known: AbstractSet[str],
                        exclude: Sequence[Region] = (), body_size: float = 0.0
                        ) -> tuple[list[Paragraph], list[TextLine]]:
    """Body paragraphs with their section path; also the lines of the reference list."""
    path: list[tuple[int, str]] = []
    paragraphs: list[Paragraph] = []
    references: list[TextLine] = []
    offset = 0
    for unit in units:
        in_references = bool(references) or (
            bool(path) and _heading_name(path[-1][1]) in REFERENCE_HEADINGS)
        if in_references and (unit.kind != "heading" or REFERENCE_START.match(unit.lines[0].text)):
            references.extend(unit.lines)  # "5. Collin N, ..." looks like a numbered heading
            continue
        if unit.kind == "heading":
            path = _push_heading(path, unit.level, unit.lines[0].text)
            continue
        size = unit.lines[0].size
        small = bool(body_size) and size < body_size - 0.5
        legend = unit.kind == "legend" or (small and _near_exclusion(unit, exclude))
        footnote = bool(body_size) and size < FOOTNOTE_RATIO * body_size
        if unit.kind == "caption" or legend or footnote or unit.lines[0].text.startswith("©"):
            continue
        heading = run_in_heading(unit.lines[0])
        titles = [title for _, title in path] + ([heading] if heading else [])
        if {_heading_name(t) for t in titles} & BACK_MATTER:
            continue
        lines = [_without_lead(unit.lines[0], heading), *unit.lines[1:]]
        paragraph = lines_to_paragraph(lines, " > ".join(titles), offset, known)
        paragraphs.append(paragraph)
        offset = paragraph.char_end + 2
    return paragraphs, references


def _without_lead(line: TextLine, heading: str) -> TextLine:
    """The line with its run-in heading (and the colon after it) taken off the text."""
    if not heading or not line.text.startswith(heading):
        return line
    text = line.text[len(heading):].lstrip(":. ")
    return TextLine(text, line.page, line.x0, line.top, line.x1, line.bottom, line.size,
                    line.bold, line.block)


def _push_heading(path: list[tuple[int, str]], level: int, title: str) -> list[tuple[int, str]]:
    """Section path after a heading: numbered by its depth, others below the last numbered."""
    title = " ".join(title.split())
    if not NUMBERED_HEADING.match(title) and level > 1:
        numbered = [p for p in path if NUMBERED_HEADING.match(p[1])]
        level = numbered[-1][0] + 1 if numbered else level
    return [*(p for p in path if p[0] < level), (level, title)]


def lines_to_paragraph(lines: Sequence[TextLine], section: str, char_start: int,
                       known: AbstractSet[str] = frozenset()) -> Paragraph:
    """One paragraph from its lines: joined text, line boxes for locating sentences."""
    boxes: list[LineBox] = []
    text = ""
    for line in lines:
        before = len(text)
        text = join_lines([text, line.text], known) if text else line.text.strip()
        start = before + 1 if before and len(text) > before and text[before] == " " else before
        boxes.append(LineBox(min(start, len(text)), line.page, line.x0, line.top, line.x1,
                             line.bottom))
    first = lines[0]
    return Paragraph(text=text, page=first.page, section=section, char_start=char_start,
                     char_end=char_start + len(text), x0=first.x0, top=first.top, x1=first.x1,
                     bottom=first.bottom, lines=tuple(boxes))


# References ---------------------------------------------------------------------------


def lines_to_references(lines: Sequence[TextLine] | Sequence[str]) -> dict[int, str]:
    """Parse a numbered bibliography ("1. Dasari, A.; ..." or "[1] ...") into {number: text}."""
    entries: dict[int, list[str]] = {}
    current: int | None = None
    for line in lines:
        text = (line.text if isinstance(line, TextLine) else line).strip()
        if not text:
            continue
        if text.startswith("©") or text.lower().startswith(("submit your", "publisher")):
            break
        match = REFERENCE_START.match(text)
        number = int(match.group(1)) if match else None
        expected = (current or 0) + 1
        if number is not None and (current is None or expected <= number <= expected + 2):
            current = number
            entries[current] = [match.group(2)] if match else []
        elif current is not None:
            entries[current].append(text)
    return {n: _clean_reference(join_lines(parts)) for n, parts in entries.items()}


def _clean_reference(text: str) -> str:
    """Drop link badges ("[CrossRef]") and Markdown emphasis a text export may carry."""
    text = re.sub(r"\[\[?(CrossRef|PubMed|Google Scholar)\]?\(#?\)?\]?", "", text)
    text = re.sub(r"\*{1,2}", "", text)
    return " ".join(text.split())


# Layers -------------------------------------------------------------------------------


def known_words(texts: Iterable[str]) -> set[str]:
    """Words (hyphenated or not) the paper prints inside its lines, to judge line-end hyphens."""
    known: set[str] = set()
    for text in texts:
        inner = text.split()[1:-1]  # first and last words may be halves of a broken word
        known.update(w.lower() for w in WORD.findall(" ".join(inner)))
    return known


def paragraphs_to_layer(paragraphs: Sequence[Paragraph], references: dict[int, str]) -> TextLayer:
    """Assemble the layer; paragraph spans already index into the joined text."""
    text = "\n\n".join(p.text for p in paragraphs)
    return TextLayer(text=text, paragraphs=tuple(paragraphs), references=references)


def document_to_layer(document: Document, exclude: Sequence[Region] = (),
                      settings: LayoutSettings | None = None) -> TextLayer:
    """Given a read PDF and the table regions to skip, return its prose layer."""
    settings = settings or LayoutSettings()
    lines = document_to_lines(document, exclude, settings)
    sizes = Counter(round(ln.size, 1) for ln in lines for _ in ln.text)
    body_size = sizes.most_common(1)[0][0] if sizes else 10.0
    units = units_to_merged(lines_to_units(lines, body_size, settings))
    known = known_words(ln.text for ln in lines)
    paragraphs, reference_lines = units_to_paragraphs(units, known, exclude, body_size)
    return paragraphs_to_layer(paragraphs, lines_to_references(reference_lines))


def text_to_layer(text: str) -> TextLayer:
    """Plain text (paragraphs split on blank lines) -> a layer on page 1 with zero boxes.

    For tests and seed texts: a chunk that is one short line becomes a heading;
    captions, tab-separated tables, legends and back matter are skipped, and a
    "References" heading starts the bibliography, as in ``document_to_layer``.
    """
    units: list[_Unit] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        rows = [row.strip() for row in chunk.splitlines() if row.strip()]
        if not rows or "\t" in chunk:
            continue
        lines = [TextLine(row, 1, 0.0, 0.0, 0.0, 0.0, 0.0) for row in rows]
        level = heading_level(rows[0]) if len(rows) == 1 else 0
        kind = "heading" if level else _kind_of(rows[0])
        units.append(_Unit(kind, lines, level, starts_block=True, ends_block=True))
    units = units_to_merged(units)
    known = known_words(line.text for unit in units for line in unit.lines)
    paragraphs, reference_lines = units_to_paragraphs(units, known)
    return paragraphs_to_layer(paragraphs, lines_to_references(reference_lines))
