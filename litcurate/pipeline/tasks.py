"""Prefect tasks: thin, typed wrappers over the extractor stages.

No logic lives here beyond calling the stage and announcing progress; caching is
off for now because stage inputs (whole documents) are large to hash.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from litcurate.extractors.document import Document
from litcurate.extractors.errors import ExtractionError
from litcurate.extractors.outcomes import OutcomesResult
from litcurate.extractors.paper import (
    PaperExtraction,
    PaperSource,
    assemble,
    find_statements,
    identify_paper,
    tables_to_outcomes,
    validate_extraction,
)
from litcurate.extractors.reader import read_pdf
from litcurate.extractors.tables import TablesResult, extract_tables
from litcurate.pipeline.corrections import CellFixes, CorrectionEntry, apply_corrections
from litcurate.pipeline.progress import emit
from litcurate.pipeline.pull import PullResult, pull_source
from litcurate.pipeline.sources import SourceEntry
from litcurate.schemas import Paper
from litcurate.schemas.loader import file_sha256


@task(name="fingerprint", cache_policy=NO_CACHE)
def fingerprint(path: Path) -> str:
    emit(path.name, "fingerprint")
    return file_sha256(path)


@task(name="read", cache_policy=NO_CACHE)
def read(source: PaperSource) -> tuple[Document, Paper] | ExtractionError:
    """An unreadable file is an expected outcome, returned as a value: no traceback."""
    emit(source.path.name, "read")
    try:
        document = read_pdf(source.path)
    except ExtractionError as error:
        return error
    return document, identify_paper(document, source)


@task(name="tables", cache_policy=NO_CACHE)
def tables(name: str, document: Document, paper: Paper) -> TablesResult:
    emit(name, "tables")
    return extract_tables(document, paper.paper_id)


@task(name="outcomes", cache_policy=NO_CACHE)
def outcomes(name: str, paper: Paper, found: TablesResult) -> OutcomesResult:
    emit(name, "outcomes", f"{len(found.tables)} tables")
    return tables_to_outcomes(paper.paper_id, found)


@task(name="statements", cache_policy=NO_CACHE)
def statements(name: str, paper: Paper, document: Document, found: TablesResult) -> Any:
    emit(name, "statements")
    return find_statements(paper.paper_id, document, found)


@task(name="validate", cache_policy=NO_CACHE)
def validate(name: str, paper: Paper, found: TablesResult, results: OutcomesResult,
             said: Any, corrections: list[CorrectionEntry] | None = None,
             cell_fixes: CellFixes | None = None) -> PaperExtraction:
    """Assemble, apply the curators' corrections, then validate the corrected records."""
    emit(name, "validate")
    return validate_extraction(apply_corrections(assemble(paper, found, results, said),
                                                 corrections or [], cell_fixes))


@task(name="pull", cache_policy=NO_CACHE)
def pull(entry: SourceEntry, raw_dir: Path) -> PullResult:
    """Pull one source (the function retries transient failures itself, with back-off)."""
    emit(entry.file, "pull")
    return pull_source(entry, raw_dir)
