"""Guideline statements against the annotated set: detection, fields, speed.

    .venv/bin/python benchmarks/statement_accuracy.py [--out benchmarks/results] \
        [--heldout-corpus ../shared/corpus]

For every tests/fixtures/statements/*.statements.expected.json it runs the statement
stage on the paper (tables excluded from the prose as in the flow) and reports, per
paper and apart for the papers the rules were written against and the development set
(papers annotated without looking at the extractor): core recall, soft and optional
recall, precision (a detection is right when it is an annotated statement of any tier,
wrong when it is a trap or nothing annotated), traps hit, per-field accuracy on the
matches, the misses and false alarms, and pages per second of the statement stage
(text layer + NLP + rules, the spaCy pipeline built once beforehand): over all the papers
once, and on the sample paper alone as the median of several runs, with the machine's
load average beside it (the machine is shared, so the load says how far to trust it).

The held-out gold (tests/fixtures/statements/heldout/) is scored only when
``--heldout-corpus`` names the folder holding those papers' PDFs (their licences keep
them out of the repository); without it the files are listed as skipped. Held-out papers
are reported in their own section, per paper and overall, and by figures only: the
sentences missed or wrongly detected are counted but not printed, so that reading the
report does not turn into tuning on papers that must stay unseen. They are not part of
the speed figures, which stay comparable between runs with and without the option.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from litcurate.evaluation.metrics_card import find_corpus_pdf  # noqa: E402
from litcurate.evaluation.statement_accuracy import (  # noqa: E402
    FIELDS,
    TIERS,
    StatementScore,
    load_annotations,
    score_statements,
)
from litcurate.extractors.pdf.reader import read_pdf  # noqa: E402
from litcurate.extractors.statements.detection import extract_statements  # noqa: E402
from litcurate.extractors.statements.nlp import build_nlp  # noqa: E402
from litcurate.extractors.tables.extract import extract_tables  # noqa: E402
from litcurate.extractors.text.layer import document_to_layer  # noqa: E402

ANNOTATIONS = ROOT / "tests" / "fixtures" / "statements"
HELDOUT = ANNOTATIONS / "heldout"
PDF_FOLDERS = (ROOT / "data" / "raw", ROOT / "tests" / "fixtures" / "tables" / "journal",
               ROOT / "tests" / "fixtures" / "corpus")
SAMPLE_PAPER = ROOT / "data" / "raw" / "dermine2019_review.pdf"
SAMPLE_RUNS = 7
RULE_PAPERS = ("dermine2019_review", "bmcpublichealth2016_ide_tea_gargling_influenza_meta",
               "bmcmed2014_dodd_limit_antenatal_diet_rct")
# pdfminer warns about harmless colour-space quirks of journal PDFs on every page.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def _summary(score: StatementScore) -> dict[str, Any]:
    return {"core": score.annotated, "detected": score.detected, "core_found": score.matched,
            "precision": round(score.precision, 3), "core_recall": round(score.recall, 3),
            **{f"{tier}_recall": round(score.tier_recall(tier), 3) for tier in TIERS},
            **{f"{tier}_annotated": score.tiers[tier][0] for tier in TIERS},
            "traps_hit": score.traps_hit,
            **{f"{name}_accuracy": round(score.field_accuracy(name), 3) for name in FIELDS}}


def sample_speed(nlp: Any, runs: int = SAMPLE_RUNS) -> dict[str, Any]:
    """Pages per second of the statement stage on the sample paper: median of ``runs``."""
    document = read_pdf(SAMPLE_PAPER)
    exclusions = extract_tables(document, SAMPLE_PAPER.stem).exclusions
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        extract_statements(SAMPLE_PAPER.stem, document_to_layer(document, exclusions), nlp)
        seconds.append(time.perf_counter() - start)
    median = statistics.median(seconds)
    return {"pdf": SAMPLE_PAPER.name, "pages": document.n_pages, "runs": runs,
            "median_seconds": round(median, 3),
            "pages_per_second": round(document.n_pages / median, 1),
            "load_average_1min": round(os.getloadavg()[0], 2), "cpus": os.cpu_count()}


def score_paper(path: Path, pdf: Path, nlp: Any) -> tuple[StatementScore, int, float]:
    """One annotated paper: its score, its page count and the statement stage's seconds."""
    annotated = load_annotations(path)
    document = read_pdf(pdf)
    tables = extract_tables(document, pdf.stem)
    start = time.perf_counter()
    layer = document_to_layer(document, tables.exclusions)
    result = extract_statements(pdf.stem, layer, nlp)
    seconds = time.perf_counter() - start
    score = score_statements(annotated.statements, result.statements, result.criteria,
                             annotated.traps)
    return score, document.n_pages, seconds


def heldout_files() -> list[Path]:
    """The held-out gold files; each must say so (``"heldout": true``), so a development
    file moved here by mistake is caught rather than silently scored as held-out."""
    paths = sorted(HELDOUT.glob("*.statements.expected.json"))
    for path in paths:
        if json.loads(path.read_text(encoding="utf-8")).get("heldout") is not True:
            raise ValueError(f"{path.name} is in {HELDOUT.name}/ without \"heldout\": true")
    return paths


def run_heldout(nlp: Any, corpus: Path | None) -> dict[str, Any]:
    """Figures for the held-out papers (counts only, no sentences), or why each was skipped."""
    total = StatementScore()
    papers: list[dict[str, Any]] = []
    skipped: list[dict[str, str]] = []
    for path in heldout_files():
        name = load_annotations(path).pdf
        pdf = find_corpus_pdf(name, [corpus]) if corpus else None
        if pdf is None:
            why = f"not found in {corpus}" if corpus else "no --heldout-corpus given"
            skipped.append({"pdf": name, "reason": why})
            continue
        score, _, _ = score_paper(path, pdf, nlp)
        total.add(score)
        papers.append({"pdf": name, "group": "heldout", **_summary(score),
                       "misses": len(score.misses), "false_alarms": len(score.false_alarms),
                       "field_errors": len(score.field_errors)})
    return {"corpus": str(corpus) if corpus else None, "papers": papers, "skipped": skipped,
            "all": _summary(total) if papers else None}


def run(heldout_corpus: Path | None = None) -> dict[str, Any]:
    nlp = build_nlp()
    totals = {"rule_papers": StatementScore(), "development_set": StatementScore()}
    papers: list[dict[str, Any]] = []
    pages = 0
    seconds = 0.0
    for path in sorted(ANNOTATIONS.glob("*.statements.expected.json")):
        name = load_annotations(path).pdf
        pdf = find_corpus_pdf(name, PDF_FOLDERS)
        if pdf is None:
            raise FileNotFoundError(name)
        score, n_pages, stage_seconds = score_paper(path, pdf, nlp)
        pages += n_pages
        seconds += stage_seconds
        group = "rule_papers" if pdf.stem in RULE_PAPERS else "development_set"
        totals[group].add(score)
        papers.append({"pdf": name, "group": group, **_summary(score),
                       "misses": score.misses, "false_alarms": score.false_alarms,
                       "field_errors": score.field_errors})
    return {"papers": papers, **{name: _summary(total) for name, total in totals.items()},
            "heldout": run_heldout(nlp, heldout_corpus),
            "pages": pages, "seconds": round(seconds, 3),
            "pages_per_second": round(pages / seconds, 1) if seconds else None,
            "sample": sample_speed(nlp)}


HEADER = ("| paper | group | core | detected | precision | core recall | soft recall | "
          "optional recall | traps hit | direction | intervention | population | criteria |")
ALIGN = "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"


def _row(p: dict[str, Any]) -> str:
    return (f"| {p['pdf']} | {p['group']} | {p['core']} | {p['detected']} | "
            f"{p['precision']:.2f} | {p['core_recall']:.2f} | {p['soft_recall']:.2f} | "
            f"{p['optional_recall']:.2f} | {p['traps_hit']} | "
            f"{p['direction_accuracy']:.2f} | {p['intervention_accuracy']:.2f} | "
            f"{p['population_accuracy']:.2f} | {p['criteria_accuracy']:.2f} |")


def heldout_markdown(heldout: dict[str, Any]) -> list[str]:
    """The held-out section: per paper and overall figures, misses and false alarms as
    counts only, and the papers skipped with the reason."""
    lines = ["## Held-out papers (never tuned on)", "",
             "Annotated without looking at the extractor and never used to tune it "
             "(tests/fixtures/statements/README.md). Figures only: the sentences behind the "
             "misses and false alarms are not printed.", ""]
    if heldout["papers"]:
        lines += [HEADER + " misses | false alarms | field errors |",
                  ALIGN + "---:|---:|---:|"]
        for p in heldout["papers"]:
            lines.append(_row(p) + f" {p['misses']} | {p['false_alarms']} | "
                                   f"{p['field_errors']} |")
        lines.append(_row({"pdf": "**all held-out papers**", "group": "heldout",
                           **heldout["all"]}) + " | | |")
        lines += ["", f"PDFs read from {heldout['corpus']}."]
    for skipped in heldout["skipped"]:
        lines.append(f"- skipped {skipped['pdf']}: {skipped['reason']}")
    return [*lines, ""]


def markdown(report: dict[str, Any]) -> str:
    lines = ["# Statements against the annotated set", "",
             "Core recall, precision (any annotated tier counts as right; traps and "
             "unannotated sentences as wrong), soft and optional recall, traps hit, and field "
             "accuracy on the matches.", "", "## Rule papers and development set", "",
             HEADER, ALIGN]
    rows = [*report["papers"], {"pdf": "**all rule papers**", "group": "rule_papers",
                                **report["rule_papers"]},
            {"pdf": "**all development set**", "group": "development_set",
             **report["development_set"]}]
    lines += [_row(p) for p in rows]
    lines += ["", f"- speed: {report['pages']} pages in {report['seconds']} s "
              f"({report['pages_per_second']} pages/s, statement stage only)"]
    sample = report["sample"]
    lines += [f"- speed on the sample paper ({sample['pdf']}): {sample['pages']} pages, "
              f"median of {sample['runs']} runs {sample['median_seconds']} s "
              f"({sample['pages_per_second']} pages/s, statement stage only; load average "
              f"{sample['load_average_1min']} on {sample['cpus']} CPUs)", ""]
    for p in report["papers"]:
        for kind in ("misses", "false_alarms", "field_errors"):
            for text in p[kind]:
                lines.append(f"- {p['pdf']} {kind[:-2] if kind.endswith('es') else kind}: "
                             f"{text[:140]}")
    lines += ["", *heldout_markdown(report["heldout"])]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--heldout-corpus", type=Path, default=None, metavar="DIR",
                        help="folder holding the held-out papers' PDFs; without it they are "
                             "listed as skipped")
    args = parser.parse_args(argv)
    report = run(args.heldout_corpus)
    text = markdown(report)
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "statement_accuracy.md").write_text(text, encoding="utf-8")
    (args.out / "statement_accuracy.json").write_text(
        json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
