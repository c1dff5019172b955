"""Typed evidence recall, typed recall and precision per paper, against the gold files.

    .venv/bin/python benchmarks/evidence_accuracy.py [--corpus ../shared/corpus] \
        [--out benchmarks/results] [--detail PAPER]

Gold: tests/fixtures/evidence/*.evidence.json (format in FORMAT.md there). PDFs are
looked up in tests/fixtures/corpus/, tests/fixtures/tables/journal/ and ``--corpus``
(for papers whose licence keeps them out of the repository; those are skipped, and
listed, when the folder is not given). Development and held-out papers are reported
apart. The evidence stage's share of extraction time is measured on the same papers.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from litcurate.evaluation.evidence_accuracy import (  # noqa: E402
    PaperScore,
    discover_gold,
    population_facts,
    score_paper,
)
from litcurate.extractors.evidence.outcomes import grid_to_outcomes  # noqa: E402
from litcurate.extractors.pdf.reader import read_pdf  # noqa: E402
from litcurate.extractors.tables.extract import extract_tables  # noqa: E402

GOLD = ROOT / "tests" / "fixtures" / "evidence"
FOLDERS = (ROOT / "tests" / "fixtures" / "corpus",
           ROOT / "tests" / "fixtures" / "tables" / "journal")


def find_pdf(name: str, corpus: Path | None) -> Path | None:
    for folder in (*FOLDERS, *([corpus] if corpus else [])):
        if (folder / name).exists():
            return folder / name
    return None


def run(corpus: Path | None, detail: str) -> tuple[list[PaperScore], list[str], dict[str, float]]:
    scores: list[PaperScore] = []
    skipped: list[str] = []
    timing = {"tables": 0.0, "evidence": 0.0}
    for gold in discover_gold(GOLD):
        pdf = find_pdf(gold.pdf, corpus)
        if pdf is None:
            skipped.append(gold.pdf)
            continue
        started = time.perf_counter()
        tables = extract_tables(read_pdf(pdf), pdf.stem)
        middle = time.perf_counter()
        results = [grid_to_outcomes("p", t) for t in tables.tables]
        outcomes = [o for r in results for o in r.outcomes]
        outcomes += population_facts(p for r in results for p in r.populations)
        timing["tables"] += middle - started
        timing["evidence"] += time.perf_counter() - middle
        labels = {t.table.table_id: t.table.label for t in tables.tables}
        score = score_paper(gold, outcomes, labels)
        scores.append(score)
        if detail and detail in gold.name:
            print_detail(score)
    return scores, skipped, timing


def print_detail(score: PaperScore) -> None:
    for table in score.tables:
        print(f"== {score.name} {table.label}: {table.found}/{table.gold} found, "
              f"{table.typed} typed, {table.correct_extracted}/{table.extracted} precise")
        for fact in table.missed:
            print(f"   missed   {fact.row!r:40} {fact.column[:30]!r:32} {fact.raw!r} "
                  f"{fact.statistic} {fact.numbers}")
        for fact, got in table.mistyped:
            print(f"   mistyped {fact.row!r:40} {fact.raw!r} gold={fact.statistic} got={got}")
        for record in table.extra:
            print(f"   extra    {' / '.join((*record.row_path, record.row_label))!r:40} "
                  f"{record.header[:30]!r:32} {record.raw_text!r} {record.statistic.value}")


def table_markdown(scores: list[PaperScore], split: str) -> list[str]:
    lines = ["| paper | tables | gold facts | recall | typed recall | precision |",
             "|---|---|---|---|---|---|"]
    for s in scores:
        if s.split != split:
            continue
        gold = sum(t.gold for t in s.tables)
        lines.append(f"| {s.name} | {len(s.tables)} | {gold} | {s.recall:.3f} | "
                     f"{s.typed_recall:.3f} | {s.precision:.3f} |")
    return lines


def main() -> None:
    logging.disable(logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--detail", default="")
    args = parser.parse_args()
    scores, skipped, timing = run(args.corpus, args.detail)
    share = timing["evidence"] / (timing["tables"] + timing["evidence"] or 1.0)
    text = ["# Typed evidence accuracy", "",
            "Command: `.venv/bin/python benchmarks/evidence_accuracy.py --corpus ../shared/corpus"
            " --out benchmarks/results`", "",
            "## Development papers", "", *table_markdown(scores, "development"), "",
            "## Held-out papers (not tuned on)", "", *table_markdown(scores, "heldout"), "",
            f"Evidence stage: {timing['evidence']:.2f} s against {timing['tables']:.2f} s for "
            f"reading and tables ({share:.1%} of the two).", ""]
    if skipped:
        text += [f"Skipped (PDF not found; pass --corpus): {', '.join(skipped)}", ""]
    print("\n".join(text))
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "evidence_accuracy.md").write_text("\n".join(text), encoding="utf-8")
        (args.out / "evidence_accuracy.json").write_text(json.dumps([{
            "paper": s.name, "split": s.split, "recall": round(s.recall, 4),
            "typed_recall": round(s.typed_recall, 4), "precision": round(s.precision, 4),
            "tables": [{"label": t.label, "gold": t.gold, "found": t.found, "typed": t.typed,
                        "extracted": t.extracted, "precise": t.correct_extracted}
                       for t in s.tables]} for s in scores], indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
