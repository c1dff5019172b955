"""A curator's review page for one paper: every table beside its PDF crops, issues marked.

One self-contained HTML file (crops embedded as PNG), with a contents line linking each
part: each extracted table as a grid (spanning cells spanning, as printed) next to the
crops of every PDF page it spans (its caption included); cells whose records have
validation issues highlighted, each listed with its record id and the ``litcurate
correct`` command that fixes it, ready to copy; cells a correction changed marked, with
what it changed. Pointing at any cell shows its own id and each record read from it,
with the record's id. Then the paper's statements in page order with their fields,
criteria, ids and flags (a flagged one with the command that sets its intervention),
and the corrections applied (or found stale) in this release.
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
td.corrected { background: #dff3df; outline: 2px solid #5a5; }
nav.contents { margin: 0.5em 0 1em; } nav.contents a { margin-right: 0.8em; }
.record-id { font-size: 0.8em; color: #777; }
ul.issues { font-size: 0.85em; } ul.issues li { margin-bottom: 0.6em; }
ul.table-issues { background: #fff4d6; }
code.command { display: block; background: #f6f6f6; border: 1px solid #ddd; padding: 3px 6px;
               white-space: pre-wrap; word-break: break-all; user-select: all; }
.muted { color: #777; }
"""
DEFAULT_CURATED = Path("data/curated")
# The records read from table cells, and the field a curator corrects when one is flagged.
CELL_RECORDS = (("outcomes", "outcome_id", "value"), ("populations", "population_id", "n"))


CELL_KEY = " | "  # a cell's id in corrections: "TABLE_ID | ROW | COL"


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
    """A paper by id, by file name or by DOI (as printed, any case)."""
    doi = reference.strip().lower().removeprefix("https://doi.org/").removeprefix("doi:")
    return next((p for p in _rows(release, "papers")
                 if reference in {p["paper_id"], p["file_name"]}
                 or (doi and p.get("doi", "").lower() == doi)), None)


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


def corrected_cells(release: Path, paper_id: str) -> dict[tuple[str, int, int], list[str]]:
    """(table, row, col) -> what applied corrections changed there, in words: a cell's
    own text, or a record read from it (an outcome's value, a population's n)."""
    where: dict[str, tuple[str, int, int]] = {}
    for resource, key, _ in CELL_RECORDS:
        for record in _rows(release, resource):
            if record["paper_id"] == paper_id:
                where[record[key]] = (record["table_id"], int(record["row"]), int(record["col"]))
    changed: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    for correction in _rows(release, "corrections"):
        if correction["paper_id"] != paper_id or correction["status"] != "applied":
            continue
        target = correction["target"]
        cell = where.get(target)
        if cell is None and correction["resource"] == "cells":
            table, _, position = target.partition(CELL_KEY)
            row, _, col = position.partition(CELL_KEY)
            cell = (table, int(row), int(col)) if row.isdigit() and col.isdigit() else None
        if cell is not None:
            changed[cell].append(
                f"corrected {correction['field']}: {correction['old_value']} -> "
                f"{correction['value']} ({correction['author']}: {correction['reason']})")
    return changed


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
    pdf = find_pdf(paper["file_name"], pdf_dirs, paper.get("sha256", ""))
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
    corrected = corrected_cells(release, paper_id)
    tables = [t for t in _rows(release, "tables") if t["paper_id"] == paper_id]
    links = [f"<a href='#table-{n}'>{esc(t['label'])}</a>" for n, t in enumerate(tables, 1)]
    links += ["<a href='#statements'>Statements</a>", "<a href='#corrections'>Corrections</a>"]
    parts.append(f"<nav class='contents'>{''.join(links)}</nav>")
    for number, table in enumerate(tables, 1):
        parts.append(_table_section(table, cells_by_table[table["table_id"]], flags, pdf,
                                    notes.get(table["table_id"], []), readings, corrected,
                                    anchor=f"table-{number}"))
    parts.append(_statements_section(release, paper_id, curated))
    parts.append(_corrections_section(release, paper_id))
    parts.append("</body></html>\n")
    return "".join(parts)


def _flag_item(row: int, col: int, flag: Flag) -> str:
    return (f"<li>row {row}, col {col} &middot; record <code>{esc(flag.record_id)}</code>: "
            f"{esc(flag.message)}<code class='command'>{esc(flag.command)}</code></li>")


def _table_section(table: dict[str, str], cells: list[dict[str, str]],
                   flags: dict[tuple[str, int, int], list[Flag]], pdf: Path | None,
                   notes: Sequence[str] = (),
                   readings: dict[tuple[str, int, int], list[str]] | None = None,
                   corrected: dict[tuple[str, int, int], list[str]] | None = None,
                   anchor: str = "") -> str:
    table_id = table["table_id"]
    grid = {(int(c["row"]), int(c["col"])): c for c in cells}
    covered = {(r + i, c + j) for (r, c), cell in grid.items()
               for i in range(int(cell.get("row_span") or 1))
               for j in range(int(cell.get("col_span") or 1)) if (i, j) != (0, 0)}
    n_rows = max((r for r, _ in grid), default=-1) + 1
    n_cols = max((c for _, c in grid), default=-1) + 1
    rows = []
    listed: list[str] = []
    for r in range(n_rows):
        out = []
        for c in range(n_cols):
            if (r, c) in covered:
                continue
            cell = grid.get((r, c))
            out.append(_cell_html(table_id, r, c, cell, flags.get((table_id, r, c), []),
                                  (readings or {}).get((table_id, r, c), []),
                                  (corrected or {}).get((table_id, r, c), [])))
            listed.extend(_flag_item(r, c, p) for p in flags.get((table_id, r, c), []))
        rows.append("<tr>" + "".join(out) + "</tr>")
    crop = crop_div(table, pdf, cells)
    issues = f"<ul class='issues'>{''.join(listed)}</ul>" if listed else ""
    doubts = "".join(f"<li>{esc(note)}</li>" for note in notes)
    doubts = f"<ul class='issues table-issues'>{doubts}</ul>" if doubts else ""
    where = f" id='{esc(anchor)}'" if anchor else ""
    footnotes = (f"<p class='muted footnotes'>{esc(table['footnotes'])}</p>"
                 if table.get("footnotes") else "")
    return (f"<h2{where}>{esc(table['label'])} <small class='muted'>page(s) "
            f"{esc(table['pages'])}</small></h2><p>{esc(table['caption'])}</p>{doubts}"
            f"<p class='muted'>Point at a cell to see its id and what each of its numbers was "
            f"read as, with the record's id.</p><div class='pair'>"
            f"<div><table class='grid'>{''.join(rows)}</table>{footnotes}</div>{crop}</div>"
            f"{issues}")


def _cell_html(table_id: str, r: int, c: int, cell: dict[str, str] | None,
               problems: list[Flag], readings: list[str], corrections: list[str]) -> str:
    """One grid cell: spans as printed, its class (header, issue, corrected) and a tooltip
    with its id, its corrections, its issues and what was read from it."""
    text = cell["text"] if cell else ""
    spans = ""
    if cell is not None:
        for attribute, field in (("rowspan", "row_span"), ("colspan", "col_span")):
            if (cell.get(field) or "1") != "1":
                spans += f" {attribute}='{esc(cell[field])}'"
    tips = [f"cell {CELL_KEY.join((table_id, str(r), str(c)))}", *corrections,
            *(f"{p.record_id}: {p.message}" for p in problems), *readings]
    classes = [name for name, present in (("header", cell is not None
                                           and cell["is_header"] == "true"),
                                          ("issue", bool(problems)),
                                          ("corrected", bool(corrections))) if present]
    kind = f" class='{' '.join(classes)}'" if classes else ""
    records = esc(" ".join(dict.fromkeys(p.record_id for p in problems)))
    record = f" data-record='{records}'" if problems else ""
    return (f"<td{kind}{spans} title='{esc(chr(10).join(tips))}' data-cell='{r},{c}'{record}>"
            f"{esc(text)}</td>")


def _page_order(statement: dict[str, str]) -> tuple[int, int]:
    """Where a statement is read in the paper: its page, then its offset in the text."""
    def number(text: str) -> int:
        return int(text) if text.isdigit() else 0
    return number(statement["page"]), number(statement["char_start"])


def _statements_section(release: Path, paper_id: str,
                        curated: Path = DEFAULT_CURATED) -> str:
    criteria: dict[str, list[str]] = defaultdict(list)
    for criterion in _rows(release, "criteria"):
        criteria[criterion["statement_id"]].append(
            f"{criterion['variable']} {criterion['op']} {criterion['value']} {criterion['unit']}"
            .strip())
    flags: dict[str, list[str]] = defaultdict(list)
    for issue in _rows(release, "issues"):
        if issue["paper_id"] == paper_id:
            flags[issue["record_id"]].append(f"{issue['rule']}: {issue['message']}")
    rows = ["<tr><th>page</th><th>bodies</th><th>direction</th><th>intervention</th>"
            "<th>population</th><th>criteria</th><th>statement</th></tr>"]
    statements = [s for s in _rows(release, "statements") if s["paper_id"] == paper_id]
    for s in sorted(statements, key=_page_order):
        sid = s["statement_id"]
        notes = "".join(f"<li>{esc(flag)}</li>" for flag in flags.get(sid, []))
        if notes:
            command = correct_command(paper_id, "statements", sid, "intervention",
                                      s["intervention"], curated)
            notes = (f"<ul class='issues table-issues'>{notes}</ul>"
                     f"<code class='command'>{esc(command)}</code>")
        rows.append(f"<tr data-statement='{esc(sid)}'><td>{esc(s['page'])}</td>"
                    f"<td>{esc(s['bodies'])}</td>"
                    f"<td>{esc(s['direction'])}</td><td>{esc(s['intervention'])}</td>"
                    f"<td>{esc(s['population'])}</td>"
                    f"<td>{esc('; '.join(criteria.get(sid, [])))}</td>"
                    f"<td>{esc(s['text'])}<div class='record-id'>{esc(sid)}</div>{notes}</td>"
                    "</tr>")
    return (f"<h2 id='statements'>Statements ({len(rows) - 1})</h2>"
            f"<table class='statements'>{''.join(rows)}</table>")


def _corrections_section(release: Path, paper_id: str) -> str:
    rows = [c for c in _rows(release, "corrections") if c["paper_id"] == paper_id]
    if not rows:
        return "<h2 id='corrections'>Corrections</h2><p class='muted'>None applied.</p>"
    body = "".join(f"<tr><td>{esc(c['status'])}</td><td>{esc(c['resource'])}</td>"
                   f"<td>{esc(c['target'])}</td><td>{esc(c['field'])}</td>"
                   f"<td><del>{esc(c['old_value'])}</del></td><td><ins>{esc(c['value'])}</ins>"
                   f"</td><td>{esc(c['author'])}, {esc(c['date'])}: {esc(c['reason'])}</td></tr>"
                   for c in rows)
    return ("<h2 id='corrections'>Corrections</h2><table><tr><th>status</th><th>resource</th>"
            "<th>target</th>"
            f"<th>field</th><th>from</th><th>to</th><th>by</th></tr>{body}</table>")
