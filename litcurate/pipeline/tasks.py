"""Prefect tasks: thin, typed wrappers over the pipeline's functions.

The per-paper task hands the whole paper to a bounded worker process (see
``workers``): extraction is CPU-bound, so parallelism comes from processes, and a
hostile PDF can be stopped there without touching the run. The worker relays each
stage back, and the task re-announces it as a progress event. A paper that cannot
be extracted fails its task (red in the Prefect UI, the reason in its state and logs);
the flow collects the failure and goes on with the batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from litcurate.extractors.stage_chain import PaperExtraction
from litcurate.pipeline.execution import head_start
from litcurate.pipeline.execution.paper_job import JobStats, PaperJob
from litcurate.pipeline.execution.workers import Limits, shared_pool
from litcurate.pipeline.progress import emit
from litcurate.pipeline.sources.manifest import SourceEntry
from litcurate.pipeline.sources.pull import DEADLINE, PullResult, pull_source
from litcurate.schemas.loader import file_sha256


@dataclass
class PaperResult:
    """One paper's extraction with its worker's measurements."""

    extraction: PaperExtraction
    stats: JobStats | None = None


@task(name="fingerprint", cache_policy=NO_CACHE)
def fingerprint_all(paths: list[Path]) -> dict[str, str]:
    """sha256 of every input, by file name: one task, not one per file (it is cheap)."""
    hashes: dict[str, str] = {}
    for path in paths:
        emit(path.name, "fingerprint")
        hashes[path.name] = file_sha256(path)
    return hashes


@task(name="extract-paper", cache_policy=NO_CACHE, task_run_name="extract {job.source.path.name}")
def extract_paper(job: PaperJob, limits: Limits, log_dir: Path | None = None) -> PaperResult:
    """Raises ``ExtractionError`` for an unreadable or limit-breaking paper, so its task
    run ends Failed with the reason; the flow reports it and carries on. A paper the
    command sent ahead to a worker (``head_start``) is taken over, not read again."""
    name = job.source.path.name

    def relay(stage: str, detail: str) -> None:
        emit(name, stage, detail)

    ahead = head_start.claim(job, limits, log_dir)  # its stages were announced as they came
    outcome = ahead.take_over() if ahead is not None else None
    if outcome is None:
        outcome = shared_pool(limits, log_dir).run(job, relay)
    else:
        get_run_logger().info("%s: read ahead of the flow, %.2f s in worker %d", name,
                              outcome[1].seconds, outcome[1].worker_pid)
    extraction, stats = outcome
    return PaperResult(extraction=extraction, stats=stats)


@task(name="pull", cache_policy=NO_CACHE)
def pull(entry: SourceEntry, raw_dir: Path, deadline: float = DEADLINE,
         allow_schemes: tuple[str, ...] = ()) -> PullResult:
    """Pull one source (the function retries transient failures itself, with back-off)."""
    emit(entry.file, "pull")
    return pull_source(entry, raw_dir, deadline=deadline, allow_schemes=allow_schemes)
