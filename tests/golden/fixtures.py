"""The table fixture corpus: expected-grid files and their extracted tables, cached per run."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from litcurate.evaluation.table_accuracy import ExpectedFile, discover_expected
from litcurate.extractors.pdf.document import Document
from litcurate.extractors.pdf.reader import read_pdf
from litcurate.extractors.tables.extract import TablesResult, extract_tables

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tables"


@cache
def expected_files() -> tuple[ExpectedFile, ...]:
    return tuple(discover_expected(FIXTURES))


@cache
def document(pdf: Path) -> Document:
    return read_pdf(pdf)


@cache
def extracted(pdf: Path) -> TablesResult:
    return extract_tables(document(pdf), pdf.stem)
