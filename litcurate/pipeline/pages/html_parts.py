"""Pieces the HTML pages share: their style, escaping, and a table's crops from its PDF.

The diff page and the review page are each one self-contained file: crops are
embedded as base64 PNG, so a page can be attached to a pull request or mailed alone.
A table gets one crop per page it spans, the first reaching up to its caption; a click
on a crop shows it at full size.
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

Box = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points

CROP_RESOLUTION = 150  # pixels per inch: a crop stays legible beside its grid
CROP_MARGIN = 4.0  # points around the box
CAPTION_REACH = 120.0  # how far above a table (points) its caption is looked for

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 2em; }
table { border-collapse: collapse; font-size: 0.85em; }
td, th { border: 1px solid #ccc; padding: 2px 6px; vertical-align: top; white-space: pre-line; }
th { background: #f3f3f3; }
td.changed { background: #fff3b0; } td.added { background: #d9f7d9; }
del { color: #b00020; } ins { color: #006b1b; text-decoration: none; font-weight: 600; }
.pair { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1.5em;
        align-items: start; }
.pair > table, .pair > div > table.grid { display: block; overflow-x: auto; }
@media (max-width: 900px) { .pair { grid-template-columns: minmax(0, 1fr); } }
.crop figure { margin: 0 0 1em 0; } .crop figcaption { font-size: 0.8em; color: #555; }
.crop img { width: 100%; box-sizing: border-box; border: 1px solid #999; cursor: zoom-in; }
.crop img.zoomed { width: auto; max-width: none; cursor: zoom-out; }
.crop { overflow-x: auto; }
.summary td:nth-child(n+2) { text-align: right; }
"""
ZOOM = "this.classList.toggle(\"zoomed\")"  # one click: full size; again: fit


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def find_pdf(file_name: str, pdf_dirs: Sequence[Path], sha256: str = "") -> Path | None:
    """The paper's PDF in ``pdf_dirs``: by its file name, else (given its ``sha256``) the
    file with the same bytes under another name, as a renamed copy is."""
    named = next((d / file_name for d in pdf_dirs if (d / file_name).is_file()), None)
    if named is not None or not sha256:
        return named
    from litcurate.schemas.loader import file_sha256

    return next((path for d in pdf_dirs if d.is_dir() for path in sorted(d.glob("*.pdf"))
                 if path.is_file() and file_sha256(path) == sha256), None)


def _folded(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def find_caption_top(words: Sequence[Mapping[str, Any]], label: str, box: Box) -> float | None:
    """Given a page's words, return the top of the line opening with ``label`` ("Table 2")
    just above ``box``: where the table's caption starts. None when there is none."""
    x0, top, x1, _ = box
    near = [w for w in words if top - CAPTION_REACH <= w["top"] < top
            and w["x1"] > x0 and w["x0"] < x1]
    lines: dict[int, list[Mapping[str, Any]]] = {}
    for word in near:
        lines.setdefault(round(word["top"]), []).append(word)
    wanted = _folded(label)
    tops = [min(w["top"] for w in line) for line in lines.values()
            if wanted and _folded("".join(w["text"] for w in sorted(line, key=lambda w: w["x0"])
                                          )).startswith(wanted)]
    return max(tops) if tops else None


def table_boxes(table: Mapping[str, str], cells: Sequence[Mapping[str, str]]
                ) -> list[tuple[int, Box]]:
    """Each page a table spans with its box there: the table's own box on its first page,
    the union of its cells' boxes on every further page."""
    first = int(table["page"])
    boxes: list[tuple[int, Box]] = [(first, (float(table["x0"]), float(table["top"]),
                                             float(table["x1"]), float(table["bottom"])))]
    pages = sorted({int(c["page"]) for c in cells if c.get("page")} - {first})
    for page in pages:
        on_page = [c for c in cells if c.get("page") and int(c["page"]) == page]
        boxes.append((page, (min(float(c["x0"]) for c in on_page),
                             min(float(c["top"]) for c in on_page),
                             max(float(c["x1"]) for c in on_page),
                             max(float(c["bottom"]) for c in on_page))))
    return boxes


def crop_pngs(pdf: Path, label: str, boxes: Sequence[tuple[int, Box]]) -> list[str | None]:
    """Base64 PNG of each (page, box), reaching up to the table's caption on each page
    where one opens with ``label``; None for a crop that cannot be rendered."""
    try:
        import pdfplumber

        document = pdfplumber.open(pdf)
    except Exception:  # a missing or unreadable PDF only costs the pictures
        return [None for _ in boxes]
    with document:
        return [_render(document, page, box, label) for page, box in boxes]


def _render(document: Any, page: int, box: Box, label: str) -> str | None:
    try:
        plumber_page = document.pages[page - 1]
        x0, top, x1, bottom = box
        caption = find_caption_top(plumber_page.extract_words(), label, box)
        top = min(top, caption) if caption is not None else top
        bounded = (max(0.0, x0 - CROP_MARGIN), max(0.0, top - CROP_MARGIN),
                   min(plumber_page.width, x1 + CROP_MARGIN),
                   min(plumber_page.height, bottom + CROP_MARGIN))
        image = plumber_page.crop(bounded).to_image(resolution=CROP_RESOLUTION)
        buffer = io.BytesIO()
        image.original.save(buffer, format="PNG")
    except Exception:  # one page that cannot be drawn only costs its picture
        return None
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def crop_div(table: Mapping[str, str], pdf: Path | None,
             cells: Sequence[Mapping[str, str]] = ()) -> str:
    """The crops of a tables.csv row from ``pdf``, one per page (``cells`` tell the later
    pages), each captioned with its page; a note when there is none."""
    boxes = table_boxes(table, cells)
    pngs = crop_pngs(pdf, table["label"], boxes) if pdf else [None for _ in boxes]
    figures = [f"<figure><img alt='PDF crop of {esc(table['label'])}, page {page}' "
               f"title='click to zoom' onclick='{ZOOM}' src='data:image/png;base64,{png}'>"
               f"<figcaption>page {page}</figcaption></figure>"
               for (page, _), png in zip(boxes, pngs, strict=True) if png is not None]
    if not figures:
        return ("<div class='crop'><em>No PDF crop: the paper's PDF is not in the folder "
                "given (--raw)</em></div>")
    return f"<div class='crop'>{''.join(figures)}</div>"
