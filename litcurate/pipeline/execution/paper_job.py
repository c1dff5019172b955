"""One paper, every stage, as a plain function: what a bounded worker process runs.

It lives apart from the Prefect flow on purpose. A worker is a separate interpreter
with no Prefect API of its own (starting one per process costs seconds), so the stages
run here as ordinary calls and report progress through ``on_stage``; the flow wraps
the whole paper in one Prefect task and relays those stage events.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from litcurate.extractors.errors import ExtractionError
from litcurate.extractors.pdf.reader import read_pdf
from litcurate.extractors.stage_chain import (
    PaperExtraction,
    PaperSource,
    assemble,
    find_statements,
    identify_paper,
    tables_to_outcomes,
    validate_extraction,
)
from litcurate.extractors.tables.extract import extract_tables
from litcurate.pipeline.corrections import (
    CorrectionsError,
    apply_cell_corrections,
    apply_corrections,
    corrections_path,
    load_corrections,
)

StageCallback = Callable[[str, str], None]  # (stage, detail)


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


def _quiet(stage: str, detail: str) -> None:
    del stage, detail


def run_paper_job(job: PaperJob, on_stage: StageCallback = _quiet) -> PaperExtraction:
    """Read, find tables, apply cell corrections, read outcomes and statements, validate.

    Raises ``ExtractionError`` for a file that cannot be read at all.
    """
    source = job.source
    on_stage("read", "")
    document = read_pdf(source.path)
    paper = identify_paper(document, source)
    try:
        corrections = (load_corrections(corrections_path(job.curated_dir, paper.paper_id))
                       if job.curated_dir is not None else [])
    except CorrectionsError as error:
        raise BadCorrectionsError(str(error)) from error
    on_stage("tables", "")
    found = extract_tables(document, paper.paper_id)
    cell_fixes = apply_cell_corrections(found, corrections, paper.paper_id)
    on_stage("outcomes", f"{len(found.tables)} tables")
    results = tables_to_outcomes(paper.paper_id, found)
    on_stage("statements", "")
    said = find_statements(paper.paper_id, document, found)
    on_stage("validate", "")
    extraction = assemble(paper, found, results, said)
    return validate_extraction(apply_corrections(extraction, corrections, cell_fixes))
