"""Fuzzing the other doors: sources.yaml, corrections files and a release's datapackage.json.

    .venv/bin/python benchmarks/fuzz_inputs.py [--cases 300] [--seed 1] [--time-limit 60]
        [--only sources:17,release:4] [--out benchmarks/results]

Why it exists: ``fuzz_pdfs.py`` damages PDFs; the files a curator edits, a pull request
brings or a disk corrupts come in through other doors, each a parser and a validator
that must refuse what it cannot take with a one-line reason, never a traceback and
never an unbounded run. This script mutates three real seeds, ``--cases`` times each:

- ``sources``: the project's own data/raw/sources.yaml, through ``load_manifest`` and,
  when accepted, ``save_manifest`` (the round-trip edit a run makes) and a reload;
- ``corrections``: a corrections file naming real records of the sample paper, through
  ``load_corrections`` and, when accepted, ``apply_corrections`` on that paper;
- ``release``: the committed LATEST release copied to a temporary folder, its
  datapackage.json (sometimes LATEST) mutated, through ``litcurate verify`` (the
  command, in-process) and ``load_release`` reading every resource's records.

Mutations: truncation, random bytes, Unicode oddities (BOM, NUL, bidirectional
overrides, line separators, invalid UTF-8), huge scalars (MB strings, 5,000-digit
numbers), deep nesting, YAML alias/anchor bombs, tags and duplicate keys, values of
the wrong type, entries repeated by the thousand, keys dropped or added, and path
traversal values (``../../etc/passwd``, absolute paths, NUL, separators), all in
``fuzz_mutations.py``. Each case runs in this process under a wall-clock bound
(``--time-limit``, by SIGALRM) and is counted as accepted, refused cleanly (the
expected error, its reason one printable line), refused untidily (the expected error
over several lines), an unexpected exception (a traceback: a bug) or a timeout. Cases
are deterministic per ``--seed``, target and number, so ``--only release:4`` reruns
one (results are then written only with ``--out``). Results: a section of
``results/fuzz.md`` and the ``inputs`` key of ``results/fuzz.json``, beside the PDF
fuzzer's figures.
"""

from __future__ import annotations

import argparse
import copy
import os
import platform
import random
import re
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fuzz_mutations import TRAVERSALS, mutate  # noqa: E402  (its folder is on the path)
from fuzz_results import write_section  # noqa: E402

TARGETS = ("sources", "corrections", "release")
EXAMPLES = 10


class CaseTimeoutError(BaseException):
    """A case ran past its bound (a BaseException: no ``except Exception`` swallows it)."""


@dataclass
class Case:
    """One mutated input and what the entry points made of it."""

    target: str
    index: int
    operators: list[str]
    bytes: int
    outcome: str = ""  # accepted, refused, refused-untidily, unexpected, timeout
    reason: str = ""
    seconds: float = 0.0
    trace: str = ""


# -- the entry points ------------------------------------------------------------------------

@dataclass(frozen=True)
class Refusal:
    """An expected refusal: its one-line reason, or a note that it spans lines."""

    reason: str

    @property
    def tidy(self) -> bool:
        return self.reason.isprintable() and 0 < len(self.reason) <= 2000


def run_sources(data: bytes, scratch: Path, fixtures: dict[str, Any]) -> Refusal | None:
    from litcurate.pipeline.sources.manifest import ManifestError, load_manifest, save_manifest

    raw = scratch / "raw"
    raw.mkdir()
    (raw / "sources.yaml").write_bytes(data)
    try:
        manifest = load_manifest(raw)
    except ManifestError as error:
        return Refusal(str(error))
    save_manifest(raw, manifest)  # the round-trip edit a run makes after a pull
    if load_manifest(raw) != manifest:
        raise AssertionError("the manifest changed when saved and read back")
    return None


def run_corrections(data: bytes, scratch: Path, fixtures: dict[str, Any]) -> Refusal | None:
    from litcurate.pipeline.corrections import (
        CorrectionsError,
        apply_corrections,
        corrections_path,
        load_corrections,
    )

    extraction = fixtures["extraction"]
    path = corrections_path(scratch, extraction.paper.paper_id)
    path.parent.mkdir(parents=True)
    path.write_bytes(data)
    try:
        entries = load_corrections(path)
    except CorrectionsError as error:
        return Refusal(str(error))
    corrected = apply_corrections(copy.deepcopy(extraction), entries)
    for correction in corrected.corrections:
        if correction.status not in {"applied", "stale"}:
            raise AssertionError(f"correction status {correction.status!r}")
    return None


def run_release(data: bytes, scratch: Path, fixtures: dict[str, Any]) -> Refusal | None:
    from typer.testing import CliRunner

    from litcurate.pipeline.cli.app import app
    from litcurate.schemas.loader import ReleaseError, load_release

    curated = scratch / "curated"
    shutil.copytree(fixtures["curated"], curated)
    version = (curated / "LATEST").read_text(encoding="utf-8").strip()
    if data.startswith(b"LATEST:"):
        (curated / "LATEST").write_bytes(data.removeprefix(b"LATEST:"))
    else:
        (curated / "releases" / version / "datapackage.json").write_bytes(data)
    verified = CliRunner().invoke(app, ["verify", "--curated", str(curated)])
    if verified.exception is not None and not isinstance(verified.exception, SystemExit):
        error = verified.exception
        raise error.with_traceback(verified.exc_info[2] if verified.exc_info else None)
    try:
        release = load_release(curated)
    except ReleaseError as error:
        return Refusal(str(error))
    for name in release.resource_names:
        for _ in release.records(name):
            pass
    if verified.exit_code != 0:
        raise AssertionError(f"verify failed but load_release accepted: {verified.output}")
    return None


ENTRY_POINTS = {"sources": run_sources, "corrections": run_corrections, "release": run_release}


# -- seeds -----------------------------------------------------------------------------------

def build_fixtures(scratch: Path) -> dict[str, Any]:
    """The sample paper's extraction (for corrections) and the committed LATEST release."""
    from litcurate.extractors.stage_chain import PaperSource, extract_paper
    from litcurate.schemas.loader import file_sha256

    sample = ROOT / "data" / "raw" / "dermine2019_review.pdf"
    extraction = extract_paper(PaperSource(path=sample, sha256=file_sha256(sample)))
    committed = ROOT / "data" / "curated"
    version = (committed / "LATEST").read_text(encoding="utf-8").strip()
    curated = scratch / "seed-curated"
    shutil.copytree(committed / "releases" / version, curated / "releases" / version)
    (curated / "LATEST").write_text(f"{version}\n", encoding="utf-8")
    return {"extraction": extraction, "curated": curated, "version": version}


def corrections_seed(extraction: Any) -> bytes:
    """A valid corrections file: a set, an exclude, an add and a cell fix on real records."""
    from litcurate.pipeline.release.versioning import row_id
    from litcurate.schemas.resources import RESOURCES_BY_NAME, record_to_row

    def first_id(name: str) -> str:
        resource = RESOURCES_BY_NAME[name]
        records = getattr(extraction, name)
        return row_id(resource, record_to_row(resource, records[0])) if records else "none"

    outcome = extraction.outcomes[0]
    entries = [
        {"resource": "outcomes", "id": first_id("outcomes"), "action": "set",
         "field": "value", "from": record_to_row(RESOURCES_BY_NAME["outcomes"], outcome)[
             "value"], "to": "12.5", "by": "A. Curator", "reason": "typo in the PDF",
         "date": "2026-11-24"},
        {"resource": "statements", "id": first_id("statements"), "action": "exclude",
         "by": "A. Curator", "reason": "not a recommendation", "date": "2026-11-24"},
        {"resource": "glossary", "action": "add", "by": "A. Curator", "reason": "missed",
         "date": "2026-11-24", "record": {"abbreviation": "XYZ", "expansion": "x y z"}},
        {"resource": "cells", "id": first_id("cells"), "action": "set", "field": "text",
         "to": "45", "by": "A. Curator", "reason": "misread", "date": "2026-11-24"},
    ]
    return yaml.safe_dump(entries, sort_keys=False, allow_unicode=True).encode("utf-8")


def seeds(fixtures: dict[str, Any]) -> dict[str, tuple[bytes, str]]:
    package = fixtures["curated"] / "releases" / fixtures["version"] / "datapackage.json"
    return {"sources": ((ROOT / "data" / "raw" / "sources.yaml").read_bytes(), "yaml"),
            "corrections": (corrections_seed(fixtures["extraction"]), "yaml"),
            "release": (package.read_bytes(), "json")}


def release_case(seed: int, index: int, data: bytes) -> tuple[bytes, list[str]]:
    """Mostly datapackage.json; one case in ten damages LATEST instead."""
    rng = random.Random(f"{seed}:latest:{index}")
    if rng.random() < 0.1:
        value = rng.choice([*TRAVERSALS, "9.9.9", "", "\x00", "1.0.0\n2.0.0", "x" * 10_000])
        return b"LATEST:" + value.encode("utf-8"), [f"latest: LATEST = {value[:40]!r}"]
    return mutate(seed, "release", index, data, "json")


# -- running ---------------------------------------------------------------------------------

@contextmanager
def time_bound(seconds: float) -> Iterator[None]:
    def expire(signum: int, frame: Any) -> None:
        raise CaseTimeoutError

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def litcurate_frames(trace: traceback.TracebackException) -> str:
    """The frames of litcurate's own code, then the last one, then the error."""
    frames = [f for f in trace.stack if "/litcurate/" in f.filename]
    if trace.stack and (not frames or frames[-1] is not trace.stack[-1]):
        frames.append(trace.stack[-1])
    lines = [f"{Path(f.filename).name}:{f.lineno} in {f.name}: {f.line}" for f in frames]
    error = "".join(trace.format_exception_only()).strip()
    return "\n".join(line[:300] for line in [*lines, *error.splitlines()[:6]])


def run_case(case: Case, data: bytes, fixtures: dict[str, Any], limit: float) -> None:
    scratch = Path(tempfile.mkdtemp(prefix=f"fuzz-{case.target}-"))
    started = time.perf_counter()
    try:
        with time_bound(limit):
            refusal = ENTRY_POINTS[case.target](data, scratch, fixtures)
        if refusal is None:
            case.outcome = "accepted"
        else:
            case.outcome = "refused" if refusal.tidy else "refused-untidily"
            case.reason = refusal.reason[:2000]
    except CaseTimeoutError:
        case.outcome, case.reason = "timeout", f"still running after {limit:g} s"
    except Exception as error:  # the point of the fuzzer: any other exception is a bug
        case.outcome = "unexpected"
        case.reason = f"{type(error).__name__}: {error}"[:300]
        case.trace = litcurate_frames(traceback.TracebackException.from_exception(error))
    finally:
        case.seconds = round(time.perf_counter() - started, 3)
        shutil.rmtree(scratch, ignore_errors=True)


def build(target: str, seed: int, index: int, seed_data: tuple[bytes, str]
          ) -> tuple[Case, bytes]:
    data, kind = seed_data
    mutated, operators = (release_case(seed, index, data) if target == "release"
                          else mutate(seed, target, index, data, kind))
    return Case(target, index, operators, len(mutated)), mutated


def summarise(cases: list[Case]) -> dict[str, Any]:
    """Per target: counts by outcome, the slowest case, counts by operator, examples."""
    report: dict[str, Any] = {}
    for target in TARGETS:
        mine = [c for c in cases if c.target == target]
        if not mine:
            continue
        outcomes = Counter(c.outcome for c in mine)
        by_operator: dict[str, Counter[str]] = defaultdict(Counter)
        for case in mine:
            for name in {op.split(":", 1)[0] for op in case.operators}:
                by_operator[name]["cases"] += 1
                by_operator[name][case.outcome] += 1
        slowest = max(mine, key=lambda c: c.seconds)
        bad = [c for c in mine if c.outcome in {"unexpected", "timeout", "refused-untidily"}]
        report[target] = {
            "cases": len(mine),
            **{name: outcomes.get(name, 0) for name in
               ("accepted", "refused", "refused-untidily", "unexpected", "timeout")},
            "slowest": {"case": f"{target}:{slowest.index}", "seconds": slowest.seconds,
                        "operators": slowest.operators},
            "median_seconds": sorted(c.seconds for c in mine)[len(mine) // 2],
            "by_operator": {name: dict(counts) for name, counts in sorted(by_operator.items())},
            "refusal_examples": refusal_examples([c.reason for c in mine
                                                  if c.outcome == "refused"]),
            "problems": [asdict(c) for c in bad[:EXAMPLES]],
        }
    return report


SCRATCH = re.compile(r"/\S*?/fuzz-[a-z]+-[^/\s]+/")


def refusal_examples(reasons: list[str]) -> list[str]:
    """A few refusals of different kinds (told apart by their first words once the
    scratch folder is taken out), as printed."""
    kinds: dict[str, str] = {}
    for reason in sorted(SCRATCH.sub("", reason) for reason in reasons):
        kind = re.sub(r"[\d.]+", "#", reason.split("(")[0])[:48]
        kinds.setdefault(kind, reason[:160])
    return sorted(kinds.values())[:EXAMPLES]


def totals(report: dict[str, Any]) -> dict[str, Any]:
    keys = ("cases", "accepted", "refused", "refused-untidily", "unexpected", "timeout")
    total = {key: sum(target[key] for target in report.values()) for key in keys}
    slowest = max(report.values(), key=lambda target: target["slowest"]["seconds"])["slowest"]
    return {**total, "slowest": slowest}


def markdown(result: dict[str, Any]) -> str:
    report, total = result["targets"], result["totals"]
    lines = ["# Fuzz run: sources.yaml, corrections files and datapackage.json", "",
             f"`{result['command']}` on {result['machine']}, {result['date']}; each case "
             f"in-process under a {result['time_limit']:g}-second bound", "",
             "| target | cases | accepted | refused (one line) | refused untidily | "
             "**tracebacks** | **timeouts** | median (s) | slowest (s) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, row in report.items():
        lines.append(f"| {name} | {row['cases']} | {row['accepted']} | {row['refused']} | "
                     f"{row['refused-untidily']} | **{row['unexpected']}** | "
                     f"**{row['timeout']}** | {row['median_seconds']} | "
                     f"{row['slowest']['seconds']} |")
    lines += [f"| **all** | {total['cases']} | {total['accepted']} | {total['refused']} | "
              f"{total['refused-untidily']} | **{total['unexpected']}** | "
              f"**{total['timeout']}** | | {total['slowest']['seconds']} |", "",
              f"Slowest case: `{total['slowest']['case']}` "
              f"({'; '.join(total['slowest']['operators'])}). Peak RSS of the whole run: "
              f"{result['peak_rss_mb']} MB; wall time {result['wall_seconds']} s.", "",
              "## By mutation operator (a case counts once per operator it used)", "",
              "| target | operator | cases | accepted | refused | tracebacks | timeouts |",
              "|---|---|---:|---:|---:|---:|---:|"]
    for name, row in report.items():
        for operator, counts in row["by_operator"].items():
            lines.append(f"| {name} | {operator} | {counts.get('cases', 0)} | "
                         f"{counts.get('accepted', 0)} | {counts.get('refused', 0)} | "
                         f"{counts.get('unexpected', 0)} | {counts.get('timeout', 0)} |")
    lines += ["", "## Some refusals, as printed", ""]
    for name, row in report.items():
        lines += [f"- {name}: `{example}`" for example in row["refusal_examples"][:6]]
    problems = [p for row in report.values() for p in row["problems"]]
    if problems:
        lines += ["", "## Problems", ""]
        for problem in problems:
            lines += [f"### {problem['target']}:{problem['index']} ({problem['outcome']})", "",
                      *(f"- `{op}`" for op in problem["operators"]), "", "```",
                      problem["reason"], problem["trace"], "```", ""]
    return "\n".join(lines).rstrip() + "\n"


def parse_only(text: str | None) -> dict[str, list[int]] | None:
    if not text:
        return None
    chosen: dict[str, list[int]] = defaultdict(list)
    for part in text.split(","):
        target, _, number = part.strip().partition(":")
        if target not in TARGETS or not number.isdigit():
            raise SystemExit(f"--only: {part!r} is not TARGET:N ({', '.join(TARGETS)})")
        chosen[target].append(int(number))
    return dict(chosen)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, default=300, help="mutated inputs per target")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the mutations")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per case")
    parser.add_argument("--only", default=None, help="cases to rerun, e.g. sources:17,release:4")
    parser.add_argument("--out", type=Path, default=None,
                        help="results folder (default benchmarks/results; none with --only)")
    args = parser.parse_args(argv)
    only = parse_only(args.only)
    out = args.out if args.out is not None or only else ROOT / "benchmarks" / "results"
    started = time.perf_counter()
    scratch = Path(tempfile.mkdtemp(prefix="litcurate-fuzz-inputs-"))
    os.environ["LITCURATE_HOME"] = str(scratch / "home")
    try:
        fixtures = build_fixtures(scratch)
        seed_data = seeds(fixtures)
        cases: list[Case] = []
        for target in TARGETS:
            indices = (only or {}).get(target, []) if only else list(range(args.cases))
            for index in indices:
                case, data = build(target, args.seed, index, seed_data[target])
                run_case(case, data, fixtures, args.time_limit)
                print(f"{target}:{index} {case.outcome} {case.seconds:.2f}s "
                      f"{'; '.join(case.operators)[:100]}", flush=True)
                cases.append(case)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    report = summarise(cases)
    command = " ".join([".venv/bin/python benchmarks/fuzz_inputs.py", *sys.argv[1:]])
    result = {
        "command": command, "seed": args.seed, "cases_per_target": args.cases,
        "time_limit": args.time_limit,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
                   f"{platform.python_version()}",
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "wall_seconds": round(time.perf_counter() - started, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "targets": report, "totals": totals(report),
    }
    text = markdown(result)
    print(text)
    if out is not None:
        write_section(out, "inputs", result, text)
    bad = result["totals"]
    return 1 if bad["unexpected"] or bad["timeout"] or bad["refused-untidily"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
