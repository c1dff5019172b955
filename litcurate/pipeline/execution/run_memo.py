"""Remembers that a run's inputs already produced LATEST, so an unchanged corpus skips
the release comparison entirely.

Comparing a fresh extraction with LATEST means rendering and diffing every record:
seconds for a few hundred papers, and most of a cached re-run. When every input of
the release is the same as last time (each paper's cache key, the failures, the
carried-over and duplicate files, the metrics card, the source dates, the code), the
release would be the same too. The memo is kept under the litcurate home per curated
folder and names the LATEST it vouches for (version and manifest hash), so a release
published or edited by anyone else is compared in full again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from litcurate import __version__
from litcurate.atomic import write_atomic
from litcurate.code_digest import code_digest
from litcurate.pipeline.release.latest import latest_problems
from litcurate.pipeline.release.publish import (
    LATEST_FILE,
    RELEASES_DIR,
    PublishResult,
    latest_version,
)
from litcurate.pipeline.release.versioning import Bump

# An edited publisher must compare in full again: the memo depends on all of the code.
PACKAGE_CODE = ("**/*.py",)


def inputs_digest(parts: Any) -> str:
    """sha256 of the run's inputs (anything JSON can write), with the package version."""
    text = json.dumps([__version__, parts], sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def run_digest(*, papers: list[str], failures: list[tuple[str, str, str]], carried: list[str],
               duplicates: dict[str, str], metrics: dict[str, Any], dates: list[str],
               orphans: tuple[str, ...] = ()) -> str:
    """The digest of everything a release is made from: each paper's cache key, the
    failures (file, slug, reason), the carried-over and duplicate files, the corrections
    files that name no paper, the metrics card, the source dates and the code."""
    return inputs_digest({"papers": papers, "failures": failures, "carried": carried,
                          "duplicates": duplicates, "orphans": list(orphans),
                          "metrics": metrics, "dates": dates,
                          "code": code_digest(PACKAGE_CODE)})


def _memo_path(home: Path, curated_dir: Path) -> Path:
    folder = hashlib.sha256(str(curated_dir.resolve()).encode()).hexdigest()[:24]
    return home / "runs" / f"{folder}.json"


def _latest_fingerprint(curated_dir: Path) -> dict[str, str] | None:
    version = latest_version(curated_dir)
    if version is None:
        return None
    manifest = curated_dir / RELEASES_DIR / version / "datapackage.json"
    if not manifest.is_file() or not (curated_dir / LATEST_FILE).is_file():
        return None
    return {"latest": version, "manifest_sha256": hashlib.sha256(manifest.read_bytes())
            .hexdigest()}


def unchanged_since_last_run(home: Path, curated_dir: Path, digest: str) -> str | None:
    """The LATEST version if the last run over these same inputs left it as it is now."""
    path = _memo_path(home, curated_dir)
    try:
        memo = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    current = _latest_fingerprint(curated_dir)
    if current is None or memo.get("inputs") != digest:
        return None
    if {k: memo.get(k) for k in current} != current:
        return None
    if latest_problems(curated_dir / RELEASES_DIR / current["latest"]):
        return None  # a damaged LATEST is for the publish to refuse, never "unchanged"
    return current["latest"]


def remember(home: Path, curated_dir: Path, digest: str) -> None:
    """Record that these inputs give the current LATEST (written atomically). A memo
    that cannot be written (a full disk) is skipped: it only saves the next run time."""
    current = _latest_fingerprint(curated_dir)
    if current is None:
        return
    path = _memo_path(home, curated_dir)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps({"inputs": digest, **current}), prefix=".memo.",
                     suffix="")


def publish_unless_unchanged(home: Path, curated_dir: Path, digest: str,
                             publish: Callable[[], PublishResult]) -> PublishResult:
    """LATEST as it is when these inputs already gave it; else ``publish`` and remember."""
    same = unchanged_since_last_run(home, curated_dir, digest)
    if same is not None:  # these inputs already gave LATEST: nothing to compare
        return PublishResult(None, same, Bump.NONE, curated_dir / RELEASES_DIR / same)
    result = publish()
    remember(home, curated_dir, digest)
    return result
