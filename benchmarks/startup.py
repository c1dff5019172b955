"""Time to first paper: a cold ``litcurate run`` of the sample papers on a fresh home.

    .venv/bin/python benchmarks/startup.py [--runs 3] [--root CHECKOUT ...] [--raw DIR]
        [--no-metrics-corpus] [--no-floor] [--out benchmarks/results]

Each pass copies ``data/raw/`` (or ``--raw``) to a scratch folder and runs the real
command line (``litcurate run --metrics-corpus tests/fixtures``, as ``make run`` does) in a fresh
process with a fresh ``LITCURATE_HOME``: no Prefect database, no extraction cache, no
cached metrics card. The child times, by wrapping the functions that do the work:

- the interpreter and the command's imports;
- every start of the temporary Prefect API (how many, and how long each waited for
  the server's health check);
- extraction (the papers on the task runner, workers started cold), and each paper's
  own seconds as its worker measured them;
- the metrics card for the release (read from the shipped card, or measured);
- when the first papers were sent to a worker ahead of the flow (``head_start``);
- the first paper done (time to first paper), the command's return, and the
  process's exit (the temporary server stopped, the last logs sent);
- the overhead: wall time minus the papers' own worker seconds;
- the CPU seconds of the run and all the processes it waited for (user + system), and
  what they imply: no schedule on this machine's cores ends sooner than CPU / cores.

Between passes, Prefect's own floor on the same machine: a cold flow of two no-op
tasks on this checkout's in-process API (``--no-floor`` skips it).

Passes of several ``--root`` checkouts are interleaved; the figures are medians.
Writes ``startup.md`` and ``startup.json`` under ``--out``: one column per checkout.
"""

from __future__ import annotations

import argparse
import importlib.abc
import importlib.util
import json
import logging
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORES = os.cpu_count() or 1
CLOCK = time.monotonic()  # the child's zero: its interpreter has just started


def _timed(owner: Any, name: str, log: list[tuple[float, float]]) -> None:
    """Wrap ``owner.name`` so each call's (start, seconds) is appended to ``log``."""
    original = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.monotonic()
        try:
            return original(*args, **kwargs)
        finally:
            log.append((start - CLOCK, time.monotonic() - start))

    setattr(owner, name, wrapper)


class FirstDone(logging.Handler):
    """Records when the first paper was done, from the run's progress events."""

    def __init__(self) -> None:
        super().__init__()
        self.at: float | None = None

    def emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "event", None)
        if self.at is None and getattr(event, "stage", "") == "done":
            self.at = time.monotonic() - CLOCK


class AfterImport(importlib.abc.MetaPathFinder):
    """Calls ``then(module)`` once module ``name`` is imported, by the command itself:
    the timers never import it earlier than the command would."""

    def __init__(self, name: str, then: Callable[[Any], None]) -> None:
        self.name, self.then = name, then

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname != self.name:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        loader = spec.loader if spec is not None else None
        if loader is None:
            return spec
        execute = loader.exec_module

        def exec_module(module: Any) -> None:
            execute(module)
            self.then(module)

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def _time_in_process_api(starts: list[tuple[float, float]], module: Any) -> None:
    """Record the in-process API's start (launch to first answer), when the checkout
    serves its API from the run's own process."""
    api = module.InProcessApi
    original_start, original_wait = api.start, api.wait
    launched: dict[int, float] = {}

    def start(self: Any) -> None:
        launched[id(self)] = time.monotonic()
        original_start(self)

    def wait(self: Any, timeout: float) -> bool:
        ready = original_wait(self, timeout)
        if ready and id(self) in launched:
            began = launched.pop(id(self))
            starts.append((began - CLOCK, time.monotonic() - began))
        return ready

    api.start = start
    api.wait = wait


def _time_prefect_server(starts: list[tuple[float, float]], module: Any) -> None:
    """Record each start of Prefect's own temporary server (a fallback, or an older
    checkout's way)."""
    server = module.SubprocessASGIServer
    original_start = server.start

    def start(self: Any, *args: Any, **kwargs: Any) -> None:
        if self.running:
            return original_start(self, *args, **kwargs)
        began = time.monotonic()
        original_start(self, *args, **kwargs)
        starts.append((began - CLOCK, time.monotonic() - began))
        return None

    server.start = start


def child(arguments: list[str], report: Path) -> None:
    """Run the command line here, timing its parts; write them to ``report``. Nothing is
    imported ahead of the command: each timer is set when the command imports its module."""
    from litcurate.pipeline.cli import app as command_line
    from litcurate.pipeline.progress import PROGRESS_LOGGER

    imported = time.monotonic() - CLOCK
    starts: list[tuple[float, float]] = []
    extraction: list[tuple[float, float]] = []
    card: list[tuple[float, float]] = []
    ahead: list[tuple[float, float]] = []
    papers: dict[str, float] = {}

    def wrap_flow(flow: Any) -> None:
        _timed(flow, "on_task_runner", extraction)
        _timed(flow, "release_metrics", card)
        report_run = flow.report_run

        def keep_stats(summary: Any) -> None:
            papers.update({name: s.seconds for name, s in summary.stats.items()})
            report_run(summary)

        flow.report_run = keep_stats

    for name, then in (
            ("litcurate.pipeline.flow", wrap_flow),
            ("litcurate.pipeline.execution.head_start",
             lambda module: _timed(module, "send_ahead", ahead)),
            ("litcurate.pipeline.execution.in_process_api",
             lambda module: _time_in_process_api(starts, module)),
            ("prefect.server.api.server", lambda module: _time_prefect_server(starts, module))):
        sys.meta_path.insert(0, AfterImport(name, then))
    first = FirstDone()
    logging.getLogger(PROGRESS_LOGGER).addHandler(first)
    sys.argv = ["litcurate", *arguments]
    try:
        command_line.main()  # the console script's entry point, its way of ending included
    except SystemExit as done:
        code = done.code
    else:
        code = 0
    figures = {"exit_code": code, "imports": imported, "api_starts": starts,
               "extraction": extraction, "metrics_card": card, "papers": papers,
               "sent_ahead": ahead[0][0] if ahead else None,
               "first_paper_done": first.at, "command_returned": time.monotonic() - CLOCK}
    report.write_text(json.dumps(figures), encoding="utf-8")


def floor_child(report: Path) -> None:
    """Prefect's own floor: a cold flow of two no-op tasks on the API a run would use
    (this checkout's in-process API), ended as the command line ends (no teardown)."""
    from litcurate.pipeline.environment import configure_prefect

    configure_prefect()
    from litcurate.pipeline.execution.in_process_api import start_local_api

    ready = start_local_api()
    from prefect import flow, task

    @task
    def nothing(number: int) -> int:
        return number

    @flow
    def empty() -> list[int]:
        return [nothing.submit(number).result() for number in range(2)]

    with ready():
        empty()
    report.write_text(json.dumps({"command_returned": time.monotonic() - CLOCK}),
                      encoding="utf-8")
    sys.stdout.flush()
    os._exit(0)


def _cpu_of_children() -> float:
    """User + system seconds of every child process this one has waited for so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def floor_pass() -> tuple[float, float]:
    """One cold pass of ``floor_child`` on a fresh home: its wall time and CPU seconds."""
    with tempfile.TemporaryDirectory(prefix="litcurate-floor-") as scratch:
        work = Path(scratch)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "LITCURATE_HOME": str(work / "home")}
        for name in ("PREFECT_API_URL", "PREFECT_HOME"):
            env.pop(name, None)
        report = work / "floor.json"
        began, cpu = time.monotonic(), _cpu_of_children()
        done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--floor-child",
                               str(report)], env=env, cwd=ROOT, capture_output=True,
                              text=True, check=False)
        wall, cpu = time.monotonic() - began, _cpu_of_children() - cpu
        if not report.is_file():
            raise SystemExit(f"the empty flow failed:\n{done.stdout}\n{done.stderr}")
        return wall, cpu


def one_pass(root: Path, metrics: bool, raw: Path) -> dict[str, Any]:
    """One cold run of ``root``'s command line; the child's figures plus the wall time."""
    with tempfile.TemporaryDirectory(prefix="litcurate-startup-") as scratch:
        work = Path(scratch)
        shutil.copytree(raw, work / "raw")
        arguments = ["run", "--raw", str(work / "raw"), "--curated", str(work / "curated")]
        if metrics:
            arguments += ["--metrics-corpus", str(ROOT / "tests" / "fixtures")]
        env = {**os.environ, "PYTHONPATH": str(root), "LITCURATE_HOME": str(work / "home")}
        for name in ("PREFECT_API_URL", "PREFECT_HOME"):
            env.pop(name, None)
        report = work / "figures.json"
        command = [sys.executable, str(Path(__file__).resolve()), "--child", str(report),
                   "--", *arguments]
        began, cpu = time.monotonic(), _cpu_of_children()
        done = subprocess.run(command, env=env, cwd=root, capture_output=True, text=True,
                              check=False)
        wall, cpu = time.monotonic() - began, _cpu_of_children() - cpu
        if not report.is_file():
            raise SystemExit(f"the run failed:\n{done.stdout}\n{done.stderr}")
        figures: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
        figures["wall"], figures["cpu"] = wall, cpu
        figures["pages"] = _pages(work / "curated")
        return figures


def _pages(curated: Path) -> int:
    papers = next(curated.glob("releases/*/papers.csv"), None)
    if papers is None:
        return 0
    import csv

    with papers.open(encoding="utf-8") as handle:
        return sum(int(row["pages"]) for row in csv.DictReader(handle))


def summarise(passes: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians over the passes of one checkout."""
    def median(values: list[float]) -> float:
        return round(statistics.median(values), 2)

    def total(spans: list[list[float]]) -> float:
        return sum(seconds for _, seconds in spans)

    return {
        "passes": len(passes), "pages": passes[0]["pages"],
        "exit_codes": sorted({p["exit_code"] for p in passes}),
        "wall": median([p["wall"] for p in passes]),
        "walls": [round(p["wall"], 2) for p in passes],
        "imports": median([p["imports"] for p in passes]),
        "api_starts": sorted({len(p["api_starts"]) for p in passes}),
        "api_start": median([total(p["api_starts"]) for p in passes]),
        "api_launched_at": median([p["api_starts"][0][0] for p in passes if p["api_starts"]]
                               or [0.0]),
        "extraction": median([total(p["extraction"]) for p in passes]),
        "paper_seconds": median([sum(p["papers"].values()) for p in passes]),
        "metrics_card": median([total(p["metrics_card"]) for p in passes]),
        "overhead": median([p["wall"] - sum(p["papers"].values()) for p in passes]),
        "cpu": median([p["cpu"] for p in passes]),
        "cpu_bound": median([p["cpu"] / CORES for p in passes]),
        "allowance": median([2 * sum(p["papers"].values()) for p in passes]),
        "sent_ahead": median([p.get("sent_ahead") or 0.0 for p in passes]),
        "first_paper_done": median([p["first_paper_done"] or 0.0 for p in passes]),
        "command_returned": median([p["command_returned"] for p in passes]),
        "exit": median([p["wall"] - p["command_returned"] for p in passes]),
    }


ROWS = (("wall", "total wall time (process start to exit)"),
        ("imports", "interpreter start and the command line's imports"),
        ("api_start", "temporary Prefect API start (all starts, from launch to healthy)"),
        ("api_launched_at", "first API start launched, from process start"),
        ("sent_ahead", "first papers sent to a worker, from process start (0: not done)"),
        ("extraction", "the flow's extract-paper tasks (from submit to the last result)"),
        ("paper_seconds", "extraction: the papers' own worker seconds (sum)"),
        ("overhead", "overhead: wall time minus the papers' worker seconds"),
        ("cpu", "CPU seconds, the run and every process it waited for (user + system)"),
        ("cpu_bound", "least wall time any schedule could reach: CPU seconds / cores"),
        ("allowance", "wall time at which overhead equals the worker seconds (2 x those)"),
        ("metrics_card", "the release's metrics card"),
        ("first_paper_done", "first paper done, from process start"),
        ("command_returned", "command returned, from process start"),
        ("exit", "process exit after the command returned"))


def to_markdown(results: dict[str, dict[str, Any]], command: str, metrics: bool,
                floor: list[tuple[float, float]], raw: str = "data/raw/") -> str:
    roots = list(results)
    lines = ["# Time to first paper: a cold `litcurate run` of the sample papers", "",
             f"{time.strftime('%Y-%m-%d')}, {platform.system()}, {os.cpu_count()} cores "
             f"(shared with other work: timings are noisy), Python {platform.python_version()}.",
             "", "    " + command, "",
             "Each pass: a fresh `LITCURATE_HOME` (no Prefect database, no extraction cache, "
             f"no cached card), `{raw}` copied to a scratch folder, "
             + ("`--metrics-corpus tests/fixtures` as `make run` passes it."
                if metrics else "no `--metrics-corpus`."),
             "Medians of the passes (seconds).", "",
             "| | " + " | ".join(roots) + " |", "|---|" + "---|" * len(roots)]
    for key, label in ROWS:
        lines.append(f"| {label} | " + " | ".join(f"{results[r][key]:.2f}" for r in roots) + " |")
    for key, label in (("api_starts", "Prefect API starts per run"), ("walls", "passes (wall)"),
                       ("pages", "pages"), ("exit_codes", "exit codes")):
        lines.append(f"| {label} | " + " | ".join(str(results[r][key]) for r in roots) + " |")
    if floor:
        walls = [wall for wall, _ in floor]
        lines += ["", f"Prefect's own floor, the same way: a cold flow of two no-op tasks on "
                  f"this checkout's in-process API, fresh home, process start to exit: "
                  f"**{statistics.median(walls):.2f} s** (median of "
                  f"{', '.join(f'{wall:.2f}' for wall in walls)}), "
                  f"{statistics.median(cpu for _, cpu in floor):.2f} CPU seconds."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--root", type=Path, action="append", default=[])
    parser.add_argument("--no-metrics-corpus", action="store_true")
    parser.add_argument("--raw", type=Path, default=ROOT / "data" / "raw",
                        help="the papers (and sources.yaml) each pass copies and runs")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--no-floor", action="store_true",
                        help="skip the passes of an empty Prefect flow")
    parser.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--floor-child", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.rest, args.child)
        return
    if args.floor_child is not None:
        floor_child(args.floor_child)
    roots = [root.resolve() for root in args.root] or [ROOT]
    passes: dict[str, list[dict[str, Any]]] = {str(root): [] for root in roots}
    floor: list[tuple[float, float]] = []  # (wall, CPU) of each pass
    for _ in range(args.runs):
        for root in roots:
            passes[str(root)].append(one_pass(root, not args.no_metrics_corpus, args.raw))
        if not args.no_floor:
            floor.append(floor_pass())
    results = {root: summarise(found) for root, found in passes.items()}
    command = " ".join(["python benchmarks/startup.py", *sys.argv[1:]])
    raw = args.raw.resolve()
    label = str(raw.relative_to(ROOT)) + "/" if raw.is_relative_to(ROOT) else str(raw)
    text = to_markdown(results, command, not args.no_metrics_corpus, floor, label)
    print(text)
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "startup.md").write_text(text, encoding="utf-8")
        (args.out / "startup.json").write_text(
            json.dumps({"command": command, "results": results, "passes": passes,
                        "floor": floor}, indent=1),
            encoding="utf-8")


if __name__ == "__main__":
    main()
