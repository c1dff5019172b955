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
traversal values (``../../etc/passwd``, absolute paths, NUL, separators). Each case
runs in this process under a wall-clock bound (``--time-limit``, by SIGALRM) and is
counted as accepted, refused cleanly (the expected error, its reason one printable
line), refused untidily (the expected error over several lines), an unexpected
exception (a traceback: a bug) or a timeout. Cases are deterministic per ``--seed``,
target and number, so ``--only release:4`` reruns one (results are then written only
with ``--out``). Results: a section of ``results/fuzz.md`` and the ``inputs`` key of
``results/fuzz.json``, beside the PDF fuzzer's figures.
"""

from __future__ import annotations

import argparse
import copy
import json
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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fuzz_results import write_section  # noqa: E402  (a script: its folder is on the path)

TARGETS = ("sources", "corrections", "release")
EXAMPLES = 10
MB = 1024 * 1024
TRAVERSALS = ("../../etc/passwd", "/etc/passwd", "..", ".", "a/b.pdf", "..\\..\\x.pdf",
              "C:\\Windows\\x.pdf", "x\x00.pdf", ".hidden.pdf", "x" * 300 + ".pdf",
              "~/x.pdf", "%2e%2e%2fx.pdf", "datapackage.json", "../1.0.0/papers.csv")
ODD_TEXT = ("\ufeff", "\x00", "\u202e", "\u2028", "\u2029", "\x85", "\u200b", "\ud800",
            "e\u0301" * 50, "\U0001f600", "\x1b[31m", "[/]", "[bold]", "\r", "\t", "\x7f")
WRONG_VALUES: tuple[Any, ...] = (None, True, 0, -1, 1.5e308, [], {}, [1, 2], {"a": 1}, "",
                                 "2019-02-30", 10**30, [[[]]], {"file": "x.pdf"})


class CaseTimeoutError(BaseException):
    """A case ran past its bound (a BaseException: no ``except Exception`` swallows it)."""


class NotApplicableError(Exception):
    """This mutation has nothing to work on here: another one is drawn."""


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


# -- structure helpers ---------------------------------------------------------------------

def node_paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path (keys and indices) into nested dicts and lists, the root excluded."""
    paths: list[tuple[Any, ...]] = []
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(
        data, list) else []
    for key, value in items:
        paths.append((*prefix, key))
        paths += node_paths(value, (*prefix, key))
    return paths


def set_at(data: Any, path: tuple[Any, ...], value: Any) -> None:
    holder = data
    for key in path[:-1]:
        holder = holder[key]
    holder[path[-1]] = value


def get_at(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


def parse(data: bytes, kind: str) -> Any:
    """The seed's structure, or NotApplicable when the text no longer parses."""
    try:
        text = data.decode("utf-8")
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        parsed = json.loads(text) if kind == "json" else yaml.load(text, Loader=loader)
    except (ValueError, yaml.YAMLError, RecursionError) as error:
        raise NotApplicableError from error
    if not isinstance(parsed, dict | list):
        raise NotApplicableError
    return parsed


def dump(data: Any, kind: str) -> bytes:
    if kind == "json":
        return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8",
                                                                             "surrogatepass")
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml: MB scalars in ms
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100
                     ).encode("utf-8", "surrogatepass")


def leaf_paths(data: Any, named: tuple[str, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths to scalars, only those under one of the keys ``named`` when given."""
    paths = [p for p in node_paths(data) if not isinstance(get_at(data, p), dict | list)]
    if named:
        paths = [p for p in paths if p and p[-1] in named]
    return paths


# -- mutations: each (rng, data, kind) -> (data, description) ----------------------------

Mutation = Callable[[random.Random, bytes, str], tuple[bytes, str]]


def truncate(rng: random.Random, data: bytes, kind: str) -> tuple[bytes, str]:
    at = rng.randrange(len(data))
    return data[:at], f"truncate at {at} of {len(data)}"


def random_bytes(rng: random.Random, data: bytes, kind: str) -> tuple[bytes, str]:
    out, count = bytearray(data), rng.choice([1, 3, 10, 50])
    for _ in range(count):
        at = rng.randrange(len(out))
        if rng.random() < 0.5:
            out[at] = rng.randrange(256)
        else:
            out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    return bytes(out), f"random bytes x{count}"


def unicode_oddity(rng: random.Random, data: bytes, kind: str) -> tuple[bytes, str]:
    odd = rng.choice(ODD_TEXT)
    encoded = odd.encode("utf-8", "surrogatepass")  # a lone surrogate: invalid UTF-8
    if rng.random() < 0.5 or "\ud800" in odd:
        at = 0 if rng.random() < 0.3 else rng.randrange(len(data))
        return data[:at] + encoded + data[at:], f"insert {odd!r} at byte {at}"
    structure = parse(data, kind)
    paths = leaf_paths(structure)
    if not paths:
        raise NotApplicableError
    path = rng.choice(paths)
    set_at(structure, path, f"{get_at(structure, path)}{odd}")
    return dump(structure, kind), f"append {odd!r} to {'.'.join(map(str, path))}"


SCALAR = re.compile(r"""(?:: |- )"?([^"\n,{}\[\]]{3,80})""")


def huge_scalar(rng: random.Random, data: bytes, kind: str) -> tuple[bytes, str]:
    """A value replaced in the text by MBs of characters or a 5,000-digit number (a text
    mutation, applied after the structural ones, so none copies it)."""
    text = data.decode("utf-8", "replace")
    values = SCALAR.findall(text)
    if not values:
        raise NotApplicableError
    value = rng.choice(values)
    choice = rng.choice(["string", "string", "number", "over"])
    payload = {"string": "x" * rng.choice([MB, 3 * MB]), "over": "x" * 5 * MB,
               "number": "9" * 5000}[choice]
    return text.replace(value, payload, 1).encode("utf-8", "surrogatepass"), (
        f"{value[:30]!r} -> {len(payload)} {'digits' if choice == 'number' else 'characters'}")


def deep_nesting(rng: random.Random, data: bytes, kind: str) -> tuple[bytes, str]:
    depth = rng.choice([100, 1000, 10_000, 100_000])
    nest = "[" * depth + "]" * depth if rng.random() < 0.5 or kind == "json" else (
        "{a: " * depth + "1" + "}" * depth)
    text = data.decode("utf-8", "replace")
    anchor = '"version": ' if kind == "json" else "papers:" if "papers:" in text else "- "
    if anchor not in text:
        raise NotApplicableError
    tail = "\n" if kind != "json" else ", "
    return text.replace(anchor, f"{anchor}{nest}{tail}" if kind == "json" else
                        f"deep: {nest}\n{anchor}", 1).encode("utf-8", "surrogatepass"), (
        f"nesting {depth} deep")


def alias_bomb(rng: random.Random, data: bytes, kind: str) -> tuple[bytes, str]:
    if kind == "json":
        raise NotApplicableError
    levels = rng.choice([3, 9, 12])
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, levels)]
    bomb = "\n".join(lines) + "\n"
    text = data.decode("utf-8", "replace")
    if rng.random() < 0.5 and "citation:" in text:  # the bomb inside a field
        return (bomb + text.replace("citation:", f"citation: *a{levels - 1}\n    x:", 1)
                ).encode("utf-8", "surrogatepass"), f"alias bomb of {levels} levels in a field"
    return (bomb + text).encode("utf-8", "surrogatepass"), f"alias bomb of {levels} levels"


def yaml_oddity(rng: random.Random, data: bytes, kind: str) -> tuple[bytes, str]:
    if kind == "json":
        raise NotApplicableError
    odd = rng.choice(["!!python/object/apply:os.system ['true']", "!!binary aGVsbG8=",
                      "!!set {a, b}", "!!timestamp 2019-01-01", "&anchor x", "*nowhere",
                      "!custom x", "? [complex, key]", "|\n  block\n  text", "{a: 1, a: 2}",
                      "2019-01-01", "0x1F", "1_000", ".inf", "~", "yes", "---\nb: 2"])
    text = data.decode("utf-8", "replace")
    lines = text.splitlines()
    candidates = [i for i, line in enumerate(lines) if ": " in line]
    if not candidates:
        raise NotApplicableError
    at = rng.choice(candidates)
    key = lines[at].split(": ", 1)[0]
    lines[at] = f"{key}: {odd}"
    return ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass"), f"line {at}: {odd!r}"


def wrong_type(rng: random.Random, data: bytes, kind: str) -> tuple[bytes, str]:
    structure = parse(data, kind)
    paths = node_paths(structure)
    if not paths:
        raise NotApplicableError
    path, value = rng.choice(paths), copy.deepcopy(rng.choice(WRONG_VALUES))
    set_at(structure, path, value)
    return dump(structure, kind), f"{'.'.join(map(str, path))} = {value!r}"[:120]


def traversal(rng: random.Random, data: bytes, kind: str) -> tuple[bytes, str]:
    structure = parse(data, kind)
    names = ("file", "paper_id", "path", "id", "name", "resource", "field")
    paths = leaf_paths(structure, names)
    if not paths:
        raise NotApplicableError
    path, value = rng.choice(paths), rng.choice(TRAVERSALS)
    set_at(structure, path, value)
    return dump(structure, kind), f"{'.'.join(map(str, path))} = {value!r}"[:120]


def repeat_entries(rng: random.Random, data: bytes, kind: str) -> tuple[bytes, str]:
    structure = parse(data, kind)
    lists = [p for p in node_paths(structure) if isinstance(get_at(structure, p), list)
             and get_at(structure, p)]
    if isinstance(structure, list) and structure:
        lists.append(())
    if not lists:
        raise NotApplicableError
    path, times = rng.choice(lists), rng.choice([2, 100, 2000])
    items = get_at(structure, path) if path else structure
    items.extend(copy.deepcopy(items[0]) for _ in range(times))
    return dump(structure, kind), f"{'.'.join(map(str, path)) or 'top'}: first item x{times}"


def drop_or_add_key(rng: random.Random, data: bytes, kind: str) -> tuple[bytes, str]:
    structure = parse(data, kind)
    maps = [p for p in node_paths(structure) if isinstance(get_at(structure, p), dict)]
    maps += [()] if isinstance(structure, dict) else []
    if not maps:
        raise NotApplicableError
    path = rng.choice(maps)
    holder = get_at(structure, path) if path else structure
    if holder and rng.random() < 0.6:
        key = rng.choice(list(holder))
        del holder[key]
        return dump(structure, kind), f"drop {'.'.join(map(str, (*path, key)))}"
    holder[rng.choice(["colour", "extra", "__proto__", "", "file"])] = "added"
    return dump(structure, kind), f"add a key under {'.'.join(map(str, path)) or 'top'}"


MUTATIONS: dict[str, Mutation] = {
    "truncate": truncate, "random_bytes": random_bytes, "unicode_oddity": unicode_oddity,
    "huge_scalar": huge_scalar, "deep_nesting": deep_nesting, "alias_bomb": alias_bomb,
    "yaml_oddity": yaml_oddity, "wrong_type": wrong_type, "traversal": traversal,
    "repeat_entries": repeat_entries, "drop_or_add_key": drop_or_add_key,
}
STRUCTURAL = ("wrong_type", "traversal", "repeat_entries", "drop_or_add_key", "unicode_oddity")


def mutate(seed: int, target: str, index: int, data: bytes, kind: str
           ) -> tuple[bytes, list[str]]:
    """1-3 mutations, a structural one (if any) first, so text damage comes last."""
    rng = random.Random(f"{seed}:{target}:{index}")
    names = [name for name in MUTATIONS if kind == "yaml" or name not in {"alias_bomb",
                                                                          "yaml_oddity"}]
    count = rng.choice([1, 1, 2, 3])
    chosen = sorted(rng.sample(names, count), key=lambda n: n not in STRUCTURAL)
    applied: list[str] = []
    for name in chosen:
        for _ in range(3):
            try:
                data, what = MUTATIONS[name](rng, data, kind)
            except (NotApplicableError, RecursionError):  # nothing to work on, or too deep
                continue
            applied.append(f"{name}: {what}")
            break
    if not applied:
        data, what = truncate(rng, data, kind)
        applied.append(f"truncate: {what}")
    return data, applied


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
