"""Draw what the table extractor saw on a page, so a curator can check it by eye.

The picture is pdfplumber's own rendering of the page with, on top, each detected
table region (blue), its caption (orange) and legend (purple), the column bounds
(red) and every recovered cell (green; header cells in teal). Coordinates are the
same PDF points the records carry, so a box on the picture is the box in cells.csv.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pdfplumber
from pdfplumber.display import PageImage

from litcurate.extractors.errors import ExtractionError
from litcurate.extractors.geometry import Box
from litcurate.extractors.pdf.document import Document, Page
from litcurate.extractors.pdf.reader import read_pdf
from litcurate.extractors.pdf.rotation import page_box
from litcurate.extractors.tables.cells import Grid
from litcurate.extractors.tables.detection import TableRegion, find_table_regions
from litcurate.extractors.tables.grid import region_to_grid

REGION = "#1f5fbf"
CAPTION = "#e08a00"
LEGEND = "#8a3fbf"
COLUMN = "#d62728"
CELL = "#2ca02c"
HEADER = "#17a2a2"
CLEAR = (0, 0, 0, 0)  # outlines only: the page stays readable under the boxes


@dataclass(frozen=True)
class PageFindings:
    """What was drawn: per region its label and grid size, for the command's summary."""

    page: int
    tables: tuple[tuple[str, int, int], ...]


def _region_box(region: TableRegion) -> Box:
    return (region.x0, region.top, region.x1, region.bottom)


def draw_page(pdf_path: Path, page_number: int, out: Path, resolution: int = 110,
              document: Document | None = None) -> PageFindings:
    """Render ``page_number`` (1-based) of ``pdf_path`` with detected tables drawn on it.

    Pass the already read ``document`` to draw several pages of one paper.
    """
    # The whole document is read because type sizes are judged against its body text.
    document = document or read_pdf(pdf_path)
    if not 1 <= page_number <= document.n_pages:
        raise ExtractionError(f"page {page_number} out of range 1-{document.n_pages}")
    page = document.page(page_number)
    with pdfplumber.open(pdf_path) as pdf:
        plumber_page = pdf.pages[page_number - 1]
        image = plumber_page.to_image(resolution=resolution)
        found: list[tuple[str, int, int]] = []
        for view in (page, *page.views):
            found.extend(_draw_view(image, view))
        out.parent.mkdir(parents=True, exist_ok=True)
        image.save(out, format="PNG")
    return PageFindings(page_number, tuple(found))


def _draw_view(image: PageImage, view: Page) -> list[tuple[str, int, int]]:
    """Draw one page's (or rotated view's) tables, mapped onto the printed page."""

    def box(x0: float, top: float, x1: float, bottom: float) -> Box:
        return page_box(view, (x0, top, x1, bottom))

    found: list[tuple[str, int, int]] = []
    for region in find_table_regions(view):
        grid: Grid | None = region_to_grid(view, region)
        image.draw_rect(box(*_region_box(region)), fill=CLEAR, stroke=REGION, stroke_width=2)
        caption = region.caption
        image.draw_rect(box(caption.x0, caption.top, caption.x1, caption.bottom), fill=CLEAR,
                        stroke=CAPTION, stroke_width=1)
        if region.legend:
            image.draw_rect(box(min(ln.x0 for ln in region.legend), region.legend[0].top,
                                max(ln.x1 for ln in region.legend), region.legend[-1].bottom),
                            fill=CLEAR, stroke=LEGEND, stroke_width=1)
        if grid is None:
            found.append((caption.label, 0, 0))
            continue
        for cell in grid.cells:
            colour = HEADER if cell.is_header else CELL
            image.draw_rect(box(cell.x0, cell.top, cell.x1, cell.bottom), fill=CLEAR,
                            stroke=colour, stroke_width=1)
        for x0, x1 in grid.columns:
            for x in (x0, x1):
                a = box(x, region.top, x, region.bottom)
                image.draw_line([(a[0], a[1]), (a[2], a[3])], stroke=COLUMN, stroke_width=1)
        found.append((caption.label, grid.n_rows, grid.n_cols))
    return found
