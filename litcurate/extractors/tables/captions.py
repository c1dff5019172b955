"""Table captions: the label's printed forms and the caption's lines.

A caption opens with its label word and number ("Table 2:", "TABLE II.", "TABLE 2 |",
small caps "Tᴀʙʟᴇ 1" or a capital T over smaller capitals, a bold run-in "Table 2
Baseline ..."). The label word is a language word and comes from sections.yaml
(``table_labels``). Prose can wrap so a line starts "Table 1. The first...", so a
caption must also be told by its type (bold, smaller than the body, a label alone on
its line) or by a rule drawn right under or right over it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from litcurate.extractors.geometry import intersects
from litcurate.extractors.knowledge import load_data_file
from litcurate.extractors.pdf.document import Page, Rule
from litcurate.extractors.pdf.word_segments import Line, words_to_layout_lines
from litcurate.extractors.tables.settings import DEFAULT_SETTINGS, TableSettings

NUMBER = r"(?:\d{1,3}[A-Za-z]?|[IVXL]{1,6})"  # "2", "3a", "IV"
# What may follow the number: a stop, a colon, a pipe or a dash, or a word boundary
# (a run-in title: "Table 2 Baseline ...").
SEPARATORS = frozenset({".", ":", "|", "\u2013", "\u2014"})
# Small-capital letters some journals set a label in ("Tᴀʙʟᴇ"), read as capitals.
SMALL_CAPITALS = str.maketrans({
    "\u1d00": "A", "\u0299": "B", "\u1d04": "C", "\u1d05": "D", "\u1d07": "E",
    "\ua730": "F", "\u0262": "G", "\u029c": "H", "\u026a": "I", "\u1d0a": "J",
    "\u1d0b": "K", "\u029f": "L", "\u1d0d": "M", "\u0274": "N", "\u1d0f": "O",
    "\u1d18": "P", "\u0280": "R", "\ua731": "S", "\u1d1b": "T", "\u1d1c": "U",
    "\u1d20": "V", "\u1d21": "W", "\u028f": "Y", "\u1d22": "Z",
})


def fold_small_capitals(text: str) -> str:
    """Small-capital letters as the capitals they stand for: "Tᴀʙʟᴇ 2" -> "TABLE 2"."""
    return text.translate(SMALL_CAPITALS)


@cache
def label_words() -> tuple[str, ...]:
    """The caption label words as printed: title case and capitals ("Table", "TABLE")."""
    words = load_data_file("sections.yaml")["table_labels"]
    return tuple(form for word in words for form in (str(word).capitalize(), str(word).upper()))


@cache
def caption_pattern() -> re.Pattern[str]:
    """A caption's first line: label word, number, then a separator or a run-in title."""
    word = "|".join(re.escape(w) for w in label_words())
    dashes = "\u2013\u2014"
    return re.compile(
        rf"^(?P<word>{word})\s*(?P<number>{NUMBER})(?P<rest>(?:[.:|{dashes}]|\b).*)$")


@cache
def label_only_pattern() -> re.Pattern[str]:
    """A label in capitals alone on its line ("TABLE III"), a title set under it."""
    word = "|".join(re.escape(w) for w in label_words() if w.isupper())
    return re.compile(rf"^(?:{word})\s*{NUMBER}\.?$")


CONTINUED_PATTERN = re.compile(
    r"\b(cont(?:inued)?\.?|\(continued\)|continued on next page)", re.IGNORECASE)

@dataclass(frozen=True)
class Caption:
    """A table caption: normalised label ("Table 1"), text, and its lines."""

    label: str
    text: str
    continued: bool
    lines: tuple[Line, ...]

    @property
    def bottom(self) -> float:
        return max(line.bottom for line in self.lines)

    @property
    def top(self) -> float:
        return min(line.top for line in self.lines)

    @property
    def x0(self) -> float:
        return min(line.x0 for line in self.lines)

    @property
    def x1(self) -> float:
        return max(line.x1 for line in self.lines)


def _first_word_is_bold(line: Line) -> bool:
    return line.words[0].bold


def _run_from(line: Line, start: int, gutter: float | None = None,
              settings: TableSettings = DEFAULT_SETTINGS) -> Line:
    """The segments of ``line`` from ``start`` on that read as one column's text.

    On a two-column page a layout line holds both columns; a wide gap, or a gap
    across the gutter wider than a word space, ends the run.
    """
    run = [line.segments[start]]
    for segment in line.segments[start + 1:]:
        gap = segment.x0 - run[-1].x1
        across = gutter is not None and run[-1].x1 <= gutter <= segment.x0
        if gap > settings.caption_phrase_gap_em * segment.size or (
                across and gap > settings.caption_gutter_gap_em * segment.size):
            break
        run.append(segment)
    return Line(tuple(run))


def _caption_continuation(line: Line, first: Line, previous: Line, *, centred: bool = False,
                          settings: TableSettings = DEFAULT_SETTINGS) -> Line | bool | None:
    """The part of ``line`` that continues a caption: one phrase aligned under it
    (or centred under it, after a label set alone on its line).

    Returns False when nothing of ``line`` lies under the caption (the other column's
    text), None when the caption has ended.
    """
    tolerance = settings.caption_align_tolerance
    inside = [s for s in line.segments
              if intersects(s.x0, s.x1, first.x0 - tolerance, first.x1 + tolerance)]
    if not inside:
        return False
    middle = (first.x0 + first.x1) / 2
    aligned = len(inside) == 1 and (
        abs(inside[0].x0 - first.x0) < tolerance
        or (centred and abs((inside[0].x0 + inside[0].x1) / 2 - middle)
            < settings.caption_centre_tolerance))
    if not aligned:
        return None
    # The next line down, with at most caption leading; a tall glyph (a math italic
    # "n") may stretch the line above over it, so only its top must clear the one above.
    leading = settings.caption_leading_em * previous.size
    below = inside[0].top - previous.top >= settings.caption_line_drop_em * previous.size
    if not below or inside[0].top - previous.bottom >= leading:
        return None
    if abs(inside[0].size - first.size) >= settings.caption_size_tolerance:
        return None
    return Line((inside[0],))


def _ruled_off(line: Line, lines: Sequence[Line], index: int, page: Page,
               settings: TableSettings = DEFAULT_SETTINGS) -> bool:
    """Is a horizontal rule drawn right under ``line`` or right over it, with no other
    text between? Prose ending "... in\nTable 2." two lines over a table's caption is
    not itself a caption; a caption set under its table sits right under its last rule."""
    reach = settings.caption_rule_distance_em * line.size

    def overlaps(other: Line) -> bool:
        return any(intersects(sg.x0, sg.x1, line.x0, line.x1) for sg in other.segments)

    below = [ln.top for ln in lines[index + 1:] if ln.top > line.bottom - 0.5 and overlaps(ln)]
    above = [ln.bottom for ln in lines[:index] if ln.bottom < line.top + 0.5 and overlaps(ln)]
    next_text, last_text = min(below, default=page.height), max(above, default=0.0)
    for rule in page.rules:
        if not rule.is_horizontal or not intersects(rule.x0, rule.x1, line.x0, line.x1):
            continue
        if 0 <= rule.top - line.bottom <= reach and rule.top < next_text:
            return True
        if 0 <= line.top - rule.bottom <= reach and rule.bottom > last_text:
            return True
    return False


def _opens_caption(text: str) -> bool:
    return fold_small_capitals(text).startswith(label_words())


def find_captions(lines: Sequence[Line], page: Page, two_column: bool = False,
                  settings: TableSettings = DEFAULT_SETTINGS) -> list[Caption]:
    """Phrases that open a table caption, with the caption's continuation lines."""
    captions: list[Caption] = []
    gutter = page.width / 2 if two_column else None
    for index, full_line in enumerate(lines):
        for start, segment in enumerate(full_line.segments):
            if not _opens_caption(segment.text):
                continue
            # Justified captions spread their words: match on the column's whole run.
            line = _run_from(full_line, start, gutter, settings)
            match = caption_pattern().match(fold_small_capitals(line.text))
            if not match:
                continue
            punctuated = match.group("rest").lstrip()[:1] in SEPARATORS
            smaller = line.size < page.body_size - settings.small_type_margin
            # A label alone on its line ("TABLE III" over a centred title) is a caption
            # in any type; prose never breaks a line right after "Table 3".
            label_only = label_only_pattern().match(fold_small_capitals(line.text)) is not None
            # Prose can wrap so a line starts "Table 1. The first...": only type and rules
            # tell a caption apart.
            if not (label_only or _first_word_is_bold(line) or smaller
                    or (punctuated and _ruled_off(line, lines, index, page, settings))):
                continue
            caption_lines = [line]
            for following in lines[index + 1 : index + 1 + settings.caption_max_lines]:
                part = _caption_continuation(following, line, caption_lines[-1],
                                             centred=label_only, settings=settings)
                if part is None:
                    break
                if isinstance(part, Line):
                    caption_lines.append(part)
            text = fold_small_capitals(" ".join(cl.text for cl in caption_lines))
            captions.append(Caption(label=f"Table {match.group('number')}", text=text,
                                    continued=bool(CONTINUED_PATTERN.search(text[:40])),
                                    lines=tuple(caption_lines)))
    return sorted(captions, key=lambda c: (c.top, c.x0))


def _lines_within(page: Page, x0: float, x1: float, snap: float) -> list[Line]:
    """The page's lines cut to the words whose middle lies in ``x0``..``x1``."""
    return words_to_layout_lines(w for w in page.words if x0 - snap <= w.x_mid <= x1 + snap)


def _rule_under_table(caption: Caption, rules: Sequence[Rule], lines: Sequence[Line],
                      settings: TableSettings = DEFAULT_SETTINGS) -> Rule | None:
    """The rule right over the caption, with no text between: a table's closing rule."""
    reach = settings.caption_rule_distance_em * caption.lines[0].size
    over = [r for r in rules if r.is_horizontal and 0 <= caption.top - r.top <= reach
            and intersects(r.x0, r.x1, caption.x0, caption.x1)]
    if not over:
        return None
    rule = max(over, key=lambda r: r.top)
    between = any(rule.top < ln.top and ln.bottom < caption.top + 0.5
                  and intersects(ln.x0, ln.x1, rule.x0, rule.x1) for ln in lines)
    return None if between else rule


def _opens_table_under(caption: Caption, rules: Sequence[Rule], lines: Sequence[Line],
                       body_size: float, settings: TableSettings = DEFAULT_SETTINGS) -> bool:
    """Does a table start right under the caption: a rule, or a row of phrases in table type?"""
    size = caption.lines[0].size
    reach = settings.caption_rule_distance_em * size
    following = [ln for ln in lines if ln.top > caption.bottom - 0.5
                 and intersects(ln.x0, ln.x1, caption.x0, caption.x1)]
    next_text = min((ln.top for ln in following), default=caption.bottom + reach)
    if any(r.is_horizontal and 0 <= r.top - caption.bottom <= reach and r.top <= next_text
           and intersects(r.x0, r.x1, caption.x0, caption.x1) for r in rules):
        return True
    near = [ln for ln in following if ln.top - caption.bottom < settings.run_gap_em * size]
    # A spanning header may open the table in one phrase: look a few lines down.
    return any(len(ln.segments) >= 2 and ln.size < body_size - settings.body_size_tolerance
               for ln in near[:settings.caption_under_lines])


def _rows_above(caption: Caption, lines: Sequence[Line], ceiling: float, body_size: float,
                settings: TableSettings = DEFAULT_SETTINGS) -> list[Line]:
    """The run of table-type lines right over the caption, bottom up: smaller than the
    body, each within a run gap of the one under it, up to prose or ``ceiling``."""
    run: list[Line] = []
    edge = caption.top
    for line in sorted((ln for ln in lines if ceiling < ln.top and ln.bottom < caption.top + 0.5),
                       key=lambda ln: -ln.bottom):
        if edge - line.bottom > settings.run_gap_em * line.size:
            break
        if line.size >= body_size - settings.body_size_tolerance:
            break
        run.append(line)
        edge = line.top
    return run


def table_above(page: Page, caption: Caption, rules: Sequence[Rule], ceiling: float,
                column: tuple[float, float],
                settings: TableSettings = DEFAULT_SETTINGS) -> tuple[float, float, float] | None:
    """A table set above its caption: its (x0, top, x1), or None.

    No table opens under the caption. A ruled table's closing rule sits right over the
    caption with no text between; its rules run up from there, as wide as it, while the
    stretch between two rules holds no line of prose (one phrase in body type over most
    of the width), and never past ``ceiling`` (the caption before). A rule-less table is
    the run of rows in table type right over the caption, most of them in several phrases.
    """
    lines = _lines_within(page, caption.x0, caption.x1, settings.snap_tolerance)
    if _opens_table_under(caption, rules, lines, page.body_size, settings):
        return None
    closing = _rule_under_table(caption, rules, lines, settings)
    if closing is None:
        run = _rows_above(caption, _lines_within(page, *column, settings.snap_tolerance),
                          ceiling, page.body_size, settings)
        if len(run) < settings.caption_under_lines or 2 * sum(
                len(ln.segments) >= 2 for ln in run) < len(run):
            return None
        return min(ln.x0 for ln in run) - 1, run[-1].top - 0.5, max(ln.x1 for ln in run) + 1
    width = closing.x1 - closing.x0
    tolerance = settings.rule_width_tolerance * width + settings.rule_snap_tolerance
    lines = _lines_within(page, closing.x0, closing.x1, settings.snap_tolerance)
    top = closing
    for rule in sorted((r for r in rules if ceiling < r.top < closing.top and r.is_horizontal
                        and abs(r.x0 - closing.x0) <= tolerance
                        and abs(r.x1 - closing.x1) <= tolerance),
                       key=lambda r: -r.top):
        between = [ln for ln in lines if rule.top < ln.top and ln.bottom < top.top]
        if any(len(ln.segments) == 1 and ln.size >= page.body_size - settings.body_size_tolerance
               and ln.x1 - ln.x0 > settings.prose_width_share * width for ln in between):
            break
        top = rule
    if top is closing:
        return None
    return closing.x0, top.top - 0.5, closing.x1


def table_beside(page: Page, caption: Caption, rules: Sequence[Rule],
                 settings: TableSettings = DEFAULT_SETTINGS) -> tuple[float, float, float] | None:
    """A ruled table set beside its caption (a side caption in a margin column): its
    (x0, top, x1), or None.

    No rule runs under the caption itself; a rule starts a little to its right (or ends
    a little to its left) level with the caption's first line, and nothing in the
    caption's own column follows the caption before that table's last rule (else the
    rule is the next column's, on a two-column page).
    """
    size = caption.lines[0].size
    reach = settings.caption_rule_distance_em * size
    gap = settings.caption_side_gap_em * size
    horizontal = [r for r in rules if r.is_horizontal]
    if any(intersects(r.x0, r.x1, caption.x0, caption.x1) and 0 <= r.top - caption.bottom <= reach
           for r in horizontal):
        return None
    side = [r for r in horizontal if abs(r.top - caption.top) <= reach
            and (0 <= r.x0 - caption.x1 <= gap or 0 <= caption.x0 - r.x1 <= gap)]
    if not side:
        return None
    first = min(side, key=lambda r: r.top)
    snap = settings.rule_snap_tolerance
    last = max(r.top for r in horizontal if abs(r.x0 - first.x0) <= snap
               and abs(r.x1 - first.x1) <= snap)
    own = _lines_within(page, caption.x0, caption.x1, settings.snap_tolerance)
    if last <= caption.bottom or any(caption.bottom + 0.5 < ln.top < last for ln in own):
        return None
    return first.x0, first.top - 0.5, first.x1
