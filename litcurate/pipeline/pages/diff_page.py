"""The diff as one self-contained HTML page: changed tables as grids beside their PDF crop.

For every table with a changed, added or removed cell, the page shows the table's rows
aligned old with new (``keyed_rows``): changed cells marked old -> new, inserted rows
green, deleted rows struck through, next to the crop of that table from the paper's PDF
(found by file name in the raw folders given), embedded as a PNG so the page travels
alone. Every other resource follows: fields changed old -> new, then the records added
and removed with their values (issues and corrections included).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from litcurate.pipeline.pages.html_parts import STYLE, crop_div, esc, find_pdf
from litcurate.pipeline.release.diffing import MAX_LISTED, ReleaseDiff, record_values
from litcurate.pipeline.release.files import read_csv_rows
from litcurate.pipeline.release.keyed_rows import (
    TableRows,
    align_rows,
    cells_to_table_rows,
    row_texts,
)
from litcurate.pipeline.release.versioning import ResourceDiff

DIFF_STYLE = STYLE + """
tr.removed td { background: #fde2e2; text-decoration: line-through; color: #8a0015; }
tr.added td { background: #d9f7d9; }
"""


def to_html(diff: ReleaseDiff, old_dir: Path, new_dir: Path, pdf_dirs: Sequence[Path],
            missing: list[str] | None = None) -> str:
    """The whole page; the PDFs it found no crop in are added to ``missing``."""
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>litcurate diff {esc(diff.old)} -> {esc(diff.new)}</title>"
             f"<style>{DIFF_STYLE}</style></head><body>",
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
    parts.extend(_table_sections(diff, old_dir, new_dir, pdf_dirs,
                                 missing if missing is not None else []))
    for d in diff.diffs:
        if d.name != "cells":
            parts.extend(_record_sections(d))
    parts.append("</body></html>\n")
    return "".join(parts)


def _record_sections(d: ResourceDiff) -> list[str]:
    """One resource's changed fields, then its added and removed records with values."""
    parts: list[str] = []
    if d.changed:
        parts.append(f"<h2>{esc(d.name)}: changed fields</h2><table><tr><th>id</th>"
                     "<th>field</th><th>old</th><th>new</th></tr>")
        for key, fields in list(d.changed.items())[:MAX_LISTED]:
            for name, (old, new) in fields.items():
                parts.append(f"<tr><td>{esc(key)}</td><td>{esc(name)}</td>"
                             f"<td><del>{esc(old)}</del></td><td><ins>{esc(new)}</ins></td></tr>")
        parts.append("</table>")
    for label, records, tag in (("added", d.added, "ins"), ("removed", d.removed, "del")):
        if not records:
            continue
        parts.append(f"<h2>{esc(d.name)}: {len(records)} {label}</h2><table class='{label}'>"
                     "<tr><th>id</th><th>values</th></tr>")
        for key, row in list(records.items())[:MAX_LISTED]:
            parts.append(f"<tr class='{label}'><td>{esc(key)}</td>"
                         f"<td><{tag}>{esc(record_values(d.name, row))}</{tag}></td></tr>")
        parts.append("</table>")
        if len(records) > MAX_LISTED:
            parts.append(f"<p>... and {len(records) - MAX_LISTED} more (the JSON diff lists "
                         "all)</p>")
    return parts


def _touched_tables(cells_diff: ResourceDiff) -> set[str]:
    keys = [*cells_diff.changed, *cells_diff.added, *cells_diff.removed]
    return {key.split("|")[0].strip() for key in keys}


def _table_sections(diff: ReleaseDiff, old_dir: Path, new_dir: Path,
                    pdf_dirs: Sequence[Path], missing: list[str]) -> list[str]:
    cells_diff = next((d for d in diff.diffs if d.name == "cells"), None)
    if cells_diff is None or not (cells_diff.changed or cells_diff.added or cells_diff.removed):
        return []
    old_tables = cells_to_table_rows(read_csv_rows(old_dir / "cells.csv")[1])
    new_tables = cells_to_table_rows(read_csv_rows(new_dir / "cells.csv")[1])
    tables = {t["table_id"]: t for d in (old_dir, new_dir)
              for t in read_csv_rows(d / "tables.csv")[1]}  # the new release's row wins
    papers = {p["paper_id"]: p for d in (old_dir, new_dir)
              for p in read_csv_rows(d / "papers.csv")[1]}
    sections: list[str] = []
    for table_id in sorted(_touched_tables(cells_diff)):
        table = tables.get(table_id)
        old_rows, new_rows = old_tables.get(table_id, []), new_tables.get(table_id, [])
        aligned = _Aligned.of(old_rows, new_rows)
        table_cells = [cell for _, by_col in new_rows for cell in by_col.values()]
        crop = ""
        if table is not None:
            paper = papers.get(table["paper_id"], {})
            pdf = find_pdf(paper.get("file_name", ""), pdf_dirs, paper.get("sha256", ""))
            if pdf is None and paper.get("file_name") not in missing:
                missing.append(paper.get("file_name", table["paper_id"]))
            crop = crop_div(table, pdf, table_cells)
        label = table["label"] if table else table_id
        sections.append(f"<h2>{esc(label)} <small>{esc(table_id)}</small></h2>"
                        f"{_changed_list(aligned)}<div class='pair'><table class='grid'>"
                        f"{_aligned_grid(aligned)}</table>{crop}</div>")
    return sections


@dataclass(frozen=True)
class _Aligned:
    """A table's rows old and new as texts, and their alignment, computed once for the
    grid and the list of changed cells."""

    old_rows: TableRows
    new_rows: TableRows
    old_texts: list[tuple[str, ...]]
    new_texts: list[tuple[str, ...]]
    pairs: list[tuple[int | None, int | None]]

    @classmethod
    def of(cls, old_rows: TableRows, new_rows: TableRows) -> _Aligned:
        old_texts = [row_texts(cells) for _, cells in old_rows]
        new_texts = [row_texts(cells) for _, cells in new_rows]
        return cls(old_rows, new_rows, old_texts, new_texts, align_rows(old_texts, new_texts))


def _changed_list(aligned: _Aligned) -> str:
    """The changed cells in words (row label, column, old -> new): a wide table scrolls,
    and its one changed cell may sit out of sight."""
    items = []
    for i, j in aligned.pairs:
        if i is None or j is None:
            continue
        old, new = aligned.old_texts[i], aligned.new_texts[j]
        for c in range(max(len(old), len(new))):
            before, after = (old[c] if c < len(old) else ""), (new[c] if c < len(new) else "")
            if before != after:
                where = new[0] or f"row {aligned.new_rows[j][0]}"
                items.append(f"<li>{esc(where)}, column {c}: <del>{esc(before)}</del> &rarr; "
                             f"<ins>{esc(after)}</ins></li>")
    shown = items[:MAX_LISTED]
    more = f"<li>... and {len(items) - MAX_LISTED} more</li>" if len(items) > MAX_LISTED else ""
    return f"<ul class='changed-cells'>{''.join(shown)}{more}</ul>" if items else ""


def _aligned_grid(aligned: _Aligned) -> str:
    """The table's rows old and new aligned: kept rows with changed cells old -> new,
    inserted rows marked added, deleted rows struck through."""
    old_texts, new_texts = aligned.old_texts, aligned.new_texts
    width = max((len(t) for t in [*old_texts, *new_texts]), default=0)
    html_rows: list[str] = []
    for i, j in aligned.pairs:
        if j is not None:
            old = old_texts[i] if i is not None else None
            html_rows.append(_new_row(aligned.new_rows[j][0], old, new_texts[j], width))
        elif i is not None:
            cells = "".join(f"<td>{esc(text)}</td>" for text in old_texts[i])
            html_rows.append(f"<tr class='removed' data-old-row='{aligned.old_rows[i][0]}'>"
                             f"{cells}</tr>")
    return "".join(html_rows)


def _new_row(number: int, old: tuple[str, ...] | None, new: tuple[str, ...], width: int
             ) -> str:
    """A row of the new table: inserted (``old`` None), or kept with its changed cells."""
    cells = []
    for c in range(width):
        text = new[c] if c < len(new) else ""
        if old is None:
            cells.append(f"<td class='added' data-cell='{number},{c}'>{esc(text)}</td>")
            continue
        before = old[c] if c < len(old) else ""
        if before != text:
            cells.append(f"<td class='changed' data-cell='{number},{c}'><del>{esc(before)}"
                         f"</del> &rarr; <ins>{esc(text)}</ins></td>")
        else:
            cells.append(f"<td>{esc(text)}</td>")
    return ("<tr class='added'>" if old is None else "<tr>") + "".join(cells) + "</tr>"
