"""Table recovery on the fixture corpus: accuracy per table and layout, baseline, speed.

    .venv/bin/python benchmarks/table_accuracy.py [--repeat 3] [--out benchmarks/results]
        [--fixtures tests/fixtures/tables] [--corpus DIR]

For every expected-grid file under ``--fixtures`` (tests/fixtures/tables/ by default;
tests/fixtures/tables_corpus/ holds the real papers annotated for measurement) it
scores litcurate's tables and, beside them, pdfplumber's default ``extract_tables()``
on the same pages (the baseline; for each expected table the best-scoring pdfplumber
table of each page). Tables are listed and totalled per split, so the held-out files
(kept aside from tuning) are reported apart from the development ones. Speed compares
litcurate's read + table extraction with pdfplumber's bare parsing of the same pages
(open + chars + words), best of ``--repeat`` runs. Results are printed and written as
Markdown and JSON, named after the fixture folder (table_accuracy.md for the default,
table_accuracy_corpus.md for tables_corpus), so one run never overwrites another's.

A PDF that is not where its file's ``pdf`` path points (a paper whose licence keeps it
out of the repository) is looked for by name in ``--corpus``; a paper found nowhere is
listed under "Skipped" with the reason, and the others are scored as usual.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pdfplumber

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timing import best_of  # noqa: E402  (beside this script)

from litcurate.evaluation.table_accuracy import (  # noqa: E402
    CorpusScore,
    ExpectedFile,
    ExpectedTable,
    TableScore,
    discover_expected,
    locate_pdfs,
    missing,
    score_grid,
    score_tables,
)
from litcurate.extractors.pdf.reader import read_pdf  # noqa: E402
from litcurate.extractors.tables.extract import extract_tables  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "tables"


def bare_parse(pdf: Path) -> None:
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            _ = page.chars
            page.extract_words()


def litcurate_tables(pdf: Path) -> None:
    extract_tables(read_pdf(pdf), pdf.stem)


def baseline_score(pdf: Path, table: ExpectedTable) -> TableScore:
    """pdfplumber's default extract_tables() on the table's pages, best table per page."""
    rows: list[list[str]] = []
    with pdfplumber.open(pdf) as document:
        for number in table.pages:
            candidates = document.pages[number - 1].extract_tables()
            best: list[list[str]] = []
            best_correct = -1
            for candidate in candidates:
                grid = [[cell or "" for cell in row] for row in candidate]
                correct = score_grid(table, grid, None).correct
                if correct > best_correct:
                    best, best_correct = grid, correct
            rows.extend(best)
    if not rows:
        return missing(table)
    return score_grid(table, rows, None)


def run(files: Sequence[ExpectedFile], repeat: int) -> dict[str, Any]:
    per_table: list[dict[str, Any]] = []
    pages = 0
    bare_seconds = ours_seconds = 0.0
    for expected in files:
        result = extract_tables(read_pdf(expected.pdf), expected.pdf.stem)
        ours = score_tables(expected, result)
        with pdfplumber.open(expected.pdf) as document:
            pages += len(document.pages)
        bare_seconds += best_of(repeat, lambda p=expected.pdf: bare_parse(p))
        ours_seconds += best_of(repeat, lambda p=expected.pdf: litcurate_tables(p))
        for table, score in zip(expected.tables, ours, strict=True):
            base = baseline_score(expected.pdf, table)
            per_table.append({
                "file": expected.name, "producer": expected.producer, "split": expected.split,
                "table": table.label,
                "layouts": list(table.layouts), "cells": score.cells,
                "correct": score.correct, "accuracy": round(score.accuracy, 4),
                "header_right": score.header_paths_equal, "found": score.found,
                "baseline_correct": base.correct, "baseline_accuracy": round(base.accuracy, 4),
            })
    return {
        "tables": per_table,
        "pages": pages,
        "bare_parse_seconds": round(bare_seconds, 3),
        "litcurate_seconds": round(ours_seconds, 3),
        "pages_per_second": round(pages / ours_seconds, 1) if ours_seconds else None,
        "cost_ratio": round(ours_seconds / bare_seconds, 2) if bare_seconds else None,
    }


def group(rows: Sequence[dict[str, Any]], key: str) -> dict[str, tuple[CorpusScore, float]]:
    """Totals per producer or per layout tag: ours, and the baseline's accuracy."""
    buckets: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        names = row[key] if isinstance(row[key], list) else [row[key]]
        for name in names:
            buckets[name].append(row)
    out: dict[str, tuple[CorpusScore, float]] = {}
    for name, items in sorted(buckets.items()):
        score = CorpusScore(tables=len(items), cells=sum(i["cells"] for i in items),
                            correct=sum(i["correct"] for i in items),
                            headers_right=sum(i["header_right"] for i in items),
                            found=sum(i["found"] for i in items))
        cells = score.cells or 1
        out[name] = (score, sum(i["baseline_correct"] for i in items) / cells)
    return out


def table_lines(rows: Sequence[dict[str, Any]]) -> list[str]:
    """One line per table: ours beside the baseline."""
    lines = ["| file | table | cells | litcurate | header | pdfplumber baseline |",
             "|---|---|---:|---:|:---:|---:|"]
    for r in rows:
        lines.append(f"| {r['file']} | {r['table']} | {r['cells']} | {r['accuracy']:.1%} | "
                     f"{'yes' if r['header_right'] else 'no'} | {r['baseline_accuracy']:.1%} |")
    return lines


def total_line(name: str, rows: Sequence[dict[str, Any]]) -> str:
    if not rows:
        return f"- {name}: no tables scored"
    score, base = group([{**r, "all": name} for r in rows], "all")[name]
    worst = min(r["accuracy"] for r in rows)
    return (f"- {name}: {score.tables} tables (found {score.found}), {score.cells} cells; "
            f"litcurate {score.accuracy:.2%} (lowest table {worst:.1%}), headers right "
            f"{score.headers_right}/{score.tables}; pdfplumber baseline {base:.2%}")


def markdown(report: dict[str, Any], title: str) -> str:
    rows = report["tables"]
    splits = sorted({r["split"] for r in rows})
    lines = [f"# {title}", ""]
    for split in splits:
        lines += [f"## {split.capitalize()} tables", "",
                  *table_lines([r for r in rows if r["split"] == split]), ""]
    for key, name in (("split", "split"), ("producer", "producer"), ("layouts", "layout")):
        lines += [f"## By {name}", "",
                  f"| {name} | tables | cells | litcurate | headers right | baseline |",
                  "|---|---:|---:|---:|---:|---:|"]
        for bucket, (score, base) in group(rows, key).items():
            lines.append(f"| {bucket} | {score.tables} | {score.cells} | {score.accuracy:.1%} | "
                         f"{score.headers_right}/{score.tables} | {base:.1%} |")
        lines.append("")
    lines += ["## Totals", ""]
    lines += [total_line(split, [r for r in rows if r["split"] == split]) for split in splits]
    lines += [total_line("all", rows),
              f"- pages: {report['pages']}; litcurate read + tables: "
              f"{report['litcurate_seconds']} s ({report['pages_per_second']} pages/s); "
              f"pdfplumber bare parse: {report['bare_parse_seconds']} s; "
              f"cost ratio: {report['cost_ratio']}x", ""]
    if report.get("skipped"):
        lines += ["## Skipped", "", *(f"- {s['file']}: {s['reason']}" for s in report["skipped"]),
                  ""]
    return "\n".join(lines)


def shown(folder: Path) -> Path:
    """The folder as the report names it: relative to the repository when inside it."""
    resolved = folder.resolve()
    return resolved.relative_to(ROOT) if resolved.is_relative_to(ROOT) else folder


def result_stem(fixtures: Path) -> str:
    """table_accuracy for the default fixtures, table_accuracy_<suffix> for tables_<suffix>."""
    if fixtures.resolve() == FIXTURES.resolve():
        return "table_accuracy"
    return "table_accuracy_" + fixtures.resolve().name.removeprefix("tables_")


# pdfminer warns about harmless colour-space quirks of journal PDFs on every page.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=3, help="timing runs per file (best kept)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results",
                        help="directory for the Markdown and JSON results")
    parser.add_argument("--fixtures", type=Path, default=FIXTURES,
                        help="folder of expected-grid files (default tests/fixtures/tables)")
    parser.add_argument("--corpus", type=Path, default=None,
                        help="folder of PDFs kept outside the repository, found by file name")
    args = parser.parse_args(argv)
    found, skipped = locate_pdfs(discover_expected(args.fixtures), args.corpus)
    report = run(found, args.repeat)
    report["skipped"] = [{"file": f.name, "reason": why} for f, why in skipped]
    stem = result_stem(args.fixtures)
    text = markdown(report, f"Table recovery on {shown(args.fixtures)}")
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{stem}.md").write_text(text, encoding="utf-8")
    (args.out / f"{stem}.json").write_text(
        json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
