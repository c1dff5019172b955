"""Typeset the sample review article (Dermine et al. 2019) as a realistic journal PDF.

Why this exists: the table and text extractors need a realistic, redistributable input.
The article is CC BY 4.0, but rather than committing the publisher's PDF we re-typeset the
article's text (tools/sample_paper/dermine2019_review.txt) in an MDPI-like layout, and we
write the ground truth of its tables
(tests/fixtures/tables/reportlab/dermine2019_review.expected.json) from the very
data structures the PDF is drawn from, so the two can never disagree.

The output is a committed test input; re-run this only on purpose:

    .venv/bin/python tools/typeset_sample_paper.py \
        [--out data/raw/dermine2019_review.pdf] \
        [--truth tests/fixtures/tables/reportlab/dermine2019_review.expected.json]

The build is deterministic (reportlab invariant mode, fixed dates and metadata, bundled
fonts), so an unchanged generator reproduces the committed PDF byte for byte.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from reportlab import rl_config

rl_config.invariant = 1  # before any canvas exists: no timestamps / random IDs in the file

from reportlab.lib import colors  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.units import cm  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402
from reportlab.platypus import (  # noqa: E402
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sample_paper import layout, seed, tables  # noqa: E402
from sample_paper.layout import resize_supers  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "tools" / "sample_paper" / "dermine2019_review.txt"
DEFAULT_OUT = REPO / "data" / "raw" / "dermine2019_review.pdf"
DEFAULT_TRUTH = (REPO / "tests" / "fixtures" / "tables" / "reportlab"
                 / "dermine2019_review.expected.json")
# Where the layout engine puts each table; the golden tests check the extractor agrees.
TRUTH_PAGES = {"Table 1": (7,), "Table 2": (8,), "Table 3": (11,)}
TRUTH_LAYOUTS = ("booktabs", "single-column", "spanning", "multi-level-header", "wrapped-header",
                 "stacked-values", "wrapped-cells", "marks", "empty-vs-dash")

JOURNAL = "Journal of Clinical Medicine"
CITATION = "<i>J. Clin. Med.</i> <b>2019</b>, <i>8</i>, 1907"
DOI = "doi:10.3390/jcm8111907"
JOURNAL_URL = "www.mdpi.com/journal/jcm"
PDF_AUTHOR = "Dermine S, et al."
#: The article's publication date, used as the PDF's creation/modification date.
PDF_DATE = "D:20191107000000+00'00'"

FIRST_PAGE_FOOT = 4.3 * cm  # room kept under the first page's frame for the licence block


class Page:
    """Page decorations (running header, footer rule, first-page licence block).

    ``total`` is the page count from a first layout pass, for the "2 of N" header.
    """

    def __init__(self, styles: dict[str, ParagraphStyle], licence: str, total: int) -> None:
        self.styles = styles
        self.licence = licence
        self.total = total

    def _para(
        self, canv: Canvas, markup: str, style: ParagraphStyle, *, x: float, y: float
    ) -> float:
        """Draw a text-width paragraph with its top at ``y``; return its height."""
        para = Paragraph(markup, style)
        _w, h = para.wrap(layout.TEXT_W, 1000)
        para.drawOn(canv, x, y - h)
        return float(h)

    def _footer_rule(self, canv: Canvas, y: float) -> None:
        canv.setStrokeColor(colors.Color(0.55, 0.55, 0.55))
        canv.setLineWidth(0.4)
        canv.line(layout.MARGIN_X, y, layout.PAGE_W - layout.MARGIN_X, y)

    def first(self, canv: Canvas, _doc: BaseDocTemplate) -> None:
        """First page: journal name, citation/DOI line, and the licence as a footnote."""
        canv.saveState()
        canv.setDateFormatter(lambda *_args: PDF_DATE)
        top = layout.PAGE_H - 1.3 * cm
        canv.setFont(layout.SANS_B, 15)
        canv.drawString(layout.MARGIN_X, top - 15, JOURNAL)
        style = self.styles["running"]
        y = top - 24
        self._para(canv, f"{CITATION}; {DOI}", style, x=layout.MARGIN_X, y=y)
        right = ParagraphStyle("right", parent=style, alignment=2)
        self._para(canv, JOURNAL_URL, right, x=layout.MARGIN_X, y=y)
        # Licence block, set off by a short footnote rule, then the page's footer rule.
        lic_top = FIRST_PAGE_FOOT - 0.35 * cm
        canv.setStrokeColor(colors.black)
        canv.setLineWidth(0.4)
        canv.line(layout.MARGIN_X, lic_top, layout.MARGIN_X + 4 * cm, lic_top)
        self._para(canv, self.licence, self.styles["licence"], x=layout.MARGIN_X, y=lic_top - 4)
        self._footer_rule(canv, 1.5 * cm)
        canv.restoreState()

    def later(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        """Other pages: citation at left, "k of N" at right, footer rule."""
        canv.saveState()
        style = self.styles["running"]
        y = layout.PAGE_H - 1.35 * cm
        self._para(canv, CITATION, style, x=layout.MARGIN_X, y=y)
        right = ParagraphStyle("right", parent=style, alignment=2)
        self._para(canv, f"{doc.page} of {self.total}", right, x=layout.MARGIN_X, y=y)
        self._footer_rule(canv, 1.5 * cm)
        canv.restoreState()


def front_matter(art: seed.Article, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Article type, title, authors with raised affiliation marks, affiliations,
    correspondence, history dates, abstract and keywords."""
    out: list[Flowable] = [
        Paragraph(art.article_type, st["type"]),
        Paragraph(art.title, st["title"]),
        Paragraph(resize_supers(art.authors, 10), st["authors"]),
    ]
    out += [Paragraph(resize_supers(a, 8), st["affil"]) for a in art.affiliations]
    out.append(Paragraph(resize_supers(art.correspondence, 8), st["affil"]))
    out.append(Paragraph(art.dates, st["dates"]))
    out.append(Paragraph(resize_supers(art.abstract, 9), st["abstract"]))
    out.append(Paragraph(art.keywords, st["keywords"]))
    return out


def table_block(
    spec: tables.TableSpec, art: seed.Article, st: dict[str, ParagraphStyle]
) -> list[Flowable]:
    """Caption above, booktabs table, legend below (legend omitted if the table has none).

    The caption and legend are checked against the seed so the transcribed table data and
    the article text cannot drift apart silently.
    """
    caption = next(b.text for b in art.body if b.kind == "table" and b.label == spec.label)
    if caption != seed.escape(spec.caption):
        raise SystemExit(f"{spec.label}: caption differs from the seed: {caption!r}")
    if art.table_legends.get(spec.label, "") != tables.seed_legend(spec):
        raise SystemExit(f"{spec.label}: legend differs from the seed")
    problems = tables.seed_mismatches(spec, art.table_lines[spec.label])
    if problems:
        raise SystemExit("transcription differs from the seed:\n  " + "\n  ".join(problems))
    out: list[Flowable] = [
        Paragraph(f"<b>{spec.label}.</b> {caption}", st["table_caption"]),
        layout.build_table(spec, st),
    ]
    if spec.footnotes:
        size = float(st["legend"].fontSize)
        notes = " ".join(layout.cell_markup(n, size) for n in spec.footnotes)
        out.append(Paragraph(notes, st["legend"]))
    else:
        out.append(Spacer(1, 10))
    return out


def story(art: seed.Article, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    """The whole article as flowables, in the seed's order."""
    by_label = {t.label: t for t in tables.TABLES}
    out = front_matter(art, st)
    for block in art.body:
        if block.kind == "heading":
            out.append(Paragraph(block.text, st[f"h{block.level}"]))
            if block.text == "References":
                out += [
                    Paragraph(resize_supers(text, 8.5), st["ref"], bulletText=f"{num}.")
                    for num, text in art.references
                ]
        elif block.kind == "para":
            out.append(Paragraph(resize_supers(block.text, 10), st["body"]))
        elif block.kind == "figure":
            out.append(
                KeepTogether(
                    [
                        layout.FigurePlaceholder(0.78 * layout.TEXT_W, 6 * cm),
                        Paragraph(
                            f"<b>{block.label}.</b> {resize_supers(block.text, 9)}", st["caption"]
                        ),
                    ]
                )
            )
        elif block.kind == "table":
            out += table_block(by_label[block.label], art, st)
        elif block.kind == "backmatter":
            out.append(Paragraph(block.text, st["back"]))
    return out


def build_pdf(art: seed.Article, target: Path | io.BytesIO, total: int) -> int:
    """Lay out the article once; return the number of pages produced."""
    st = layout.make_styles()
    page = Page(st, resize_supers(art.licence, 7.5), total)
    doc = BaseDocTemplate(
        target if isinstance(target, io.BytesIO) else str(target),
        pagesize=(layout.PAGE_W, layout.PAGE_H),
        leftMargin=layout.MARGIN_X,
        rightMargin=layout.MARGIN_X,
        topMargin=layout.MARGIN_TOP,
        bottomMargin=layout.MARGIN_BOTTOM,
        title=seed_plain(art.title),
        author=PDF_AUTHOR,
        subject=f"J. Clin. Med. 2019, 8, 1907; {DOI}",
        keywords=art.keyword_list,
        creator="litcurate tools/typeset_sample_paper.py (re-typeset for testing)",
        invariant=1,
    )
    first_top = layout.PAGE_H - 3.0 * cm
    first = Frame(
        layout.MARGIN_X,
        FIRST_PAGE_FOOT,
        layout.TEXT_W,
        first_top - FIRST_PAGE_FOOT,
        id="first",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    body_h = layout.PAGE_H - layout.MARGIN_TOP - layout.MARGIN_BOTTOM
    later = Frame(
        layout.MARGIN_X,
        layout.MARGIN_BOTTOM,
        layout.TEXT_W,
        body_h,
        id="later",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates(
        [
            PageTemplate(
                id="First", frames=[first], onPage=page.first, autoNextPageTemplate="Later"
            ),
            PageTemplate(id="Later", frames=[later], onPage=_dated(page.later)),
        ]
    )
    doc.build(story(art, st))
    return int(doc.page)


def _dated(
    draw: Callable[[Canvas, BaseDocTemplate], None],
) -> Callable[[Canvas, BaseDocTemplate], None]:
    """Wrap a page callback so the document date is fixed whatever page comes first."""

    def wrapped(canv: Canvas, doc: BaseDocTemplate) -> None:
        canv.setDateFormatter(lambda *_args: PDF_DATE)
        draw(canv, doc)

    return wrapped


def seed_plain(markup: str) -> str:
    """Paragraph markup -> plain text for PDF metadata."""
    return markup.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def write_truth(path: Path) -> None:
    """Ground truth of the three tables, from the same data the PDF is drawn from."""
    records = [{**tables.truth_record(t), "layouts": list(TRUTH_LAYOUTS),
                "pages": list(TRUTH_PAGES[t.label])} for t in tables.TABLES]
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "pdf": os.path.relpath(DEFAULT_OUT, path.parent),
        "producer": "reportlab",
        "source": "tools/typeset_sample_paper.py (the sample paper, re-typeset from its text)",
        "tables": records,
    }
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="PDF to write")
    parser.add_argument(
        "--truth", type=Path, default=DEFAULT_TRUTH, help="tables truth JSON to write"
    )
    parser.add_argument("--seed", type=Path, default=SEED, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    layout.register_fonts()
    art = seed.parse(args.seed)
    # Pass 1 only counts pages (for "k of N"); pass 2 writes the file.
    total = build_pdf(art, io.BytesIO(), total=0)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    pages = build_pdf(art, args.out, total=total)
    if pages != total:
        raise SystemExit(f"page count changed between passes ({total} -> {pages})")
    write_truth(args.truth)
    print(f"wrote {args.out} ({pages} pages) and {args.truth}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
