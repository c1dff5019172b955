"""Publishing, verifying, diffing and loading releases: how long each takes.

    .venv/bin/python benchmarks/release_speed.py [--records 10000] [--out benchmarks/results]

Builds two synthetic releases of ``--records`` outcome records each, the second with 1%
of the values changed, in a temporary folder, and times (best of 3): publishing one,
``verify`` of it, the diff of the two, and ``litcurate.load`` + reading the outcomes.
Also times publish + verify of the sample papers' records (extracted once beforehand,
so only the release part is measured).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timing import best_of  # noqa: E402  (beside this script)

import litcurate  # noqa: E402
from litcurate.extractors.stage_chain import PaperSource, extract_paper  # noqa: E402
from litcurate.pipeline.release.diffing import diff_release_dirs  # noqa: E402
from litcurate.pipeline.release.publish import publish_release  # noqa: E402
from litcurate.pipeline.release.verify import verify_release  # noqa: E402
from litcurate.schemas import Outcome, Paper, ValueKind  # noqa: E402
from litcurate.schemas.loader import file_sha256  # noqa: E402

logging.getLogger("pdfminer").setLevel(logging.ERROR)


def synthetic(count: int, changed_every: int = 0) -> dict[str, list[Any]]:
    paper = Paper(paper_id="p", file_name="p.pdf", sha256="a" * 64, pages=10,
                  extractor_version="bench")
    outcomes = []
    for i in range(count):
        value = float(i % 97)
        if changed_every and i % changed_every == 0:
            value += 1
        outcomes.append(Outcome(
            outcome_id=f"p:table-{i // 500}:study-{i}:arm:os", paper_id="p",
            table_id=f"p:table-{i // 500}", study_label=f"Study {i}", measure_id="os",
            value=value, kind=ValueKind.NUMBER, unit="months", raw_text=f"{value:g}",
            row=i % 500, col=3, page=1 + i % 10, x0=10.0, top=20.0, x1=30.0, bottom=28.0))
    return {"papers": [paper], "outcomes": outcomes}


def run(records: int) -> dict[str, Any]:
    report: dict[str, Any] = {"records": records}
    old_records, new_records = synthetic(records), synthetic(records, changed_every=100)
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)

        def publish_fresh(label: str, data: dict[str, list[Any]]) -> Path:
            home = base / f"{label}-{time.perf_counter_ns()}"
            result = publish_release(data, home)
            assert result.path is not None
            return result.path

        report["publish_seconds"] = best_of(3, lambda: publish_fresh("pub", old_records))
        old = publish_fresh("old", old_records)
        home = old.parent.parent
        new_result = publish_release(new_records, home)
        assert new_result.path is not None
        new = new_result.path
        report["verify_seconds"] = best_of(3, lambda: verify_release(home, old.name))
        report["diff_seconds"] = best_of(3, lambda: diff_release_dirs(old, new))
        changed = sum(len(d.changed) for d in diff_release_dirs(old, new).diffs)
        report["diff_changed_records"] = changed
        report["load_seconds"] = best_of(
            3, lambda: litcurate.load(home, old.name).frame("outcomes"))
        report["load_records_seconds"] = best_of(
            3, lambda: sum(1 for _ in litcurate.load(home, old.name).records("outcomes")))
        sample = {}
        for pdf in sorted((ROOT / "data" / "raw").glob("*.pdf")):
            extraction = extract_paper(PaperSource(path=pdf, sha256=file_sha256(pdf)))
            for name, rows in extraction.resources().items():
                sample.setdefault(name, []).extend(rows)

        def publish_and_verify() -> None:
            path = publish_fresh("sample", sample)
            problems, _ = verify_release(path.parent.parent, path.name)
            assert not problems, problems

        report["sample_publish_verify_seconds"] = best_of(3, publish_and_verify)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args(argv)
    report = run(args.records)
    lines = ["# Release speed", "", "| step | seconds (best of 3) |", "|---|---:|"]
    for key, value in report.items():
        if key.endswith("seconds"):
            lines.append(f"| {key.removesuffix('_seconds').replace('_', ' ')} | {value:.4f} |")
    lines += ["", f"- synthetic releases: {report['records']} outcome records each, "
              f"{report['diff_changed_records']} changed in the second", ""]
    text = "\n".join(lines)
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "release_speed.md").write_text(text, encoding="utf-8")
    (args.out / "release_speed.json").write_text(json.dumps(report, indent=2) + "\n",
                                                 encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
