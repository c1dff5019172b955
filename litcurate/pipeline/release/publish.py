"""Publish a release: an immutable, versioned directory that appears all at once.

Files are rendered into a hidden temporary directory beside the releases, fsynced,
then renamed into place; LATEST is replaced last, atomically. An interruption at
any point leaves the previous release and LATEST untouched, and an existing
version is never overwritten. A write that fails (a full disk, a quota, an I/O
error) is a ``PublishError`` with a one-line reason, never a traceback: the staging
folder is removed and nothing appears, or, when only LATEST could not be written,
the release is in place and the next run points LATEST at it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from litcurate import __version__
from litcurate.atomic import fsync_dir, write_synced
from litcurate.extractors import EXTRACTOR_VERSION
from litcurate.pipeline.release.files import (
    read_csv_rows,
    records_to_rows,
    rows_to_csv_bytes,
    rows_to_parquet_bytes,
)
from litcurate.pipeline.release.latest import (
    LATEST_FILE,
    RELEASES_DIR,
    clear_pending,
    latest_version,
    mark_pending,
    settle_latest,
    write_latest,
)
from litcurate.pipeline.release.publish_lock import (
    PublishError,
    fresh_staging,
    publishing,
)
from litcurate.pipeline.release.versioning import (
    Bump,
    ResourceDiff,
    diff_rows,
    next_version,
    overall_bump,
)
from litcurate.schemas.issue_catalogue import catalogue_entries
from litcurate.schemas.loader import ReleaseError, file_sha256, read_manifest
from litcurate.schemas.resources import RESOURCES, Resource, field_type

DATASET_NAME = "litcurate-dataset"
__all__ = ["LATEST_FILE", "RELEASES_DIR", "LatestNotUpdatedError", "PublishError",
           "PublishResult", "latest_version", "publish_release"]


@dataclass
class PublishResult:
    """What publishing did: the new version (None when nothing changed) and the diff."""

    version: str | None
    previous: str | None
    bump: Bump
    path: Path | None
    diffs: list[ResourceDiff] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def created_timestamp(source_dates: Sequence[str], previous: str | None = None) -> str:
    """Release date from the inputs: SOURCE_DATE_EPOCH, else the newest input date (a paper
    added or pulled, a correction made) when it is later than the previous release's
    ``created``; a release no newer input explains (new code, say) gets the current time.
    A rebuild of the same inputs from scratch therefore gives the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        moment = datetime.fromtimestamp(int(epoch), tz=UTC)
    elif source_dates:
        moment = datetime.fromisoformat(max(source_dates)).replace(tzinfo=UTC)
    else:
        moment = datetime.fromtimestamp(0, tz=UTC)
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    if not epoch and previous is not None and stamp <= previous:
        stamp = datetime.now(tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return stamp


def input_dates(rows: dict[str, list[dict[str, str]]], source_dates: Sequence[str]
                ) -> list[str]:
    """Every date the inputs of a release carry: sources added, papers pulled, corrections."""
    found = [*source_dates, *(p.get("pulled_at", "") for p in rows.get("papers", [])),
             *(c.get("date", "") for c in rows.get("corrections", []))]
    return sorted({date for date in found if date})


def _previous_created(previous_dir: Path | None) -> str | None:
    """The previous release's ``created``; None when there is none or it cannot be read."""
    if previous_dir is None:
        return None
    try:
        created = read_manifest(previous_dir).get("created")
    except ReleaseError:
        return None
    return str(created) if created else None


def _licences(papers: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    """The package's licences: each licence its papers carry, once (an SPDX id links to
    its text; anything else is kept as a LicenseRef with the text as title)."""
    licences = []
    for name in sorted({p["licence"] for p in papers if p.get("licence")}):
        if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9.+-]*", name) and not name.startswith(
                "LicenseRef-"):
            licences.append({"name": name, "path": f"https://spdx.org/licenses/{name}.html"})
        else:
            slug = re.sub(r"[^A-Za-z0-9.-]+", "-", name.removeprefix("LicenseRef-")).strip("-")
            licences.append({"name": f"LicenseRef-{slug}", "title": name})
    return licences


def _table_schema(resource: Resource) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [
            {"name": column, "type": field_type(resource.model, column)}
            for column in resource.columns
        ],
    }
    if resource.primary_key:
        schema["primaryKey"] = list(resource.primary_key)
    return schema


def _resource_entries(directory: Path) -> list[dict[str, Any]]:
    """The Frictionless resources: one CSV per resource, with schema, sha256 and bytes."""
    entries: list[dict[str, Any]] = []
    for resource in RESOURCES:
        path = directory / f"{resource.name}.csv"
        entries.append({
            "name": resource.name,
            "path": path.name,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "description": resource.description,
            "hash": f"sha256:{file_sha256(path)}",
            "bytes": path.stat().st_size,
            "schema": _table_schema(resource),
        })
    return entries


def _parquet_entries(directory: Path) -> list[dict[str, Any]]:
    """The typed Parquet copies of the CSV resources, checked like them.

    They are listed apart from ``resources``: the CSV files are the Frictionless
    resources, the Parquet files the same rows with types for fast loading.
    """
    entries: list[dict[str, Any]] = []
    for resource in RESOURCES:
        path = directory / f"{resource.name}.parquet"
        entries.append({"name": resource.name, "path": path.name,
                        "hash": f"sha256:{file_sha256(path)}", "bytes": path.stat().st_size})
    return entries


def _changelog(version: str, previous: str | None, bump: Bump, diffs: list[ResourceDiff],
               counts: dict[str, int]) -> str:
    lines = [f"# {DATASET_NAME} {version}", ""]
    if previous is None:
        lines.append("First release.")
    else:
        lines.append(f"Changes against {previous} ({bump.value} release).")
    lines += ["", "| resource | rows | added | removed | changed |", "|---|---|---|---|---|"]
    by_name = {d.name: d for d in diffs}
    for resource in RESOURCES:
        diff = by_name.get(resource.name, ResourceDiff(resource.name))
        lines.append(f"| {resource.name} | {counts.get(resource.name, 0)} | {len(diff.added)} | "
                     f"{len(diff.removed)} | {len(diff.changed)} |")
    schema = [f"- {d.name}: {change}" for d in diffs for change in d.schema_changes]
    if schema:
        lines += ["", "## Schema changes", "", *schema]
    return "\n".join(lines) + "\n"


def _sources(papers: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    sources = []
    for paper in papers:
        source = {"title": paper.get("citation") or paper.get("title") or paper["file_name"]}
        if paper.get("doi"):
            source["path"] = f"https://doi.org/{paper['doi']}"
        if paper.get("licence"):
            source["licence"] = paper["licence"]
        source["sha256"] = paper["sha256"]
        sources.append(source)
    return sources


@dataclass
class _Rendered:
    """Every resource's rows, written to CSV in staging, with their diff against LATEST."""

    rows: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    diffs: list[ResourceDiff] = field(default_factory=list)


def _render_csv(records: dict[str, list[BaseModel]], staging: Path, previous_dir: Path | None
                ) -> _Rendered:
    """Write each resource's CSV into staging and compare it with the previous release's."""
    rendered = _Rendered()
    for resource in RESOURCES:
        rows = rendered.rows[resource.name] = records_to_rows(resource,
                                                              records.get(resource.name, []))
        rendered.counts[resource.name] = len(rows)
        write_synced(staging / f"{resource.name}.csv", rows_to_csv_bytes(resource, rows))
        old_csv = previous_dir / f"{resource.name}.csv" if previous_dir else None
        if old_csv is not None and old_csv.is_file():
            old_columns, old_rows = read_csv_rows(old_csv)
            rendered.diffs.append(diff_rows(resource, old_columns, old_rows,
                                            list(resource.columns), rows))
        elif previous_dir is not None:
            rendered.diffs.append(ResourceDiff(resource.name, schema_changes=["resource added"]))
    return rendered


def _move_into_place(staging: Path, target: Path) -> None:
    """Rename the finished staging folder to its version, durably."""
    fsync_dir(staging)
    staging.chmod(0o755)
    staging.rename(target)
    fsync_dir(target.parent)


def publish_release(records: dict[str, list[BaseModel]], curated_dir: Path, *,
                    source_dates: Sequence[str] = (), metrics: dict[str, Any] | None = None,
                    lock_wait: float | None = None, locked: bool = False
                    ) -> PublishResult:
    """Write a new release if the records differ from LATEST; return what happened.

    Holds the curated folder's publish lock, waiting up to ``lock_wait`` seconds for
    another publisher, unless the caller holds it already (``locked``).
    """
    if locked:
        return _publish(records, curated_dir, source_dates, metrics)
    with publishing(curated_dir, lock_wait):
        return _publish(records, curated_dir, source_dates, metrics)


class LatestNotUpdatedError(PublishError):
    """The release is in place, but LATEST could not be pointed at it; the next run does."""


def os_reason(error: OSError) -> str:
    """An OS error in a few words: what failed and on which file, never a traceback."""
    what = error.strerror or str(error) or type(error).__name__
    return f"{what}: {Path(error.filename).name}" if error.filename else what


def _publish(records: dict[str, list[BaseModel]], curated_dir: Path,
             source_dates: Sequence[str], metrics: dict[str, Any] | None) -> PublishResult:
    releases = curated_dir / RELEASES_DIR
    try:
        releases.mkdir(parents=True, exist_ok=True)
        previous = settle_latest(curated_dir)
        staging = fresh_staging(releases)
    except OSError as error:
        raise PublishError(f"could not prepare {releases} ({os_reason(error)})") from error
    try:
        try:
            result = _stage(records, staging, releases, previous, source_dates, metrics)
        except OSError as error:
            raise PublishError(f"could not write the new release ({os_reason(error)}); "
                               f"LATEST still names {previous or 'no release'}") from error
        if result.version is not None:
            _put_in_place(curated_dir, staging, result)
        return result
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _check_keys(rows: dict[str, list[dict[str, str]]], version: str,
                previous: str | None) -> None:
    """Refuse to publish a release whose primary keys repeat (two papers' records under
    one id, say a curator's correction): every record was validated on its own, and the
    keys are what ``litcurate verify`` would still reject. A run never publishes that."""
    from litcurate.pipeline.release.verify import check_primary_key

    problems = [problem for resource in RESOURCES
                for problem in check_primary_key(f"{resource.name}.csv", resource,
                                                 rows.get(resource.name, []))]
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise PublishError(f"release {version} not published: it fails verification: "
                           f"{problems[0]}{more}; LATEST still names "
                           f"{previous or 'no release'}")


def _stage(records: dict[str, list[BaseModel]], staging: Path, releases: Path,
           previous: str | None, source_dates: Sequence[str], metrics: dict[str, Any] | None
           ) -> PublishResult:
    """Write the whole release into ``staging``: what would be published (a version of
    None when the records are the same as LATEST's)."""
    previous_dir = releases / previous if previous else None
    rendered = _render_csv(records, staging, previous_dir)
    diffs, counts = rendered.diffs, rendered.counts
    bump = overall_bump(diffs) if previous else Bump.MAJOR
    version = next_version(previous, bump)
    if version is None:
        return PublishResult(None, previous, Bump.NONE, previous_dir, diffs, counts)
    _check_keys(rendered.rows, version, previous)
    target = releases / version
    if target.exists():
        missing = "" if previous else (" (LATEST is missing: point it at the newest "
                                       "release to publish after it)")
        raise PublishError(f"release {version} already exists; refusing to overwrite "
                           f"it{missing}")
    for resource in RESOURCES:  # only once there is something to publish
        write_synced(staging / f"{resource.name}.parquet",
                     rows_to_parquet_bytes(resource, rendered.rows[resource.name]))
    write_synced(staging / "CHANGELOG.md",
                 _changelog(version, previous, bump, diffs, counts).encode("utf-8"))
    manifest = _datapackage(staging, version, previous, bump, rendered, source_dates,
                            metrics, previous_dir)
    write_synced(staging / "datapackage.json",
                 (json.dumps(manifest, indent=2, sort_keys=False, ensure_ascii=False)
                  + "\n").encode("utf-8"))
    return PublishResult(version, previous, bump, target, diffs, counts)


def _put_in_place(curated_dir: Path, staging: Path, result: PublishResult) -> None:
    """Rename the staged release to its version, then point LATEST at it."""
    version, target = str(result.version), Path(str(result.path))
    try:
        mark_pending(curated_dir, version)
        _move_into_place(staging, target)
        write_latest(curated_dir, version)
    except OSError as error:
        if not target.exists():
            raise PublishError(f"could not move release {version} into place "
                               f"({os_reason(error)}); LATEST still names "
                               f"{result.previous or 'no release'}") from error
        raise LatestNotUpdatedError(f"release {version} is in place but LATEST could not "
                                    f"be pointed at it ({os_reason(error)}); the next run "
                                    "does it") from error
    with contextlib.suppress(OSError):  # a note left behind is cleared by the next run
        clear_pending(curated_dir)


def _datapackage(staging: Path, version: str, previous: str | None, bump: Bump,
                 rendered: _Rendered, source_dates: Sequence[str],
                 metrics: dict[str, Any] | None, previous_dir: Path | None) -> dict[str, Any]:
    """The release's datapackage.json, over the files already in ``staging``."""
    papers = rendered.rows["papers"]
    return {
        "profile": "data-package",
        "name": DATASET_NAME,
        "title": "litcurate: outcome tables and guideline statements from clinical reviews",
        "version": version,
        "created": created_timestamp(input_dates(rendered.rows, source_dates),
                                     _previous_created(previous_dir)),
        "licenses": _licences(papers),
        "sources": _sources(papers),
        "litcurate": {"package_version": __version__, "extractor_version": EXTRACTOR_VERSION,
                      "previous_version": previous, "bump": bump.value,
                      "unlicensed_sources": sorted(p["file_name"] for p in papers
                                                   if not p.get("licence")),
                      "metrics": metrics or {}, "parquet": _parquet_entries(staging),
                      "issue_rules": catalogue_entries()},
        "resources": _resource_entries(staging),
    }
