"""Peak memory and time of ``litcurate extract`` on long generated papers.

    .venv/bin/python benchmarks/memory_scale.py [--pages 100 500] [--runs 3]
        [--root PATH_TO_A_CHECKOUT ...]

Builds one deterministic paper per page count with reportlab: every page has a
12 pt running head, two columns of 9 pt prose (about 6,000 characters) and, every
fourth page, a captioned table drawn with rules, so each page costs what a journal
page costs. Each run is one fresh ``litcurate extract`` process; its peak RSS comes
from the kernel's accounting of that child (``wait4``). With several ``--root``
checkouts the runs are interleaved (root A, root B, root A, ...) and the median of
each is printed, so a before/after comparison shares the same machine noise; the
first run's CSVs are compared byte for byte across checkouts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
SENTENCES = (
    "Patients were randomised to early surgery or to watchful waiting after diagnosis.",
    "The primary outcome was overall survival at five years, assessed by blinded reviewers.",
    "Adverse events of grade three or higher occurred in a minority of the participants.",
    "Median follow-up was 41 months (interquartile range 30 to 55) in both groups.",
    "The hazard ratio for death was 0.78 with a 95% confidence interval of 0.61 to 0.99.",
    "Quality of life scores did not differ between the arms at any scheduled visit.",
    "We recommend that future trials report outcomes by stage and by tumour grade.",
)
COLUMN_CHARS = 52
LINE_STEP = 11.0


def prose_lines(page: int, count: int) -> list[str]:
    """``count`` lines of about ``COLUMN_CHARS`` characters, different on every page."""
    words = " ".join(SENTENCES[(page + i) % len(SENTENCES)] for i in range(count)).split()
    lines: list[str] = []
    current = ""
    for word in words:
        if current and len(current) + 1 + len(word) > COLUMN_CHARS:
            lines.append(current)
            current = word
            if len(lines) == count:
                break
        else:
            current = f"{current} {word}".strip()
    return lines


def draw_table(pdf: canvas.Canvas, page: int, top: float) -> float:
    """A ruled three-column results table under its caption; returns the y below it."""
    pdf.setFont("Helvetica-Bold", 9)
    pdf.drawString(54, top, f"Table {page // 4 + 1}. Outcomes by arm at page {page}")
    rows = [("Outcome", "Surgery (n = 120)", "Waiting (n = 118)")]
    rows += [(f"Outcome {k}", f"{30 + (page + k) % 40} ({k + 10}%)",
              f"{25 + (page * k) % 35} ({k + 8}%)") for k in range(1, 9)]
    y = top - 8
    pdf.line(54, y, 558, y)
    pdf.setFont("Helvetica", 9)
    for index, row in enumerate(rows):
        y -= LINE_STEP + 2
        for x, text in zip((58, 250, 420), row, strict=True):
            pdf.drawString(x, y, text)
        if index == 0:
            pdf.line(54, y - 4, 558, y - 4)
    pdf.line(54, y - 4, 558, y - 4)
    return y - 24


def build_long_paper(path: Path, pages: int) -> Path:
    """A ``pages``-page journal-like paper (deterministic bytes)."""
    pdf = canvas.Canvas(str(path), pagesize=letter, invariant=1)
    _, height = letter
    for page in range(1, pages + 1):
        pdf.setFont("Times-Roman", 12)
        pdf.drawString(54, height - 40, f"Long guideline supplement - page {page}")
        top = height - 72
        if page % 4 == 0:
            top = draw_table(pdf, page, top)
        count = int((top - 60) // LINE_STEP)
        pdf.setFont("Times-Roman", 9)
        for column, x in enumerate((54, 318)):
            y = top
            for line in prose_lines(page + column, count):
                pdf.drawString(x, y, line)
                y -= LINE_STEP
        pdf.showPage()
    pdf.save()
    return path


def measure(root: Path, pdf: Path, out: Path) -> tuple[float, float]:
    """One fresh ``litcurate extract`` with ``root`` first on the path: (peak MB, seconds)."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    command = [PYTHON, "-c", "from litcurate.pipeline.cli.app import app; app()",
               "extract", str(pdf), "--out", str(out)]
    start = time.perf_counter()
    child = subprocess.Popen(command, env=env, cwd=root, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"extract failed under {root} on {pdf.name}")
    return usage.ru_maxrss / 1024, seconds


def same_csvs(left: Path, right: Path) -> bool:
    """Whether two ``extract`` output folders hold the same files with the same bytes."""
    names = sorted(p.name for p in left.iterdir())
    return names == sorted(p.name for p in right.iterdir()) and all(
        (left / n).read_bytes() == (right / n).read_bytes() for n in names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[100, 500])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--root", type=Path, action="append",
                        help="checkout to measure (repeat to compare); default: this one")
    args = parser.parse_args()
    roots = [r.resolve() for r in args.root] if args.root else [ROOT]
    with tempfile.TemporaryDirectory(prefix="litcurate-memory-") as scratch:
        base = Path(scratch)
        print("| pages | checkout | peak RSS MB (median) | s (median) | runs (MB) |")
        print("|---|---|---|---|---|")
        for pages in args.pages:
            pdf = build_long_paper(base / f"long-{pages}.pdf", pages)
            results: dict[Path, list[tuple[float, float]]] = {r: [] for r in roots}
            for run in range(args.runs):
                for index, root in enumerate(roots):
                    out = base / f"out-{pages}-{index}-{run}"
                    results[root].append(measure(root, pdf, out))
            first = [base / f"out-{pages}-{i}-0" for i in range(len(roots))]
            same = all(same_csvs(first[0], other) for other in first[1:])
            for root, samples in results.items():
                mbs = [mb for mb, _ in samples]
                seconds = statistics.median(s for _, s in samples)
                print(f"| {pages} | {root} | {statistics.median(mbs):.0f} | {seconds:.1f} | "
                      f"{', '.join(f'{mb:.0f}' for mb in mbs)} |", flush=True)
            if len(roots) > 1:
                print(f"| {pages} | CSVs identical across checkouts: {same} | | | |")


if __name__ == "__main__":
    main()
