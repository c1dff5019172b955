"""One paper, every stage, as a plain function: what a bounded worker process runs.

It lives apart from the Prefect flow on purpose. A worker is a separate interpreter
with no Prefect API of its own (starting one per process costs seconds), so the stage
chain runs here as ordinary calls, with the curators' corrections, and reports
progress through ``on_stage``; the flow wraps the whole paper in one Prefect task and
relays those stage events.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from litcurate.extractors.errors import ExtractionError
from litcurate.extractors.stage_chain import (
    CorrectionsFor,
    PaperExtraction,
    PaperSource,
    StageCallback,
    extract_paper,
    quiet,
)
from litcurate.pipeline.corrections import (
    CorrectionsError,
    PaperCorrections,
    corrections_path,
    load_corrections,
)
from litcurate.schemas import Paper


@dataclass(frozen=True)
class PaperJob:
    """Everything a worker needs to extract one paper: picklable, paths only.

    Paths must be readable where the job runs (a shared volume on a cluster).
    """

    source: PaperSource
    curated_dir: Path | None = None


@dataclass
class PaperFailure:
    """A paper that could not be processed, and the one-line reason why."""

    file_name: str
    reason: str
    slug: str


class BadCorrectionsError(ExtractionError):
    slug = "bad-corrections"


@dataclass(frozen=True)
class JobStats:
    """Measured in the worker, for the run summary and the benchmarks."""

    seconds: float
    peak_rss_mb: float
    worker_pid: int
    host_pid: int  # the process that ran the task: the flow's, or a Dask worker's


def curated_corrections(curated_dir: Path | None) -> CorrectionsFor:
    """The corrections each paper has under ``curated_dir`` (none without one).

    An unreadable corrections file fails its paper, as soon as the paper is identified.
    """
    def for_paper(paper: Paper) -> PaperCorrections:
        if curated_dir is None:
            return PaperCorrections(paper.paper_id)
        try:
            entries = load_corrections(corrections_path(curated_dir, paper.paper_id))
        except CorrectionsError as error:
            raise BadCorrectionsError(str(error)) from error
        return PaperCorrections(paper.paper_id, entries)

    return for_paper


def run_paper_job(job: PaperJob, on_stage: StageCallback = quiet) -> PaperExtraction:
    """Run the stage chain on the job's paper with its corrections, reporting each stage.

    Raises ``ExtractionError`` for a file that cannot be read at all.
    """
    return extract_paper(job.source, curated_corrections(job.curated_dir), on_stage)
