"""Page geometry, fonts, paragraph styles and the table/figure flowables of the sample paper.

The look imitates an MDPI article of 2019 (A4, one text column, justified serif body,
bold sans headings, booktabs tables with the caption above and the legend below) because
the point of the PDF is to be a *realistic* input for our extractors: rules drawn as real
PDF line segments, superscript marks as smaller raised glyphs, stacked lines inside one
table cell, tables wider than a comfortable text measure.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from .tables import TableSpec, plain

FONT_DIR = Path(__file__).resolve().parent / "fonts"

PAGE_W, PAGE_H = A4
MARGIN_X = 1.6 * cm
MARGIN_TOP = 2.4 * cm
MARGIN_BOTTOM = 2.4 * cm
TEXT_W = PAGE_W - 2 * MARGIN_X

SERIF, SERIF_B, SERIF_I = "DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSerif-Italic"
SANS, SANS_B, SANS_I = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"

#: Booktabs rule weights (pt): \toprule/\bottomrule, \midrule/\cmidrule.
HEAVY_RULE = 1.0
LIGHT_RULE = 0.5
CMIDRULE_TRIM = 3.0

TABLE_FONT_SIZE = 7.0
#: Header cells are bold and a touch smaller, so one-word headers ("Pancreas", "Response")
#: do not dictate the width of columns holding two-digit numbers.
TABLE_HEAD_SIZE = 6.5
CELL_PAD_X = 2.2


def register_fonts() -> None:
    """Register the bundled DejaVu fonts and their bold/italic families.

    The TTFs ship with the tool so the output does not depend on the fonts of the machine
    it runs on (which would break byte-identical re-runs elsewhere).
    """
    for name in (SERIF, SERIF_B, SERIF_I, SANS, SANS_B, SANS_I):
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / f"{name}.ttf")))
    pdfmetrics.registerFontFamily(
        SERIF, normal=SERIF, bold=SERIF_B, italic=SERIF_I, boldItalic=SERIF_B
    )
    pdfmetrics.registerFontFamily(SANS, normal=SANS, bold=SANS_B, italic=SANS_I, boldItalic=SANS_B)


def _style(name: str, **kw: object) -> ParagraphStyle:
    return ParagraphStyle(name, **kw)  # type: ignore[arg-type]


def make_styles() -> dict[str, ParagraphStyle]:
    """All paragraph styles, keyed by the role they play on the page."""
    body = _style(
        "body", fontName=SERIF, fontSize=10, leading=13, alignment=TA_JUSTIFY, spaceAfter=4
    )
    return {
        "body": body,
        "type": _style("type", fontName=SANS_I, fontSize=10, leading=12, spaceAfter=6),
        "title": _style("title", fontName=SANS_B, fontSize=17, leading=21, spaceAfter=10),
        "authors": _style("authors", fontName=SANS_B, fontSize=10, leading=13, spaceAfter=8),
        "affil": _style(
            "affil",
            fontName=SERIF,
            fontSize=8,
            leading=10,
            leftIndent=8,
            firstLineIndent=-8,
            spaceAfter=1,
        ),
        "dates": _style(
            "dates", fontName=SERIF, fontSize=8, leading=10, spaceBefore=4, spaceAfter=10
        ),
        "abstract": _style(
            "abstract", fontName=SERIF, fontSize=9, leading=11.5, alignment=TA_JUSTIFY, spaceAfter=5
        ),
        "keywords": _style(
            "keywords",
            fontName=SERIF,
            fontSize=9,
            leading=11.5,
            alignment=TA_JUSTIFY,
            spaceAfter=14,
        ),
        "h1": _style(
            "h1",
            fontName=SANS_B,
            fontSize=10,
            leading=13,
            spaceBefore=10,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "h2": _style(
            "h2",
            fontName=SANS_B,
            fontSize=10,
            leading=13,
            spaceBefore=8,
            spaceAfter=3,
            keepWithNext=1,
        ),
        "h3": _style(
            "h3",
            fontName=SANS_B,
            fontSize=9.5,
            leading=12.5,
            spaceBefore=6,
            spaceAfter=3,
            keepWithNext=1,
        ),
        "caption": _style(
            "caption",
            fontName=SERIF,
            fontSize=9,
            leading=11,
            alignment=TA_JUSTIFY,
            spaceBefore=4,
            spaceAfter=8,
        ),
        "table_caption": _style(
            "table_caption",
            fontName=SERIF,
            fontSize=9,
            leading=11,
            alignment=TA_JUSTIFY,
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "legend": _style(
            "legend",
            fontName=SERIF,
            fontSize=7.5,
            leading=9,
            alignment=TA_JUSTIFY,
            spaceBefore=3,
            spaceAfter=10,
        ),
        "cell": _style(
            "cell",
            fontName=SANS,
            fontSize=TABLE_FONT_SIZE,
            leading=TABLE_FONT_SIZE * 1.22,
            alignment=TA_CENTER,
        ),
        # Header words may break after an embedded hyphen ("Progression-/Free"), as in print.
        "head": _style(
            "head",
            fontName=SANS_B,
            fontSize=TABLE_HEAD_SIZE,
            leading=TABLE_HEAD_SIZE * 1.25,
            alignment=TA_CENTER,
            embeddedHyphenation=1,
            hyphenationMinWordLength=5,
        ),
        "cell_first": _style(
            "cell_first",
            fontName=SANS,
            fontSize=TABLE_FONT_SIZE,
            leading=TABLE_FONT_SIZE * 1.22,
            alignment=TA_LEFT,
        ),
        "head_first": _style(
            "head_first",
            fontName=SANS_B,
            fontSize=TABLE_HEAD_SIZE,
            leading=TABLE_HEAD_SIZE * 1.25,
            alignment=TA_LEFT,
        ),
        "back": _style(
            "back", fontName=SERIF, fontSize=9, leading=11.5, alignment=TA_JUSTIFY, spaceAfter=4
        ),
        "ref": _style(
            "ref",
            fontName=SERIF,
            fontSize=8.5,
            leading=10.5,
            alignment=TA_LEFT,
            leftIndent=18,
            bulletIndent=0,
            bulletFontName=SERIF,
            bulletFontSize=8.5,
            spaceAfter=1.5,
        ),
        "licence": _style("licence", fontName=SERIF, fontSize=7.5, leading=9, alignment=TA_JUSTIFY),
        "running": _style("running", fontName=SANS, fontSize=8, leading=10),
    }


def sup(mark: str, size: float) -> str:
    """A footnote/affiliation mark: 70% size, raised 40% of the base size, like TeX.

    A lone asterisk is raised less: its glyph already sits at cap height.
    """
    rise = size * (0.15 if mark == "*" else 0.4)
    return f'<super size="{size * 0.7:.2f}" rise="{rise:.2f}">{mark}</super>'


def resize_supers(markup: str, size: float) -> str:
    """Give every bare ``<super>`` in parser output the journal-like size/rise for ``size``."""
    return re.sub(r"<super>(.*?)</super>", lambda m: sup(m.group(1), size), markup)


class FigurePlaceholder(Flowable):
    """A light grey box standing in for a figure's bitmap (the seed has no images)."""

    def __init__(self, width: float, height: float) -> None:
        super().__init__()
        self.box_w = width
        self.box_h = height
        self.hAlign = "CENTER"

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.box_w, self.box_h

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setFillColor(colors.Color(0.9, 0.9, 0.9))
        c.setStrokeColor(colors.Color(0.75, 0.75, 0.75))
        c.setLineWidth(0.5)
        c.rect(0, 0, self.box_w, self.box_h, stroke=1, fill=1)
        c.setFillColor(colors.Color(0.45, 0.45, 0.45))
        c.setFont(SANS, 10)
        c.drawCentredString(self.box_w / 2, self.box_h / 2 - 3.5, "[image]")
        c.restoreState()


class BooktabsTable(Table):
    """A reportlab Table whose partial-width rules are trimmed like booktabs' \\cmidrule.

    Without the trim, the rules under two adjacent spanning headers ("Imaging Response",
    "Survival") would merge into one line and the column grouping would be lost, both to a
    reader and to a rule-based table extractor.  Full-width rules are drawn unchanged.
    The class survives page splits because reportlab rebuilds split parts with
    ``self.__class__``.
    """

    def _drawHLines(  # noqa: N802 (reportlab's name and signature)
        self,
        start: tuple[int, int],
        end: tuple[int, int],
        weight: float,
        color: object,
        count: int,
        space: float,
    ) -> None:
        sc, sr = start
        ec, er = end
        if count != 1 or (sc == 0 and ec >= self._ncols - 1):
            super()._drawHLines(start, end, weight, color, count, space)
            return
        x0 = self._colpositions[sc] + CMIDRULE_TRIM
        x1 = self._colpositions[ec + 1] - CMIDRULE_TRIM
        self._prepLine(weight, color)
        for y in self._rowpositions[sr : er + 1]:
            self.canv.line(x0, y, x1, y)


def cell_markup(text: str, size: float) -> str:
    """Table cell mini-markup -> paragraph markup (see ``tables.py``)."""
    esc = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    esc = re.sub(r"\{([^{}]+)\}", lambda m: sup(m.group(1), size), esc)
    return esc.replace("\n", "<br/>")


def _text_width(text: str, font: str, size: float = TABLE_FONT_SIZE) -> float:
    return float(stringWidth(plain(text), font, size))


def _estimated_lines(widths_needed: list[float], width: float, pad: float) -> int:
    """Lines a cell takes at ``width``: each stacked line wraps ceil(text/room) times."""
    room = width - pad
    return sum(max(1, math.ceil(n / room - 1e-9)) for n in widths_needed)


def column_widths(spec: TableSpec, avail: float = TEXT_W) -> list[float]:
    """Size the columns from their content so the table is as short as possible.

    Every column first gets its longest unbreakable word (header words may break after a
    hyphen).  Then, greedily, spare width goes where it saves the most estimated height
    per point (rows' line counts, plus a little for every wrapped line, so that a row
    needing two columns widened still makes progress); leftover width is spread in
    proportion.  Sizing from content keeps header words whole and short values on one line,
    so that a two-line cell in the PDF is (almost always) a deliberately stacked one.
    """
    pad = 2 * CELL_PAD_X + 0.3
    width = [0.0] * spec.n_cols
    for text, c0, c1, _r0, _r1 in spec.header:
        if c0 != c1:
            continue
        for word in plain(text).split():
            for part in re.findall(r"[^-]+-?", word) or [word]:
                width[c0] = max(width[c0], _text_width(part, SANS_B, TABLE_HEAD_SIZE) + pad)
    # cells[r][c]: text width of each stacked line of the cell
    cells = [
        [[_text_width(line, SANS) for line in cell.split("\n")] for cell in row]
        for row in spec.rows
    ]
    for row in spec.rows:
        for c, cell in enumerate(row):
            for word in cell.split():
                width[c] = max(width[c], _text_width(word, SANS) + pad)

    def cost(ws: list[float]) -> float:
        lines = [
            [_estimated_lines(cell, w, pad) for cell, w in zip(row, ws, strict=True)]
            for row in cells
        ]
        return sum(max(r) + 0.1 * sum(r) for r in lines)

    spare = avail - sum(width)
    if spare < 0:
        raise ValueError(f"{spec.label} cannot fit in {avail:.0f} pt")
    current = cost(width)
    while True:
        best: tuple[float, int, float, float] | None = None  # (saving/pt, col, width, cost)
        for c in range(spec.n_cols):
            targets = {
                n / k + pad
                for row in cells
                for n in row[c]
                for k in range(1, math.ceil(n / (width[c] - pad)) + 1)
            }
            for target in sorted(t for t in targets if width[c] < t <= width[c] + spare):
                trial = [target if i == c else w for i, w in enumerate(width)]
                new = cost(trial)
                rate = (current - new) / (target - width[c])
                if new < current and (best is None or rate > best[0]):
                    best = (rate, c, target, new)
        if best is None:
            break
        _rate, c, target, current = best
        spare -= target - width[c]
        width[c] = target
    total = sum(width)
    return [w + spare * w / total for w in width]


def build_table(spec: TableSpec, styles: dict[str, ParagraphStyle]) -> BooktabsTable:
    """Typeset one table in booktabs style: heavy top/bottom rules, a light rule under the
    header, trimmed light rules under spanning parents, no vertical rules, header rows
    repeated if the table continues on the next page."""
    size = TABLE_FONT_SIZE
    nh = spec.n_header_rows
    data: list[list[object]] = [["" for _ in range(spec.n_cols)] for _ in range(nh)]
    for text, c0, _c1, r0, _r1 in spec.header:
        style = styles["head_first" if c0 == 0 else "head"]
        data[r0][c0] = Paragraph(cell_markup(text, TABLE_HEAD_SIZE), style)
    for row in spec.rows:
        data.append(
            [
                Paragraph(cell_markup(cell, size), styles["cell_first" if c == 0 else "cell"])
                if cell
                else ""
                for c, cell in enumerate(row)
            ]
        )
    widths = column_widths(spec)
    last = len(data) - 1
    cmds: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), 1.6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2),
        ("TOPPADDING", (0, nh), (-1, nh), 3.5),
        ("LINEABOVE", (0, 0), (-1, 0), HEAVY_RULE, colors.black),
        ("LINEBELOW", (0, nh - 1), (-1, nh - 1), LIGHT_RULE, colors.black),
        ("LINEBELOW", (0, last), (-1, last), HEAVY_RULE, colors.black),
    ]
    for _text, c0, c1, r0, r1 in spec.header:
        if (c0, r0) != (c1, r1):
            cmds.append(("SPAN", (c0, r0), (c1, r1)))
        if c1 > c0 and r1 < nh - 1:
            cmds.append(("LINEBELOW", (c0, r1), (c1, r1), LIGHT_RULE, colors.black))
    table = BooktabsTable(data, colWidths=widths, repeatRows=nh, hAlign="CENTER")
    table.setStyle(TableStyle(cmds))
    return table
