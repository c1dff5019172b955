"""The diff as one self-contained HTML page: changed tables as grids beside their PDF crop.

For every table with a changed, added or removed cell, the page shows the new grid with
each changed cell marked old -> new, next to the crop of that table from the paper's PDF
(found by file name in the raw folders given), embedded as a PNG so the page travels
alone. Other resources' changes follow as tables of fields old -> new.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from litcurate.pipeline.pages.html_parts import STYLE, crop_div, esc, find_pdf
from litcurate.pipeline.release.diffing import MAX_LISTED, ReleaseDiff
from litcurate.pipeline.release.files import read_csv_rows


def to_html(diff: ReleaseDiff, old_dir: Path, new_dir: Path, pdf_dirs: Sequence[Path]) -> str:
    """The whole page."""
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>litcurate diff {esc(diff.old)} -> {esc(diff.new)}</title>"
             f"<style>{STYLE}</style></head><body>",
             f"<h1>Dataset changes: {esc(diff.old)} &rarr; {esc(diff.new)}</h1>",
             f"<p>Implied bump: <strong>{diff.bump.value}</strong>"
             + (f" (next version {esc(diff.implied_version)})" if diff.implied_version else "")
             + "</p>",
             "<table class='summary'><tr><th>resource</th><th>added</th><th>removed</th>"
             "<th>changed</th><th>schema</th></tr>"]
    for d in diff.diffs:
        parts.append(f"<tr><td>{esc(d.name)}</td><td>{len(d.added)}</td><td>{len(d.removed)}"
                     f"</td><td>{len(d.changed)}</td><td>{esc('; '.join(d.schema_changes))}"
                     "</td></tr>")
    parts.append("</table>")
    parts.extend(_table_sections(diff, old_dir, new_dir, pdf_dirs))
    for d in diff.diffs:
        if d.name == "cells" or not d.changed:
            continue
        parts.append(f"<h2>{esc(d.name)}: changed fields</h2><table><tr><th>id</th>"
                     "<th>field</th><th>old</th><th>new</th></tr>")
        for key, fields in list(d.changed.items())[:MAX_LISTED]:
            for name, (old, new) in fields.items():
                parts.append(f"<tr><td>{esc(key)}</td><td>{esc(name)}</td>"
                             f"<td><del>{esc(old)}</del></td><td><ins>{esc(new)}</ins></td></tr>")
        parts.append("</table>")
    parts.append("</body></html>\n")
    return "".join(parts)


def _table_sections(diff: ReleaseDiff, old_dir: Path, new_dir: Path,
                    pdf_dirs: Sequence[Path]) -> list[str]:
    cells_diff = next((d for d in diff.diffs if d.name == "cells"), None)
    if cells_diff is None or not (cells_diff.changed or cells_diff.added):
        return []
    touched: dict[str, dict[tuple[int, int], tuple[str, str]]] = defaultdict(dict)
    for key, fields in cells_diff.changed.items():
        table_id, row, col = (part.strip() for part in key.split("|"))
        if "text" in fields:
            touched[table_id][(int(row), int(col))] = fields["text"]
    for key in cells_diff.added:
        table_id, row, col = (part.strip() for part in key.split("|"))
        touched[table_id].setdefault((int(row), int(col)), ("", "\x00added"))
    _, new_cells = read_csv_rows(new_dir / "cells.csv")
    _, tables = read_csv_rows(new_dir / "tables.csv")
    _, papers = read_csv_rows(new_dir / "papers.csv")
    files = {p["paper_id"]: p["file_name"] for p in papers}
    by_table = {t["table_id"]: t for t in tables}
    sections: list[str] = []
    for table_id, changes in sorted(touched.items()):
        table = by_table.get(table_id)
        grid: dict[tuple[int, int], str] = {}
        for cell in new_cells:
            if cell["table_id"] == table_id:
                grid[(int(cell["row"]), int(cell["col"]))] = cell["text"]
        n_rows = max((r for r, _ in grid), default=-1) + 1
        n_cols = max((c for _, c in grid), default=-1) + 1
        rows_html = []
        for r in range(n_rows):
            cells_html = []
            for c in range(n_cols):
                text = grid.get((r, c), "")
                change = changes.get((r, c))
                if change is None:
                    cells_html.append(f"<td>{esc(text)}</td>")
                elif change[1] == "\x00added":
                    cells_html.append(f"<td class='added' data-cell='{r},{c}'>{esc(text)}</td>")
                else:
                    cells_html.append(f"<td class='changed' data-cell='{r},{c}'><del>"
                                      f"{esc(change[0])}</del> &rarr; <ins>{esc(change[1])}"
                                      "</ins></td>")
            rows_html.append("<tr>" + "".join(cells_html) + "</tr>")
        crop = crop_div(table, find_pdf(files.get(table["paper_id"], ""), pdf_dirs)) \
            if table is not None else ""
        label = table["label"] if table else table_id
        sections.append(f"<h2>{esc(label)} <small>{esc(table_id)}</small></h2>"
                        f"<div class='pair'><table class='grid'>{''.join(rows_html)}</table>"
                        f"{crop}</div>")
    return sections
