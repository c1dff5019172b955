"""A corpus of a few hundred PDFs through the real flow: cold, parallel and cached runs.

    .venv/bin/python benchmarks/corpus_scale.py [--papers 200] [--out benchmarks/results]

Builds the corpus in a temporary folder from the sample papers and the table fixtures
(every copy made byte-distinct, so nothing is deduplicated), then measures with a
fresh extraction cache each time:

- a cold run on 1 worker and on 2 workers: wall time, pages/s, the speed-up, and the
  peak RSS of each worker process;
- a cached re-run (nothing changed): its share of the cold time;
- Prefect's own overhead apart from extraction: flow start to first task, and the cost
  of one task on the thread runner (no-op tasks), plus orchestration's share of a run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from litcurate.pipeline.environment import configure_prefect  # noqa: E402
from tests.hostile_pdfs import build_text_pdf, build_variant  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures"  # the golden corpus the metrics card is measured on
CORPUS_PDFS = [ROOT / "data" / "raw"]  # where its annotated sample papers are
SEEDS = sorted([*(ROOT / "data" / "raw").glob("*.pdf"),
                *(ROOT / "tests" / "fixtures" / "tables").rglob("*.pdf")])
TITLES = ["Radioembolisation of liver metastases", "Chemoembolisation in carcinoid disease",
          "Resection after somatostatin analogues", "Ablation of small pancreatic lesions",
          "Transplantation for unresectable disease"]


def build_corpus(folder: Path, papers: int) -> None:
    """``papers`` PDFs: the seeds in turn (byte-distinct copies) and generated papers."""
    folder.mkdir(parents=True)
    for n in range(papers):
        if n % 10 == 9:  # every tenth: a generated paper with its own text
            build_text_pdf(folder / f"generated-{n:03d}.pdf",
                           title=f"{TITLES[n % len(TITLES)]} ({n})", paragraphs=2 + n % 5)
        else:
            seed = SEEDS[n % len(SEEDS)]
            build_variant(seed, folder / f"{seed.stem}-{n:03d}.pdf", n)


def timed_run(raw: Path, curated: Path, workers: int) -> dict[str, Any]:
    from litcurate.pipeline.execution.runners import thread_runner
    from litcurate.pipeline.flow import curate

    start = time.perf_counter()
    summary = curate.with_options(task_runner=thread_runner(workers))(
        raw_dir=raw, curated_dir=curated, publish=True, metrics_corpus=CORPUS,
        metrics_pdfs=CORPUS_PDFS)
    wall = time.perf_counter() - start
    pages = sum(e.paper.pages for e in summary.extractions)
    stats = list(summary.stats.values())
    by_worker: dict[int, float] = {}
    for s in stats:
        by_worker[s.worker_pid] = max(by_worker.get(s.worker_pid, 0.0), s.peak_rss_mb)
    in_workers = sum(s.seconds for s in stats)
    return {
        "workers": workers,
        "papers": len(summary.extractions) + len(summary.failures),
        "extracted": len(stats),
        "cached": len(summary.cached),
        "failed": len(summary.failures),
        "pages": pages,
        "wall_s": round(wall, 2),
        "pages_per_s": round(pages / wall, 2) if wall else 0.0,
        "extraction_s_in_workers": round(in_workers, 2),
        "orchestration_share": (round(1 - in_workers / (wall * workers), 3)
                                if stats and wall else None),
        "worker_processes": len(by_worker),
        "peak_rss_mb_per_worker": sorted(round(v, 1) for v in by_worker.values()),
        "flow_process_peak_rss_mb": round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "published": summary.publish.version if summary.publish else None,
    }


def prefect_overhead(tasks: int = 200) -> dict[str, float]:
    """Orchestration alone: no-op tasks on the same runner the flow uses."""
    from prefect import flow, task
    from prefect.cache_policies import NO_CACHE

    from litcurate.pipeline.execution.runners import thread_runner

    marks: list[float] = []

    @task(cache_policy=NO_CACHE)
    def noop() -> None:
        marks.append(time.perf_counter())

    @flow(task_runner=thread_runner(2))  # type: ignore[arg-type]
    def first_task() -> None:
        noop.submit().result()

    @flow(task_runner=thread_runner(2))  # type: ignore[arg-type]
    def many() -> None:
        for future in [noop.submit() for _ in range(tasks)]:
            future.result()

    start = time.perf_counter()
    first_task()
    cold_first = marks[-1] - start
    start = time.perf_counter()
    first_task()
    warm_first = marks[-1] - start
    start = time.perf_counter()
    many()
    per_task = (time.perf_counter() - start) / tasks
    return {"flow_start_to_first_task_first_flow_s": round(cold_first, 3),
            "flow_start_to_first_task_s": round(warm_first, 3),
            "per_task_s": round(per_task, 4), "tasks": tasks}


def write(out: Path, results: dict[str, Any]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "corpus_scale.json").write_text(json.dumps(results, indent=2) + "\n")
    runs = results["runs"]
    lines = [
        "# Corpus at scale", "",
        f"{results['papers']} PDFs ({results['pages']} pages) built from {len(SEEDS)} seed PDFs "
        "(sample papers and table fixtures, byte-distinct copies) plus generated papers; "
        f"{results['cpus']} cores. `benchmarks/corpus_scale.py`.", "",
        "| run | workers | wall s | pages/s | extracted | cached | peak RSS per worker (MB) "
        "| orchestration share |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, run in runs.items():
        rss = run["peak_rss_mb_per_worker"]
        lines.append(
            f"| {name} | {run['workers']} | {run['wall_s']} | {run['pages_per_s']} | "
            f"{run['extracted']} | {run['cached']} | {max(rss) if rss else '-'} | "
            f"{run['orchestration_share'] if run['orchestration_share'] is not None else '-'} |")
    overhead = results["prefect_overhead"]
    lines += [
        "",
        f"- 2 workers vs 1 on the cold run: **{results['speedup_2_vs_1']}x**",
        f"- cached re-run: **{results['cached_share_of_cold'] * 100:.1f}%** of the cold "
        "2-worker time",
        f"- flow process peak RSS: {runs['cold-2']['flow_process_peak_rss_mb']} MB",
        f"- Prefect: flow start to first task {overhead['flow_start_to_first_task_s']} s "
        f"({overhead['flow_start_to_first_task_first_flow_s']} s for the first flow of a "
        f"process, which starts the temporary API), {overhead['per_task_s'] * 1000:.1f} ms "
        f"per task ({overhead['tasks']} no-op tasks)",
        "- orchestration share = 1 - (seconds spent extracting in workers) / "
        "(wall seconds x workers): everything that is not extraction (Prefect, hashing, "
        "cache, worker start-up, publishing, the metrics card lookup, idle tail).", "",
    ]
    (out / "corpus_scale.md").write_text("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=200)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="litcurate-scale-") as scratch:
        base = Path(scratch)
        home = base / "home"
        os.environ["LITCURATE_HOME"] = str(home)
        os.environ.pop("PREFECT_API_URL", None)
        configure_prefect()
        from litcurate.evaluation.metrics_card import metrics_card

        # Measured once per code version; not timed here.
        metrics_card(home / "metrics", CORPUS, CORPUS_PDFS)
        raw = base / "raw"
        build_corpus(raw, args.papers)
        overhead = prefect_overhead()
        runs: dict[str, Any] = {}
        for name, workers in (("cold-1", 1), ("cold-2", 2), ("cached-2", 2)):
            if name.startswith("cold"):
                shutil.rmtree(home / "extractions", ignore_errors=True)
            curated = base / f"curated-{name}" if name != "cached-2" else base / "curated-cold-2"
            runs[name] = timed_run(raw, curated, workers)
            print(name, runs[name], flush=True)
    results = {
        "papers": args.papers, "pages": runs["cold-2"]["pages"], "cpus": os.cpu_count(),
        "runs": runs, "prefect_overhead": overhead,
        "speedup_2_vs_1": round(runs["cold-1"]["wall_s"] / runs["cold-2"]["wall_s"], 2),
        "cached_share_of_cold": round(runs["cached-2"]["wall_s"] / runs["cold-2"]["wall_s"], 4),
    }
    write(args.out, results)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
