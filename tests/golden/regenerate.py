"""Rewrite the golden snapshots of the extractor's output: `make golden`.

Snapshots record exactly what the extractor returns for every fixture PDF (labels,
pages, captions, legends, header paths, every cell and its box), so any change in
output shows up as a diff to review in the pull request. They are never written by
the tests themselves; the hand-checked expected grids (*.expected.json) are separate
and are never regenerated from output.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

from litcurate.evaluation.table_accuracy import ExpectedFile, discover_expected
from litcurate.extractors.pdf.reader import read_pdf
from litcurate.extractors.tables.extract import TablesResult, extract_tables

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures" / "tables"
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"


def snapshot_path(expected: ExpectedFile) -> Path:
    return SNAPSHOTS / expected.producer / f"{expected.pdf.stem}.tables.json"


def snapshot(result: TablesResult) -> dict[str, Any]:
    """The extractor's tables as plain JSON, in a stable order."""
    tables = []
    for extracted in result.tables:
        table = extracted.table
        tables.append({
            "label": table.label,
            "pages": list(table.pages),
            "caption": table.caption,
            "footnotes": table.footnotes,
            "n_rows": table.n_rows,
            "n_cols": table.n_cols,
            "n_header_rows": table.n_header_rows,
            "header_paths": list(extracted.header_paths),
            "cells": [[c.row, c.col, c.row_span, c.col_span, c.is_header, c.text, list(c.marks),
                       c.page, c.x0, c.top, c.x1, c.bottom] for c in extracted.cells],
        })
    issues = [[i.rule, i.page, i.message] for i in result.issues]
    return {"tables": tables, "issues": issues}


def render(expected: ExpectedFile) -> str:
    result = extract_tables(read_pdf(expected.pdf), expected.pdf.stem)
    return json.dumps(snapshot(result), indent=1, ensure_ascii=False) + "\n"


# pdfminer warns about harmless colour-space quirks of journal PDFs on every page.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def main() -> int:
    written = 0
    for expected in discover_expected(FIXTURES):
        path = snapshot_path(expected)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = render(expected)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written += 1
            print(f"updated {path.relative_to(ROOT.parent)}")
    print(f"{written} snapshot(s) changed; review them with `git diff tests/golden/snapshots`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
