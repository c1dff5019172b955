"""A curator's review page for one paper: every table beside its PDF crop, issues marked.

One self-contained HTML file (crops embedded as PNG): each extracted table as a grid
next to the crop of the PDF it came from, cells whose outcome records have validation
issues highlighted with the messages, then the paper's statements with their fields and
criteria, and the corrections applied (or found stale) in this release.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from litcurate.pipeline.pages.html_parts import STYLE, crop_div, esc, find_pdf
from litcurate.pipeline.release.files import read_csv_rows

REVIEW_STYLE = STYLE + """
td.issue { background: #ffd9d9; } td.header { background: #eef3fb; font-weight: 600; }
ul.issues { font-size: 0.85em; } .muted { color: #777; }
"""


def _rows(release: Path, name: str) -> list[dict[str, str]]:
    path = release / f"{name}.csv"
    return read_csv_rows(path)[1] if path.is_file() else []


def find_paper(release: Path, reference: str) -> dict[str, str] | None:
    """A paper by id or by file name."""
    return next((p for p in _rows(release, "papers")
                 if reference in {p["paper_id"], p["file_name"]}), None)


def review_html(release: Path, paper: dict[str, str], pdf_dirs: Sequence[Path]) -> str:
    """The whole page for ``paper`` from the release in ``release``."""
    paper_id = paper["paper_id"]
    pdf = find_pdf(paper["file_name"], pdf_dirs)
    issues_by_record: dict[str, list[str]] = defaultdict(list)
    for issue in _rows(release, "issues"):
        if issue["paper_id"] == paper_id:
            issues_by_record[issue["record_id"]].append(f"{issue['rule']}: {issue['message']}")
    cell_issues: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    for resource, key in (("outcomes", "outcome_id"), ("populations", "population_id")):
        for record in _rows(release, resource):
            if record["paper_id"] != paper_id:
                continue
            messages = issues_by_record.get(record[key], [])
            for message in messages:
                cell = (record["table_id"], int(record["row"]), int(record["col"]))
                if message not in cell_issues[cell]:
                    cell_issues[cell].append(message)
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>Review: {esc(paper['file_name'])}</title><style>{REVIEW_STYLE}</style>"
             f"</head><body><h1>Review: {esc(paper['title'] or paper['file_name'])}</h1>",
             f"<p class='muted'>{esc(paper_id)} &middot; {esc(paper['file_name'])} &middot; "
             f"{esc(paper['pages'])} pages &middot; release {esc(release.name)}</p>"]
    cells_by_table: dict[str, list[dict[str, str]]] = defaultdict(list)
    for cell_row in _rows(release, "cells"):
        cells_by_table[cell_row["table_id"]].append(cell_row)
    for table in _rows(release, "tables"):
        if table["paper_id"] != paper_id:
            continue
        parts.append(_table_section(table, cells_by_table[table["table_id"]], cell_issues, pdf))
    parts.append(_statements_section(release, paper_id))
    parts.append(_corrections_section(release, paper_id))
    parts.append("</body></html>\n")
    return "".join(parts)


def _table_section(table: dict[str, str], cells: list[dict[str, str]],
                   cell_issues: dict[tuple[str, int, int], list[str]], pdf: Path | None) -> str:
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
            problems = cell_issues.get((table["table_id"], r, c), [])
            if cell and cell["is_header"] == "true":
                out.append(f"<td class='header'>{esc(text)}</td>")
            elif problems:
                title = esc(" | ".join(problems))
                out.append(f"<td class='issue' title='{title}' data-cell='{r},{c}'>"
                           f"{esc(text)}</td>")
                listed.extend(f"row {r}, col {c}: {p}" for p in problems)
            else:
                out.append(f"<td data-cell='{r},{c}'>{esc(text)}</td>")
        rows.append("<tr>" + "".join(out) + "</tr>")
    crop = crop_div(table, pdf)
    issues = ("<ul class='issues'>" + "".join(f"<li>{esc(i)}</li>" for i in listed) + "</ul>"
              if listed else "")
    return (f"<h2>{esc(table['label'])} <small class='muted'>page(s) {esc(table['pages'])}"
            f"</small></h2><p>{esc(table['caption'])}</p><div class='pair'>"
            f"<table class='grid'>{''.join(rows)}</table>{crop}</div>{issues}")


def _statements_section(release: Path, paper_id: str) -> str:
    criteria: dict[str, list[str]] = defaultdict(list)
    for criterion in _rows(release, "criteria"):
        criteria[criterion["statement_id"]].append(
            f"{criterion['variable']} {criterion['op']} {criterion['value']} {criterion['unit']}"
            .strip())
    rows = ["<tr><th>page</th><th>bodies</th><th>direction</th><th>intervention</th>"
            "<th>population</th><th>criteria</th><th>statement</th></tr>"]
    for s in _rows(release, "statements"):
        if s["paper_id"] != paper_id:
            continue
        rows.append(f"<tr><td>{esc(s['page'])}</td><td>{esc(s['bodies'])}</td>"
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
