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
from functools import cache
from statistics import median

from litcurate.extractors.knowledge import load_data_file
from litcurate.extractors.pdf.document import Document
from litcurate.extractors.text.reading_order import (
    LayoutSettings,
    Region,
    TextLine,
    document_to_lines,
)

NUMBERED_HEADING = re.compile(  # "1. Methods", "1.4.2. Results", "1.4 Results"; not "52 Studies"
    r"^(\d{1,2}(?:\.\d{1,2}){0,4}\.|\d{1,2}(?:\.\d{1,2}){1,4})\s+([A-Z].*)$")
CAPTION = re.compile(r"^(?:Supplementary\s+)?(?:Figure|Fig\.?|Table|Scheme)\s*S?\d+[A-Za-z]?\b")
LEGEND_ENTRY = re.compile(r"(?:^|[.;]\s+)(?:[A-Z0-9][\w/-]*|[*$†‡§¶])\s*[:=]\s+\S")
REFERENCE_START = re.compile(r"^\[?(\d{1,4})[.\])]\s+(\S.*)$")
TERMINAL = re.compile(r"[.!?:](?:[\"'”’)\]]|\s*\[[\d,\s–-]+\])*$")
TITLE_RATIO = 1.3  # page-1 headings this much larger than the body: masthead and title
FOOTNOTE_RATIO = 0.82  # prose this much smaller than the body is a footnote, licence or note
HYPHENS = ("-", "\u2010", "\u2011")
WORD = re.compile(r"\b[A-Za-z]+(?:-[A-Za-z]+)?\b")


@dataclass(frozen=True)
class SectionNames:
    """Heading names and hyphen prefixes the layer reads structure with (sections.yaml)."""

    major: frozenset[str]  # unnumbered names that open a top-level section
    minor: frozenset[str]  # unnumbered names that sit under the current numbered section
    back_matter: frozenset[str]
    references: frozenset[str]
    keep_hyphen_prefixes: frozenset[str]

    @property
    def known(self) -> frozenset[str]:
        """Every major or minor name: a line reading like one is a heading."""
        return self.major | self.minor


@cache
def section_names() -> SectionNames:
    """The section vocabulary, parsed once."""
    data = load_data_file("sections.yaml")
    return SectionNames(*(frozenset(str(n) for n in data[key]) for key in (
        "major", "minor", "back_matter", "references", "keep_hyphen_prefixes")))


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
    # Where each entry starts: page, x0, top, x1, bottom of its first line.
    reference_boxes: dict[int, tuple[int, float, float, float, float]] = field(
        default_factory=dict, hash=False)


@dataclass
class _Unit:
    """A paragraph-sized run of lines while the layer is assembled."""

    kind: str  # paragraph | heading | caption | legend
    lines: list[TextLine]
    level: int = 0


# Paragraphs --------------------------------------------------------------------------


def _heading_name(text: str) -> str:
    """A heading's bare name ("2. Conclusions:" -> "conclusions"), to compare with known names."""
    name = re.sub(r"^\d+(?:\.\d+)*\.?\s*", "", text).strip().rstrip(":").strip().lower()
    return name.replace("\u2019", "'")


def heading_level(text: str, size: float = 0.0, body_size: float = 0.0, bold: bool = False,
                  max_words: int = 12) -> int:
    """Heading depth of a standalone line (1.4.2. -> 3, named or large -> 1), else 0."""
    text = text.strip()
    words = text.split()
    if not words or len(words) > max_words or text.endswith((".", ",", ";")) or "\t" in text:
        return 0
    letters = sum(c.isalpha() for c in text)
    if CAPTION.match(text) or letters < 3 or letters < 0.5 * len(text.replace(" ", "")):
        return 0  # captions, figure axis labels and numbers are never headings
    numbered = NUMBERED_HEADING.match(text)
    if numbered:
        return numbered.group(1).rstrip(".").count(".") + 1
    name = _heading_name(text)
    names = section_names()
    if name in names.major or name in names.minor:
        return 1 if name in names.major else 2
    larger = body_size > 0 and size >= body_size * 1.08
    if bold or larger:
        return 1 if larger else 2
    distinct = body_size > 0 and abs(size - body_size) >= 0.5 and size >= 0.85 * body_size
    if distinct and len(words) <= 8 and text[:1].isupper():
        return 2  # set apart by its size alone, like BMC's 9.2 pt subheadings
    short_title = len(words) <= 5 and all(w[:1].isupper() or len(w) <= 3 for w in words)
    return 2 if short_title and not text.endswith(":") else 0


def run_in_heading(line: TextLine) -> str:
    """Text of a heading that opens a paragraph ("Methods: We ...", a bold lead), or ""."""
    match = re.match(r"^([A-Z][A-Za-z' ]{2,60}):\s+\S", line.text)
    if match and match.group(1).lower() in section_names().known:
        return match.group(1)
    lead = line.lead.rstrip(":. ")
    rest = line.text[len(line.lead):].lstrip(":. ")
    closed = line.lead.rstrip().endswith((":", ".")) or rest[:1].isupper()
    return lead if lead and closed and len(lead.split()) <= 6 else ""


def is_hyphen_break(previous: str, following: str, known: AbstractSet[str] = frozenset()) -> bool:
    """Should a line-end hyphen be dropped? Only for a lowercase continuation of a plain word.

    The paper's own words decide first ("prevention" printed elsewhere: drop; "long-term"
    printed elsewhere: keep), then sections.yaml's prefixes that keep their hyphen ("non-").
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
    return prefix.lower() not in section_names().keep_hyphen_prefixes


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
    """Does the text end a sentence (full stop, colon, ... possibly before a citation)?"""
    return bool(TERMINAL.search(text.rstrip()))


def _line_pitch(lines: Sequence[TextLine]) -> float:
    """The usual baseline-to-baseline distance, against which extra space means a break."""
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

        def opens(previous: TextLine, line: TextLine, left: float = left,
                  right: float = right) -> bool:
            return _starts_paragraph(previous, line, pitch, left, right, settings)

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
            if standalone and after_heading and _same_heading(units[-1].lines[-1], line):
                units[-1].lines.append(line)  # a title wrapped over two lines
                continue
            kind = "heading" if standalone else _kind_of(line.text)
            units.append(_Unit(kind, [line], level if standalone else 0))
    return units


def _same_heading(previous: TextLine, line: TextLine) -> bool:
    """Is ``line`` the second line of the heading ``previous`` (same style, not numbered)?"""
    return (abs(previous.size - line.size) < 0.3 and previous.bold == line.bold
            and not NUMBERED_HEADING.match(line.text)
            and _heading_name(line.text) not in section_names().known)


def _kind_of(text: str) -> str:
    """Caption ("Table 2. ..."), legend ("OR: odds ratio; CI: ..."), or ordinary paragraph."""
    if CAPTION.match(text):
        return "caption"
    return "legend" if len(LEGEND_ENTRY.findall(text)) >= 2 else "paragraph"


def units_to_merged(units: list[_Unit], body_size: float = 0.0) -> list[_Unit]:
    """Re-join paragraphs split by a column or page break (captions and footnotes between)."""
    merged: list[_Unit] = []
    open_paragraph: _Unit | None = None
    block, body_seen = -1, False
    for unit in units:
        if unit.lines[0].block != block:
            block, body_seen = unit.lines[0].block, False
        if not _is_prose(unit, body_size):
            merged.append(unit)
            continue
        continues = (not body_seen and unit.kind == "paragraph" and open_paragraph is not None
                     and open_paragraph.lines[-1].block != block
                     and _continues(open_paragraph.lines[-1].text, unit.lines[0].text))
        body_seen = True
        if continues and open_paragraph is not None:
            open_paragraph.lines.extend(unit.lines)
            continue
        merged.append(unit)
        open_paragraph = unit if unit.kind == "paragraph" else None
    return merged


def _is_prose(unit: _Unit, body_size: float) -> bool:
    """Headings and body paragraphs; not captions, legends, footnotes, licences, bold blocks."""
    if unit.kind in ("caption", "legend"):
        return False
    if unit.kind == "heading":
        return True
    first = unit.lines[0]
    footnote = bool(body_size) and first.size < FOOTNOTE_RATIO * body_size
    bold = all(ln.bold for ln in unit.lines)  # author lists, boxed titles
    return not (footnote or bold or first.text.startswith("©"))


def _continues(ending: str, opening: str) -> bool:
    """Does ``opening`` carry on the sentence ``ending`` left open at a column or page end?"""
    if _is_terminated(ending):
        return False
    last = ending.rsplit(maxsplit=1)[-1] if ending.split() else ""
    return opening[:1].islower() or (last.isalpha() and last.islower()) or last.endswith(HYPHENS)


def _near_exclusion(unit: _Unit, exclude: Sequence[Region]) -> bool:
    """Does the unit start just below an excluded table, where its legend is printed?"""
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
            bool(path) and _heading_name(path[-1][1]) in section_names().references)
        if in_references and (unit.kind != "heading" or REFERENCE_START.match(unit.lines[0].text)):
            references.extend(unit.lines)  # "5. Collin N, ..." looks like a numbered heading
            continue
        if unit.kind == "heading":
            first = unit.lines[0]
            if not (first.page == 1 and body_size and first.size >= TITLE_RATIO * body_size):
                path = _push_heading(path, unit.level, " ".join(ln.text for ln in unit.lines))
            continue
        small = bool(body_size) and unit.lines[0].size < body_size - 0.5
        if not _is_prose(unit, body_size) or (small and _near_exclusion(unit, exclude)):
            continue
        heading = run_in_heading(unit.lines[0])
        titles = [title for _, title in path] + ([heading] if heading else [])
        if {_heading_name(t) for t in titles} & section_names().back_matter:
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
    if not NUMBERED_HEADING.match(title) and level > 1:  # "Techniques" under "1.3. Methods"
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
    """Parse a numbered bibliography ("1. Dasari, A.; ..." or "[1] ...") into {number: text}.

    A line opens entry n+1; it may skip one or two numbers only when it is not indented
    past the line that opened entry n, so a wrapped "16. Available online" (a volume)
    stays in entry 14.
    """
    entries: dict[int, list[str]] = {}
    current: int | None = None
    entry_x0 = 0.0
    for line in lines:
        text, x0 = (line.text, line.x0) if isinstance(line, TextLine) else (line, 0.0)
        text = text.strip()
        if not text:
            continue
        if text.startswith("©") or text.lower().startswith(("submit your", "publisher")):
            break
        match = REFERENCE_START.match(text)
        number = int(match.group(1)) if match else None
        expected = (current or 0) + 1
        skips = number is not None and expected < number <= expected + 2 and x0 <= entry_x0 + 1
        if match and number is not None and (current is None or number == expected or skips):
            current, entry_x0 = number, x0
            entries[current] = [match.group(2)]
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


def paragraphs_to_layer(paragraphs: Sequence[Paragraph], references: dict[int, str],
                        reference_boxes: dict[int, tuple[int, float, float, float, float]]
                        | None = None) -> TextLayer:
    """Assemble the layer; paragraph spans already index into the joined text."""
    text = "\n\n".join(p.text for p in paragraphs)
    return TextLayer(text=text, paragraphs=tuple(paragraphs), references=references,
                     reference_boxes=reference_boxes or {})


def reference_boxes(lines: Sequence[TextLine],
                    numbers: Iterable[int]) -> dict[int, tuple[int, float, float, float, float]]:
    """The first line of each numbered entry: where a reader finds it on the page."""
    wanted = set(numbers)
    boxes: dict[int, tuple[int, float, float, float, float]] = {}
    for line in lines:
        match = REFERENCE_START.match(line.text.strip())
        if match and int(match.group(1)) in wanted and int(match.group(1)) not in boxes:
            boxes[int(match.group(1))] = (line.page, line.x0, line.top, line.x1, line.bottom)
    return boxes


def document_to_layer(document: Document, exclude: Sequence[Region] = (),
                      settings: LayoutSettings | None = None) -> TextLayer:
    """Given a read PDF and the table regions to skip, return its prose layer."""
    settings = settings or LayoutSettings()
    lines = document_to_lines(document, exclude, settings)
    sizes = Counter(round(ln.size, 1) for ln in lines for _ in ln.text)
    body_size = sizes.most_common(1)[0][0] if sizes else 10.0
    units = units_to_merged(lines_to_units(lines, body_size, settings), body_size)
    known = known_words(ln.text for ln in lines)
    paragraphs, reference_lines = units_to_paragraphs(units, known, exclude, body_size)
    references = lines_to_references(reference_lines)
    return paragraphs_to_layer(paragraphs, references,
                               reference_boxes(reference_lines, references))


def text_to_layer(text: str) -> TextLayer:
    """Plain text (paragraphs split on blank lines) -> a layer on page 1 with zero boxes.

    For tests and seed texts: a chunk that is one short line becomes a heading;
    captions, tab-separated tables, legends and back matter are skipped, and a
    "References" heading starts the bibliography, as in ``document_to_layer``.
    """
    units: list[_Unit] = []
    for block, chunk in enumerate(re.split(r"\n\s*\n", text.strip()), start=1):
        rows = [row.strip() for row in chunk.splitlines() if row.strip()]
        if not rows or "\t" in chunk:
            continue
        lines = [TextLine(row, 1, 0.0, 0.0, 0.0, 0.0, 0.0, block=block) for row in rows]
        level = heading_level(rows[0]) if len(rows) == 1 else 0
        kind = "heading" if level else _kind_of(rows[0])
        units.append(_Unit(kind, lines, level))
    units = units_to_merged(units)
    known = known_words(line.text for unit in units for line in unit.lines)
    paragraphs, reference_lines = units_to_paragraphs(units, known)
    return paragraphs_to_layer(paragraphs, lines_to_references(reference_lines))
