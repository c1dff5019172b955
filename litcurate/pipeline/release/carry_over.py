"""A paper that fails this run keeps its records from the last release.

Dropping them would make a transient failure (a source offline, a worker killed)
look like a retraction to every downstream app. Instead the failed paper's previous
records go into the new release unchanged, and an issue flags them with the reason,
so the carry-over is visible and ends as soon as the paper extracts again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from litcurate.schemas.issue_catalogue import make_issue
from litcurate.schemas.loader import Release, ReleaseError, load_release


@dataclass
class CarriedOver:
    """Records taken from the previous release, by resource, and the issues flagging them."""

    records: dict[str, list[Any]] = field(default_factory=dict)
    papers: list[str] = field(default_factory=list)  # file names carried over


def _previous_release(curated_dir: Path) -> Release | None:
    """LATEST, when its records can go into a release of today's schema as they are."""
    try:
        release = load_release(curated_dir)
    except (ReleaseError, FileNotFoundError, OSError):
        return None
    return release if release.schema_is_current else None


def carry_over(curated_dir: Path, failed: Iterable[tuple[str, str]]) -> CarriedOver:
    """Previous records of every failed (file name, reason) found in LATEST."""
    failed = list(failed)
    result = CarriedOver()
    if not failed:
        return result
    release = _previous_release(curated_dir)
    if release is None:
        return result
    reasons = dict(failed)
    papers: list[Any] = [p for p in release.records("papers")
                         if getattr(p, "file_name", "") in reasons]
    if not papers:
        return result
    paper_ids = {p.paper_id for p in papers}
    tables: list[Any] = list(release.records("tables"))
    statements: list[Any] = list(release.records("statements"))
    table_ids = {t.table_id for t in tables if t.paper_id in paper_ids}
    statement_ids = {s.statement_id for s in statements if s.paper_id in paper_ids}
    for name in release.resource_names:
        kept = [record for record in release.records(name)
                if _belongs(record, paper_ids, table_ids, statement_ids)]
        if name == "issues":  # the old run's carry-over flags are replaced by this run's
            kept = [i for i in kept if getattr(i, "rule", "") != "carried-over"]
        result.records[name] = kept
    for paper in papers:
        file_name = paper.file_name
        result.papers.append(file_name)
        result.records.setdefault("issues", []).append(make_issue(
            "carried-over", record_id=file_name, paper_id=paper.paper_id, file_name=file_name,
            reason=reasons[file_name], version=release.version))
    return result


def _belongs(record: Any, paper_ids: set[str], table_ids: set[str],
             statement_ids: set[str]) -> bool:
    paper_id = getattr(record, "paper_id", None)
    if paper_id is not None:
        return paper_id in paper_ids
    if hasattr(record, "table_id"):
        return record.table_id in table_ids
    if hasattr(record, "statement_id"):
        return record.statement_id in statement_ids
    return False
