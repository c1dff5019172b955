"""Pieces the HTML pages share: their style, escaping, and a table's crop from its PDF.

The diff page and the review page are each one self-contained file: crops are
embedded as base64 PNG, so a page can be attached to a pull request or mailed alone.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Mapping, Sequence
from pathlib import Path

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 2em; }
table { border-collapse: collapse; font-size: 0.85em; }
td, th { border: 1px solid #ccc; padding: 2px 6px; vertical-align: top; white-space: pre-line; }
th { background: #f3f3f3; }
td.changed { background: #fff3b0; } td.added { background: #d9f7d9; }
del { color: #b00020; } ins { color: #006b1b; text-decoration: none; font-weight: 600; }
.pair { display: flex; gap: 2em; align-items: flex-start; flex-wrap: wrap; }
.crop img { max-width: 560px; border: 1px solid #999; }
.summary td:nth-child(n+2) { text-align: right; }
"""


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def crop_png(pdf: Path, page: int, box: tuple[float, float, float, float]) -> str | None:
    """Base64 PNG of ``box`` on ``page`` of ``pdf``; None if it cannot be rendered."""
    try:
        import pdfplumber

        with pdfplumber.open(pdf) as document:
            plumber_page = document.pages[page - 1]
            x0, top, x1, bottom = box
            bounded = (max(0.0, x0 - 4), max(0.0, top - 4), min(plumber_page.width, x1 + 4),
                       min(plumber_page.height, bottom + 4))
            image = plumber_page.crop(bounded).to_image(resolution=110)
            buffer = io.BytesIO()
            image.original.save(buffer, format="PNG")
    except Exception:  # a missing or unreadable PDF only costs the picture
        return None
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def find_pdf(file_name: str, pdf_dirs: Sequence[Path]) -> Path | None:
    return next((d / file_name for d in pdf_dirs if (d / file_name).is_file()), None)


def crop_div(table: Mapping[str, str], pdf: Path | None) -> str:
    """The crop of a tables.csv row's box from ``pdf``, or a note when there is none."""
    png = crop_png(pdf, int(table["page"]), (float(table["x0"]), float(table["top"]),
                                            float(table["x1"]), float(table["bottom"]))
                   ) if pdf else None
    if png is None:
        return "<div class='crop'><em>PDF not found for a crop</em></div>"
    return (f"<div class='crop'><img alt='PDF crop of {esc(table['label'])}' "
            f"src='data:image/png;base64,{png}'></div>")
