"""A curator's review page for one paper: every table beside its PDF crops, issues marked.

One self-contained HTML file (crops embedded as PNG): each extracted table as a grid
next to the crops of every PDF page it spans (its caption included), cells whose
records have validation issues highlighted, each listed with its record id and the
``litcurate correct`` command that fixes it, ready to copy; then the paper's statements
in page order with their fields and criteria, and the corrections applied (or found
stale) in this release.
"""

from __future__ import annotations

import shlex
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from litcurate.pipeline.pages.evidence_notes import cell_readings
from litcurate.pipeline.pages.html_parts import STYLE, crop_div, esc, find_pdf
from litcurate.pipeline.release.files import read_csv_rows

REVIEW_STYLE = STYLE + """
td.issue { background: #ffd9d9; } td.header { background: #eef3fb; font-weight: 600; }
ul.issues { font-size: 0.85em; } ul.issues li { margin-bottom: 0.6em; }
ul.table-issues { background: #fff4d6; }
code.command { display: block; background: #f6f6f6; border: 1px solid #ddd; padding: 3px 6px;
               white-space: pre-wrap; word-break: break-all; user-select: all; }
.muted { color: #777; }
"""
DEFAULT_CURATED = Path("data/curated")
# The records read from table cells, and the field a curator corrects when one is flagged.
CELL_RECORDS = (("outcomes", "outcome_id", "value"), ("populations", "population_id", "n"))


@dataclass(frozen=True)
class Flag:
    """One issue of a record read from a table cell, and how to correct that record."""

    record_id: str
    message: str
    command: str


def _rows(release: Path, name: str) -> list[dict[str, str]]:
    path = release / f"{name}.csv"
    return read_csv_rows(path)[1] if path.is_file() else []


def find_paper(release: Path, reference: str) -> dict[str, str] | None:
    """A paper by id or by file name."""
    return next((p for p in _rows(release, "papers")
                 if reference in {p["paper_id"], p["file_name"]}), None)


def correct_command(paper_id: str, resource: str, record_id: str, field: str, current: str,
                    curated: Path = DEFAULT_CURATED) -> str:
    """The ``litcurate correct`` command that sets ``field`` of a record, quoted for a
    shell; the curator fills in the new value, their name and the reason."""
    parts = ["litcurate", "correct", paper_id, "--resource", resource, "--id", record_id,
             "--set", f"{field}=NEW_VALUE", "--from", current, "--by", "YOUR NAME",
             "--reason", "WHY"]
    if Path(curated) != DEFAULT_CURATED:
        parts += ["--curated", str(curated)]
    return shlex.join(parts)


def find_cell_flags(release: Path, paper_id: str, curated: Path = DEFAULT_CURATED
                    ) -> dict[tuple[str, int, int], list[Flag]]:
    """Issues of the paper's records that come from table cells, by (table, row, col)."""
    issues_by_record: dict[str, list[str]] = defaultdict(list)
    for issue in _rows(release, "issues"):
        if issue["paper_id"] == paper_id:
            issues_by_record[issue["record_id"]].append(f"{issue['rule']}: {issue['message']}")
    flags: dict[tuple[str, int, int], list[Flag]] = defaultdict(list)
    for resource, key, field in CELL_RECORDS:
        for record in _rows(release, resource):
            if record["paper_id"] != paper_id or record[key] not in issues_by_record:
                continue
            command = correct_command(paper_id, resource, record[key], field,
                                      record.get(field, ""), curated)
            cell = (record["table_id"], int(record["row"]), int(record["col"]))
            flags[cell].extend(Flag(record[key], message, command)
                               for message in issues_by_record[record[key]])
    return flags


def table_notes(release: Path, paper_id: str) -> dict[str, list[str]]:
    """Issues raised on whole tables (a region run into prose, collapsed columns, a
    continuation turned down), by table id: they concern no single cell."""
    tables = {t["table_id"] for t in _rows(release, "tables") if t["paper_id"] == paper_id}
    notes: dict[str, list[str]] = defaultdict(list)
    for issue in _rows(release, "issues"):
        if issue["paper_id"] == paper_id and issue["record_id"] in tables:
            notes[issue["record_id"]].append(f"{issue['rule']}: {issue['message']}")
    return notes


def review_html(release: Path, paper: dict[str, str], pdf_dirs: Sequence[Path],
                curated: Path = DEFAULT_CURATED) -> str:
    """The whole page for ``paper`` from the release in ``release``; ``curated`` is what
    the correction commands name as the dataset home."""
    paper_id = paper["paper_id"]
    pdf = find_pdf(paper["file_name"], pdf_dirs)
    flags = find_cell_flags(release, paper_id, curated)
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>Review: {esc(paper['file_name'])}</title><style>{REVIEW_STYLE}</style>"
             f"</head><body><h1>Review: {esc(paper['title'] or paper['file_name'])}</h1>",
             f"<p class='muted'>{esc(paper_id)} &middot; {esc(paper['file_name'])} &middot; "
             f"{esc(paper['pages'])} pages &middot; release {esc(release.name)}</p>"]
    cells_by_table: dict[str, list[dict[str, str]]] = defaultdict(list)
    for cell_row in _rows(release, "cells"):
        cells_by_table[cell_row["table_id"]].append(cell_row)
    notes = table_notes(release, paper_id)
    readings = cell_readings(release, paper_id)
    for table in _rows(release, "tables"):
        if table["paper_id"] != paper_id:
            continue
        parts.append(_table_section(table, cells_by_table[table["table_id"]], flags, pdf,
                                    notes.get(table["table_id"], []), readings))
    parts.append(_statements_section(release, paper_id))
    parts.append(_corrections_section(release, paper_id))
    parts.append("</body></html>\n")
    return "".join(parts)


def _flag_item(row: int, col: int, flag: Flag) -> str:
    return (f"<li>row {row}, col {col} &middot; record <code>{esc(flag.record_id)}</code>: "
            f"{esc(flag.message)}<code class='command'>{esc(flag.command)}</code></li>")


def _table_section(table: dict[str, str], cells: list[dict[str, str]],
                   flags: dict[tuple[str, int, int], list[Flag]], pdf: Path | None,
                   notes: Sequence[str] = (),
                   readings: dict[tuple[str, int, int], list[str]] | None = None) -> str:
    grid = {(int(c["row"]), int(c["col"])): c for c in cells}
    n_rows = max((r for r, _ in grid), default=-1) + 1
    n_cols = max((c for _, c in grid), default=-1) + 1
    rows = []
    listed: list[str] = []
    for r in range(n_rows):
        out = []
        for c in range(n_cols):
            cell = grid.get((r, c))
            text = cell["text"] if cell else ""
            problems = flags.get((table["table_id"], r, c), [])
            read = " | ".join((readings or {}).get((table["table_id"], r, c), []))
            if cell and cell["is_header"] == "true":
                out.append(f"<td class='header'>{esc(text)}</td>")
            elif problems:
                title = esc(" | ".join([*(f"{p.record_id}: {p.message}" for p in problems),
                                        *([read] if read else [])]))
                records = esc(" ".join(dict.fromkeys(p.record_id for p in problems)))
                out.append(f"<td class='issue' title='{title}' data-cell='{r},{c}' "
                           f"data-record='{records}'>{esc(text)}</td>")
                listed.extend(_flag_item(r, c, p) for p in problems)
            else:
                title = f" title='{esc(read)}'" if read else ""
                out.append(f"<td data-cell='{r},{c}'{title}>{esc(text)}</td>")
        rows.append("<tr>" + "".join(out) + "</tr>")
    crop = crop_div(table, pdf, cells)
    issues = f"<ul class='issues'>{''.join(listed)}</ul>" if listed else ""
    doubts = "".join(f"<li>{esc(note)}</li>" for note in notes)
    doubts = f"<ul class='issues table-issues'>{doubts}</ul>" if doubts else ""
    return (f"<h2>{esc(table['label'])} <small class='muted'>page(s) {esc(table['pages'])}"
            f"</small></h2><p>{esc(table['caption'])}</p>{doubts}"
            f"<p class='muted'>Point at a cell to see what each of its numbers was read as."
            f"</p><div class='pair'>"
            f"<table class='grid'>{''.join(rows)}</table>{crop}</div>{issues}")


def _page_order(statement: dict[str, str]) -> tuple[int, int]:
    """Where a statement is read in the paper: its page, then its offset in the text."""
    def number(text: str) -> int:
        return int(text) if text.isdigit() else 0
    return number(statement["page"]), number(statement["char_start"])


def _statements_section(release: Path, paper_id: str) -> str:
    criteria: dict[str, list[str]] = defaultdict(list)
    for criterion in _rows(release, "criteria"):
        criteria[criterion["statement_id"]].append(
            f"{criterion['variable']} {criterion['op']} {criterion['value']} {criterion['unit']}"
            .strip())
    rows = ["<tr><th>page</th><th>bodies</th><th>direction</th><th>intervention</th>"
            "<th>population</th><th>criteria</th><th>statement</th></tr>"]
    statements = [s for s in _rows(release, "statements") if s["paper_id"] == paper_id]
    for s in sorted(statements, key=_page_order):
        rows.append(f"<tr data-statement='{esc(s['statement_id'])}'><td>{esc(s['page'])}</td>"
                    f"<td>{esc(s['bodies'])}</td>"
                    f"<td>{esc(s['direction'])}</td><td>{esc(s['intervention'])}</td>"
                    f"<td>{esc(s['population'])}</td>"
                    f"<td>{esc('; '.join(criteria.get(s['statement_id'], [])))}</td>"
                    f"<td>{esc(s['text'])}</td></tr>")
    return f"<h2>Statements ({len(rows) - 1})</h2><table class='statements'>{''.join(rows)}</table>"


def _corrections_section(release: Path, paper_id: str) -> str:
    rows = [c for c in _rows(release, "corrections") if c["paper_id"] == paper_id]
    if not rows:
        return "<h2>Corrections</h2><p class='muted'>None applied.</p>"
    body = "".join(f"<tr><td>{esc(c['status'])}</td><td>{esc(c['resource'])}</td>"
                   f"<td>{esc(c['target'])}</td><td>{esc(c['field'])}</td>"
                   f"<td><del>{esc(c['old_value'])}</del></td><td><ins>{esc(c['value'])}</ins>"
                   f"</td><td>{esc(c['author'])}, {esc(c['date'])}: {esc(c['reason'])}</td></tr>"
                   for c in rows)
    return ("<h2>Corrections</h2><table><tr><th>status</th><th>resource</th><th>target</th>"
            f"<th>field</th><th>from</th><th>to</th><th>by</th></tr>{body}</table>")
