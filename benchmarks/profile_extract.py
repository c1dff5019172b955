"""Where in-process extraction spends its time: pages/s and a cProfile of the whole chain.

    .venv/bin/python benchmarks/profile_extract.py [--runs 3] [--top 15]
        [--root PATH_TO_A_CHECKOUT ...]

Runs ``extract_paper`` (read, tables, evidence, text layer, statements) over the
sample papers in ``data/raw/``, the journal table fixtures and the development corpus
in ``tests/fixtures/corpus/`` (when present), in fresh processes with each checkout
first on the path. Pages/s is the median of ``--runs`` unprofiled passes, the
checkouts' passes interleaved so they share the machine's noise; the profile is one
more pass under cProfile: its top entries by own time, then the stages' and line
grouping's entries by cumulative time (``--runs 0``: the profiles only).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
# Stage and line-grouping entries shown by cumulative time after the top entries.
STAGES = (r"(stage_chain.py:\d+\(extract_paper|reader.py:\d+\(read_pdf|"
          r"extract.py:\d+\(extract_tables|word_segments.py:\d+\((words_to_layout_lines|"
          r"_line_for_mark))\)")


def corpus_pdfs() -> list[Path]:
    """The profiled files, in a stable order."""
    return sorted([*(ROOT / "data" / "raw").glob("*.pdf"),
                   *(FIXTURES / "tables" / "journal").glob("*.pdf"),
                   *(FIXTURES / "corpus").glob("*.pdf")])


def extract_all(pdfs: list[Path]) -> int:
    """Extract every PDF in this process; returns the pages read."""
    from litcurate.extractors.stage_chain import PaperSource, extract_paper

    pages = 0
    for pdf in pdfs:
        extraction = extract_paper(PaperSource(path=pdf, sha256="0" * 64))
        pages += extraction.paper.pages
    return pages


def worker(mode: str, top: int) -> None:
    """One pass in this process: ``time`` prints pages and seconds, ``profile`` the table."""
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # as the command line does
    pdfs = corpus_pdfs()
    extract_all(pdfs[:1])  # imports, vocabularies and the language model: not timed
    if mode == "time":
        start = time.perf_counter()
        pages = extract_all(pdfs)
        print(json.dumps({"pages": pages, "seconds": time.perf_counter() - start}))
        return
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    extract_all(pdfs)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(STAGES)


def run_worker(root: Path, mode: str, top: int) -> str:
    env = {**os.environ, "PYTHONPATH": str(root)}
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", mode,
               "--top", str(top)]
    return subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True,
                          text=True).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--root", type=Path, action="append",
                        help="checkout to measure (repeat to compare); default: this one")
    parser.add_argument("--worker", choices=["time", "profile"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.top)
        return
    roots = [r.resolve() for r in args.root] if args.root else [ROOT]
    samples: dict[Path, list[dict[str, float]]] = {r: [] for r in roots}
    for _ in range(args.runs):
        for root in roots:
            output = run_worker(root, "time", args.top)
            samples[root].append(json.loads(output.strip().splitlines()[-1]))
    if args.runs:
        print(f"{len(corpus_pdfs())} PDFs, one process per pass, median of {args.runs} "
              "passes\n")
        print("| checkout | pages | pages/s (median) | passes (s) |")
        print("|---|---|---|---|")
    for root, runs in samples.items():
        if not runs:
            continue
        rate = statistics.median(r["pages"] / r["seconds"] for r in runs)
        print(f"| {root} | {int(runs[0]['pages'])} | {rate:.2f} | "
              f"{', '.join(format(r['seconds'], '.1f') for r in runs)} |")
    for root in roots:
        print(f"\n## cProfile, {root}\n\n```")
        print(run_worker(root, "profile", args.top).strip())
        print("```")


if __name__ == "__main__":
    main()
