"""A release's records, gathered by resource: what the run extracted, what it carried
over from the last release, and the issues the run itself raised."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from litcurate.extractors.stage_chain import PaperExtraction
from litcurate.pipeline.execution.paper_job import PaperFailure
from litcurate.schemas import Issue
from litcurate.schemas.issue_catalogue import make_issue


def release_records(extractions: Iterable[PaperExtraction], carried: dict[str, list[Any]],
                    run_issues: Iterable[Issue]) -> dict[str, list[Any]]:
    """Every resource's records: the extracted papers', then those carried over, then
    the run's own issues at the end of ``issues``."""
    records: dict[str, list[Any]] = {}
    for extraction in extractions:
        for name, rows in extraction.resources().items():
            records.setdefault(name, []).extend(rows)
    for name, rows in carried.items():
        records.setdefault(name, []).extend(rows)
    records["issues"] = [*records.get("issues", []), *run_issues]
    return records


def failure_issues(failures: Iterable[PaperFailure]) -> list[Issue]:
    """Failed papers are listed in the release's issues too, not only on the terminal."""
    return [make_issue(f.slug, record_id=f.file_name, reason=f.reason) for f in failures]


def duplicate_issues(duplicates: dict[str, str], paper_ids: dict[str, str]) -> list[Issue]:
    """A copy of a processed file is named in the release, against the paper it duplicates
    (``paper_ids`` maps the processed files' names to their paper ids)."""
    return [make_issue("duplicate-file", record_id=copy, paper_id=paper_ids.get(original, ""),
                       copy=copy, original=original)
            for copy, original in sorted(duplicates.items())]
