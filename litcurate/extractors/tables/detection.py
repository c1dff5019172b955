"""Find tables on a page: caption, region, rules and legend.

A table is anchored on its caption ("Table 1.", "Table 2:", "TABLE I",
"Table 1. Cont."), which journals mostly print above it. The region below the caption
is bounded by the table's horizontal rules when it has them (ruled and booktabs
layouts) or by the run of small-type lines otherwise; the legend is the block of
small type right under the region. A caption set under its table (``captions``) bounds
the region from below instead, and one beside it
(a side caption) gives the level its rules start at.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from litcurate.extractors.geometry import Box, intersects
from litcurate.extractors.marks import SUPERSCRIPT_RATIO, symbol_class
from litcurate.extractors.pdf.document import Page, Rule
from litcurate.extractors.pdf.word_segments import (
    Line,
    page_to_layout_lines,
    words_to_layout_lines,
)
from litcurate.extractors.tables.captions import (
    CONTINUED_PATTERN,
    Caption,
    caption_pattern,
    find_captions,
    table_above,
    table_beside,
)
from litcurate.extractors.tables.settings import DEFAULT_SETTINGS, TableSettings
from litcurate.extractors.text.layer import join_lines, known_words

# How a legend opens: a note mark, "BMI: ...", "RR = ...", "Values are ...", "Abbreviations".
LEGEND_OPENING = re.compile(
    rf"^(?:{symbol_class()}|[a-z]\s|[A-Z][A-Za-z0-9+\-]{{0,12}}\s?[:=]\s|Values |Data are |"
    r"Abbreviations|Notes?[:.]\s)")


@dataclass(frozen=True)
class TableRegion:
    """Where one table sits on one page, and the rules found inside it."""

    page: int
    caption: Caption
    x0: float
    top: float
    x1: float
    bottom: float
    rules: tuple[Rule, ...]
    legend: tuple[Line, ...]
    captionless: bool = False  # the rest of a table from the page before, under no caption

    @property
    def legend_text(self) -> str:
        """The legend as one string, words broken at a line-end hyphen re-joined."""
        texts = [line.text for line in self.legend]
        return join_lines(texts, known_words(texts))


def merge_rules(rules: Sequence[Rule], settings: TableSettings = DEFAULT_SETTINGS) -> list[Rule]:
    """Join horizontal rule pieces that share a y and touch, as journals draw one per column."""
    horizontal = sorted((r for r in rules if r.is_horizontal), key=lambda r: r.top)
    # Rules on one y (within ``rule_same_y`` of the first), then joined along x where
    # they touch: two tables' rules side by side, a hair apart in y, stay two rules.
    bands: list[list[Rule]] = []
    for rule in horizontal:
        if bands and rule.top - bands[-1][0].top < settings.rule_same_y:
            bands[-1].append(rule)
        else:
            bands.append([rule])
    merged: list[Rule] = []
    for band in bands:
        joined: list[Rule] = []
        for rule in sorted(band, key=lambda r: r.x0):
            last = joined[-1] if joined else None
            if last is not None and rule.x0 - last.x1 <= settings.rule_merge_gap:
                joined[-1] = Rule(last.x0, min(last.top, rule.top), max(last.x1, rule.x1),
                                  max(last.bottom, rule.bottom))
            else:
                joined.append(rule)
        merged.extend(joined)
    return sorted(merged, key=lambda r: (round(r.top), r.x0))


def is_two_column(page: Page, lines: Sequence[Line],
                  settings: TableSettings = DEFAULT_SETTINGS) -> bool:
    """Does the page's prose run in two columns? Judged by its long body-size phrases."""
    middle = page.width / 2
    crossing = halves = 0
    for line in lines:
        for segment in line.segments:
            if (segment.size < page.body_size - settings.small_type_margin
                    or segment.x1 - segment.x0 < settings.long_phrase_share * page.width):
                continue
            margin = settings.gutter_margin
            if segment.x0 < middle - margin and segment.x1 > middle + margin:
                crossing += 1
            else:
                halves += 1
    return halves > crossing


def _horizontal_extent(caption: Caption, page: Page, rules: Sequence[Rule],
                       two_column: bool, settings: TableSettings = DEFAULT_SETTINGS
                       ) -> tuple[float, float]:
    """The table's x-range: its rules when drawn, else the caption's column."""
    reach = caption.bottom + settings.caption_rule_reach_em * max(caption.lines[0].size, 6.0)
    near = [r for r in rules if caption.bottom - 1 <= r.top < reach
            and intersects(r.x0, r.x1, caption.x0, caption.x1)]
    if near:
        # A centred caption sits over a wider table: the rules give its true width.
        left = min(caption.x0, *(r.x0 for r in near)) - settings.snap_tolerance
        return left, max(r.x1 for r in near)
    middle = page.width / 2
    half = settings.half_column_margin
    if two_column and caption.x1 < middle + half and caption.x0 < middle:
        return caption.x0 - settings.snap_tolerance, middle
    if two_column and caption.x0 > middle - half:
        return caption.x0 - settings.snap_tolerance, page.width
    return 0.0, page.width


def _small_lines_run(lines: Sequence[Line], start: float, limit: float, x0: float, x1: float,
                     body_size: float, settings: TableSettings = DEFAULT_SETTINGS) -> list[Line]:
    """Contiguous lines below ``start`` set smaller than body text: a rule-less table."""
    run: list[Line] = []
    for line in lines:
        if line.top < start or line.top >= limit or line.x1 < x0 or line.x0 > x1:
            continue
        if run and line.top - run[-1].bottom > settings.run_gap_em * run[-1].size:
            break
        wide = line.x1 - line.x0 > settings.run_wide_share * (
            max(ln.x1 for ln in run) - min(ln.x0 for ln in run) if run else 0.0)
        body_type = line.size >= body_size - settings.body_size_tolerance
        if body_type and len(line.segments) == 1 and run and wide:
            break
        run.append(line)
    return run


def find_table_regions(page: Page, settings: TableSettings = DEFAULT_SETTINGS) -> list[TableRegion]:
    """Given a page, return each captioned table's region, rules and legend."""
    page_lines = page_to_layout_lines(page)
    two_column = is_two_column(page, page_lines, settings)
    captions = find_captions(page_lines, page, two_column, settings)
    rules = merge_rules(page.rules, settings)
    regions: list[TableRegion] = []
    for index, caption in enumerate(captions):
        extent = _horizontal_extent(caption, page, rules, two_column, settings)
        # The next caption below in the same column ends this table's search area.
        later = [c.top for c in captions[index + 1:]
                 if c.top > caption.bottom and intersects(c.x0, c.x1, *extent)]
        limit = min(later, default=page.height)
        column = _column_of(caption, page, two_column, extent, settings)
        earlier = [c.bottom for c in captions[:index]
                   if c.bottom < caption.top and intersects(c.x0, c.x1, *extent)]
        beside = table_beside(page, caption, rules, settings)
        above = None if beside else table_above(page, caption, rules, max(earlier, default=0.0),
                                                column, settings)
        placed = beside if beside is not None else above
        if placed is not None:
            # A caption beside or under its table: the region is where the table sits,
            # down to the next caption or up to this one.
            x0, top, x1 = placed
            end = limit if beside is not None else caption.top - 0.5
            region = _region_below(page, caption, top, (x0, x1), end, rules,
                                   column=column, settings=settings)
            if region is not None and beside is None and not region.legend:
                region = _with_legend_under_caption(page, region, limit, column, settings)
        else:
            region = _region_below(page, caption, caption.bottom, extent, limit, rules,
                                   column=column, settings=settings)
        if region is not None:
            regions.append(region)
    return regions


def _with_legend_under_caption(page: Page, region: TableRegion, limit: float,
                               column: tuple[float, float],
                               settings: TableSettings = DEFAULT_SETTINGS) -> TableRegion:
    """A table captioned under it may print its legend under the caption: notes in the
    caption's small type (or opening a note) right below it, before the prose."""
    caption = region.caption
    box = (region.x0, caption.top, region.x1, caption.bottom)
    legend = _legend_under(page, box, limit, column, settings)
    return replace(region, legend=tuple(legend)) if legend else region


def _column_of(caption: Caption, page: Page, two_column: bool, extent: tuple[float, float],
               settings: TableSettings = DEFAULT_SETTINGS) -> tuple[float, float]:
    """The text column a table sits in: the page, or one half of a two-column page."""
    middle = page.width / 2
    margin = settings.gutter_margin
    left, right = min(caption.x0, extent[0]), max(caption.x1, extent[1])
    if not two_column or (left < middle - margin and right > middle + margin):
        return 0.0, page.width
    return (0.0, middle) if caption.x1 <= middle + margin else (middle, page.width)


def _region_below(page: Page, caption: Caption, start: float, extent: tuple[float, float],
                  limit: float, rules: Sequence[Rule], *, captionless: bool = False,
                  column: tuple[float, float] | None = None,
                  settings: TableSettings = DEFAULT_SETTINGS) -> TableRegion | None:
    """The table body that starts at ``start`` within ``extent``: by its rules if drawn,
    else by the run of table-type lines; with the legend under it."""
    # On a two-column page a layout line runs across both columns: judge the
    # table's stretch only by the words in its own x-range.
    snap, rule_snap = settings.snap_tolerance, settings.rule_snap_tolerance
    lines = words_to_layout_lines(
        w for w in page.words if extent[0] - snap <= w.x_mid <= extent[1] + snap)
    below = [r for r in rules if start - 1 <= r.top < limit and r.x0 >= extent[0] - rule_snap
             and r.x1 <= extent[1] + rule_snap]
    full = _full_width_rules(below, settings)
    if len(full) >= 2 or (full and _text_between(lines, start, full[0].top)):
        x0 = min(r.x0 for r in full)
        x1 = max(r.x1 for r in full)
        verticals = [r for r in page.rules if r.is_vertical and x0 - snap <= r.x0 <= x1 + snap]
        bottom_rule = _bottom_rule(full, lines, page.body_size, verticals, settings)
        top = start
        bottom = bottom_rule.top
        if captionless and full[0].top - start > settings.captionless_rule_gap:
            bottom = max(bottom, full[0].top)
        inside = tuple(r for r in below if r.top <= bottom + 0.5)
        # A table that runs on to the next page has no closing rule on this one:
        # rows right under the last rule belong to it, up to its legend or the page end.
        rest = _small_lines_run(lines, bottom + 0.5, limit, x0, x1, page.body_size, settings)
        rest = table_type_lines(rest, _type_size(lines, full[0].top, bottom), page.body_size,
                                settings)
        if rest and len(rest[0].segments) >= 2 and (
                rest[0].top - bottom < settings.run_on_rows_em * rest[0].size):
            cut = _legend_start(rest, settings)
            rest = rest[:cut] if cut is not None else rest
            foot = page.height - settings.run_on_foot_share * page.height
            rest = [ln for ln in rest if ln.bottom < foot]
            if rest:
                bottom = rest[-1].bottom + 0.5
    else:
        run = _small_lines_run(lines, start + 0.5, limit, *extent, page.body_size, settings)
        if not run:
            return None
        x0 = min(line.x0 for line in run) - 1
        x1 = max(line.x1 for line in run) + 1
        top, bottom = start, run[-1].bottom + 0.5
        inside = ()
        legend_start = _legend_start(run, settings)
        if legend_start is not None:
            bottom = run[legend_start - 1].bottom + 0.5
    # A legend may be set wider than its table: read it over the whole text column.
    legend = _legend_under(page, (x0, top, x1, bottom), limit, column or extent, settings)
    return TableRegion(page.number, caption, x0, top, x1, bottom, inside, tuple(legend),
                       captionless)


def _type_size(lines: Sequence[Line], top: float, bottom: float) -> float:
    """The commonest word size of the lines between ``top`` and ``bottom``: the table's type."""
    sizes = sorted(w.size for ln in lines if top < ln.top and ln.bottom <= bottom
                   for w in ln.words)
    return sizes[len(sizes) // 2] if sizes else 0.0


def reads_as_prose(line: Line, body_size: float, settings: TableSettings = DEFAULT_SETTINGS
                   ) -> bool:
    """A line of body type in two or more phrases, each a long run of words: the text of
    prose columns side by side, not a table row (whose cells are short phrases). A single
    long phrase may be a row's one cell; the run's own width check judges it."""
    return (len(line.segments) >= 2 and line.size >= body_size - settings.body_size_tolerance
            and all(s.x1 - s.x0 >= settings.prose_run_em * s.size for s in line.segments))


def table_type_lines(run: Sequence[Line], table_size: float, body_size: float,
                     settings: TableSettings = DEFAULT_SETTINGS) -> list[Line]:
    """The lines of ``run`` that may still be rows of a table set in ``table_size``: up to
    the first line in body type or larger, set larger than the table (a heading, the
    prose), or reading as prose."""
    kept: list[Line] = []
    tolerance = settings.body_size_tolerance
    for line in run:
        larger = (table_size > 0 and line.size > table_size + tolerance
                  and line.size >= body_size - tolerance)
        if larger or reads_as_prose(line, body_size, settings):
            break
        kept.append(line)
    return kept


def _legend_under(page: Page, box: Box, limit: float, column: tuple[float, float],
                  settings: TableSettings = DEFAULT_SETTINGS) -> list[Line]:
    """The legend under a table's box, read over the text column it sits in."""
    x0, top, x1, bottom = box
    sizes = sorted(w.size for w in page.words
                   if top < w.top and w.bottom <= bottom and x0 <= w.x0 and w.x1 <= x1)
    table_size = sizes[len(sizes) // 2] if sizes else page.body_size
    snap = settings.snap_tolerance
    legend_lines = words_to_layout_lines(
        w for w in page.words if column[0] - snap <= w.x_mid <= column[1] + snap)
    # Legends are set no larger than the table; prose, when it is larger, ends them.
    allowance, tolerance = settings.legend_size_allowance, settings.body_size_tolerance
    cap = table_size + allowance if page.body_size <= table_size + tolerance else min(
        page.body_size - tolerance, table_size + allowance)
    return _legend(legend_lines, bottom, limit, x0, x1, cap,
                   _prose_size_after(legend_lines, bottom, limit, table_size, page.body_size,
                                     settings), settings)


def _prose_size_after(lines: Sequence[Line], bottom: float, limit: float, table_size: float,
                      body_size: float, settings: TableSettings = DEFAULT_SETTINGS) -> float:
    """The prose size a legend is told apart from.

    On a paper whose long table cells outweigh its prose the measured body size is the
    tables' own; then the first line set larger than the table, further down, is the
    prose that follows it.
    """
    tolerance = settings.body_size_tolerance
    if body_size > table_size + tolerance:
        return body_size
    larger = [ln for ln in lines if bottom < ln.top < limit and ln.size > table_size + tolerance]
    return max(body_size, min(larger, key=lambda ln: ln.top).size) if larger else body_size


def _in_margin(line: Line, page: Page, settings: TableSettings = DEFAULT_SETTINGS) -> bool:
    margin = settings.footer_margin
    return line.bottom < margin * page.height or line.top > (1 - margin) * page.height


def ends_page(page: Page, region: TableRegion, settings: TableSettings = DEFAULT_SETTINGS) -> bool:
    """Nothing but running footers or a "continued" note follows the table on its page."""
    bottom = max([region.bottom] + [ln.bottom for ln in region.legend])
    snap = settings.snap_tolerance
    lines = words_to_layout_lines(
        w for w in page.words
        if region.x0 - snap <= w.x_mid <= region.x1 + snap and w.top > bottom)
    return all(_in_margin(ln, page, settings) or CONTINUED_PATTERN.search(ln.text)
               for ln in lines)


def find_continuation(page: Page, previous: TableRegion, regions: Sequence[TableRegion],
                      settings: TableSettings = DEFAULT_SETTINGS) -> TableRegion | None:
    """The caption-less rest of ``previous``'s table at the top of ``page``, if any.

    The page must open, below its running head, with table rows in the same x-range
    as the table on the page before (a repeated header counts), before any prose or
    another table's caption.
    """
    extent = (previous.x0, previous.x1)
    first_caption = min((r.caption.top for r in regions if not r.captionless),
                        default=page.height)
    snap = settings.snap_tolerance
    lines = [ln for ln in words_to_layout_lines(
        w for w in page.words if extent[0] - snap <= w.x_mid <= extent[1] + snap)
        if not _in_margin(ln, page, settings) and ln.top < first_caption]
    lines = [ln for ln in lines if not CONTINUED_PATTERN.fullmatch(ln.text.strip(" ()"))]
    if not lines or len(lines[0].segments) < 2:
        return None
    if caption_pattern().match(lines[0].text):
        return None
    start = lines[0].top - 0.5
    rules = merge_rules(page.rules, settings)
    reach = settings.continuation_rule_em * lines[0].size
    above = [r for r in rules if start - reach < r.top < start
             and intersects(r.x0, r.x1, *extent)]
    if above:
        start = min(r.top for r in above) - 0.5
    page_lines = page_to_layout_lines(page)
    middle, margin = page.width / 2, settings.gutter_margin
    if not is_two_column(page, page_lines, settings) or (
            extent[0] < middle - margin < middle + margin < extent[1]):
        column = (0.0, page.width)
    else:
        column = (0.0, middle) if extent[1] <= middle + margin else (middle, page.width)
    return _region_below(page, previous.caption, start, extent, first_caption, rules,
                         captionless=True, column=column, settings=settings)


def _full_width_rules(rules: Sequence[Rule], settings: TableSettings = DEFAULT_SETTINGS
                      ) -> list[Rule]:
    if not rules:
        return []
    widest = max(r.x1 - r.x0 for r in rules)
    return [r for r in rules if r.x1 - r.x0 >= settings.full_width_share * widest]


def _text_between(lines: Sequence[Line], top: float, bottom: float) -> bool:
    return any(top < line.top and line.bottom < bottom for line in lines)


def _bottom_rule(full: Sequence[Rule], lines: Sequence[Line], body_size: float,
                 verticals: Sequence[Rule] = (), settings: TableSettings = DEFAULT_SETTINGS
                 ) -> Rule:
    """The last full rule closing table rows: past it come legends, prose, page footers.

    Between two rules of one table lie rows with several cells; a stretch holding
    only single-phrase lines (legend, paragraphs, a footer) means the table ended,
    unless the grid's vertical rules run through it (a ruled row with one filled cell).
    """
    bottom = full[0]
    tolerance = settings.rule_width_tolerance
    for index, rule in enumerate(full[1:]):
        walled = sum(1 for v in verticals
                     if v.top <= bottom.top + 1 and v.bottom >= rule.top - 1) >= 2
        same_width = abs((rule.x1 - rule.x0) - (full[0].x1 - full[0].x0)) <= tolerance * (
            full[0].x1 - full[0].x0)
        if walled and same_width:
            bottom = rule
            continue
        if not same_width:
            break
        between = [ln for ln in lines if bottom.top < ln.top and ln.bottom < rule.top]
        width = rule.x1 - rule.x0
        prose = [ln for ln in between
                 if ln.size >= body_size - settings.body_size_tolerance
                 and (ln.x1 - ln.x0) > settings.prose_width_share * width]
        # The first stretch may be a header whose wrapped cells never share a line.
        single_phrase = bool(between) and not any(len(ln.segments) > 1 for ln in between)
        if len(prose) >= 2 or (index > 0 and single_phrase):
            break
        bottom = rule
    return bottom


def _is_justified_prose(line: Line, width: float, settings: TableSettings = DEFAULT_SETTINGS
                        ) -> bool:
    """A full-width line whose phrases are split only by stretched word spaces."""
    if line.x1 - line.x0 < settings.full_width_share * width:
        return False
    gaps = [b.x0 - a.x1 for a, b in zip(line.segments, line.segments[1:], strict=False)]
    return all(gap <= settings.justified_gap_em * line.size for gap in gaps)


def _legend_start(run: Sequence[Line], settings: TableSettings = DEFAULT_SETTINGS) -> int | None:
    """In a rule-less run, the first line that reads like a legend (abbreviation list).

    A legend paragraph is one phrase per line, except a justified line whose word
    spaces were stretched into gaps; those count as prose too.
    """
    width = max(line.x1 for line in run) - min(line.x0 for line in run)
    for index, line in enumerate(run[1:], start=1):
        single = len(line.segments) == 1
        wide = (line.x1 - line.x0) > settings.legend_width_share * width
        if single and (wide or LEGEND_OPENING.match(line.text)):
            while index > 1 and _is_justified_prose(run[index - 1], width, settings):
                index -= 1
            return index
    return None


def _opens_note(line: Line) -> bool:
    """Does the line start a legend entry: a note mark, "BMI: ...", "Values are ..."?"""
    first = line.words[0]
    raised = first.size < SUPERSCRIPT_RATIO * line.size and len(first.text) <= 2
    return raised or LEGEND_OPENING.match(line.text) is not None


def _legend(lines: Sequence[Line], bottom: float, limit: float, x0: float, x1: float,
            max_size: float, body_size: float = 0.0, settings: TableSettings = DEFAULT_SETTINGS
            ) -> list[Line]:
    """Lines in the table's small type right below it: abbreviations and footnotes.

    A legend opens with a note (or is set smaller than the prose); it runs on while
    lines follow with paragraph leading or open another note. Prose in the same type
    after a paragraph gap is not part of it.
    """
    legend: list[Line] = []
    previous_bottom = bottom
    for line in sorted(lines, key=lambda ln: ln.top):
        if line.top < bottom - 0.5 or line.top >= limit:
            continue
        if line.x1 < x0 - settings.snap_tolerance or line.x0 > x1 + settings.snap_tolerance:
            continue
        height = max(line.bottom - line.top, 1.0)
        gap = line.top - previous_bottom
        small = body_size > 0 and line.size < body_size - settings.body_size_tolerance
        if not legend:
            # The first line may sit further down and, if it opens a note, be set as
            # large as the prose.
            opens = _opens_note(line)
            if gap > settings.legend_first_gap_lines * height + settings.legend_gap_slack or not (
                    small or opens):
                break
            largest = max(max_size, body_size + settings.body_size_tolerance)
            if line.size > (largest if opens else max_size):
                break
        else:
            if (gap > settings.legend_gap_lines * height + settings.legend_gap_slack
                    or abs(line.size - legend[-1].size) > settings.legend_size_tolerance):
                break
            if not (small or gap <= settings.legend_leading_share * height or _opens_note(line)):
                break
        legend.append(line)
        previous_bottom = line.bottom
    return legend
