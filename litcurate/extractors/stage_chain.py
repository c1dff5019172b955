"""One paper's extraction, stage by stage, and the one chain that runs them.

``extract_paper`` is that chain, for every caller: the one-shot ``litcurate extract``
command and the tests call it with its defaults; the flow's bounded workers call it
with the curators' corrections and a callback that reports each stage as it starts.
Corrections are applied through the small ``Corrections`` protocol, implemented by
the pipeline, so this module never imports it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel

from litcurate.extractors import EXTRACTOR_VERSION
from litcurate.extractors.evidence.outcomes import OutcomesResult, grid_to_outcomes
from litcurate.extractors.evidence.references import resolve_reference
from litcurate.extractors.evidence.study_labels import parse_study_label
from litcurate.extractors.evidence.validation import check_outcomes, rejected_ids
from litcurate.extractors.pdf.document import Document
from litcurate.extractors.pdf.paper_identity import find_doi, find_title, find_year, paper_id_for
from litcurate.extractors.pdf.reader import read_pdf
from litcurate.extractors.statements.prose_check import check_summaries, find_summaries
from litcurate.extractors.tables.extract import TablesResult, extract_tables
from litcurate.schemas import (
    Cell,
    Characteristic,
    Correction,
    Criterion,
    GlossaryEntry,
    Issue,
    Outcome,
    Paper,
    Population,
    Reference,
    Statement,
    Table,
    record_ids,
)


@dataclass(frozen=True)
class PaperSource:
    """What the pipeline knows about an input before reading it (from sources.yaml)."""

    path: Path
    sha256: str
    paper_id: str = ""
    title: str = ""
    doi: str = ""
    year: int | None = None
    citation: str = ""
    licence: str = ""
    source_url: str = ""
    pulled_at: str = ""


@dataclass
class PaperExtraction:
    """Everything extracted from one paper, grouped by release resource."""

    paper: Paper
    tables: list[Table] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    populations: list[Population] = field(default_factory=list)
    characteristics: list[Characteristic] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    criteria: list[Criterion] = field(default_factory=list)
    glossary: list[GlossaryEntry] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)

    def resources(self) -> dict[str, list[Any]]:
        """Records by release resource name (papers, tables, cells, ...)."""
        return {
            "papers": [self.paper],
            "tables": list(self.tables),
            "cells": list(self.cells),
            "outcomes": list(self.outcomes),
            "populations": list(self.populations),
            "characteristics": list(self.characteristics),
            "statements": list(self.statements),
            "criteria": list(self.criteria),
            "glossary": list(self.glossary),
            "references": list(self.references),
            "issues": list(self.issues),
            "corrections": list(self.corrections),
        }


def identify_paper(document: Document, source: PaperSource) -> Paper:
    """The paper record: manifest facts win over what the PDF says about itself."""
    doi = source.doi or find_doi(document)
    return Paper(
        paper_id=source.paper_id or paper_id_for(doi, source.path.name),
        title=source.title or find_title(document),
        doi=doi,
        year=source.year or find_year(document),
        file_name=source.path.name,
        sha256=source.sha256,
        pages=document.n_pages,
        extractor_version=EXTRACTOR_VERSION,
        citation=source.citation,
        licence=source.licence,
        source_url=source.source_url,
        pulled_at=source.pulled_at,
    )


def tables_to_outcomes(paper_id: str, tables: TablesResult) -> OutcomesResult:
    """Every table's outcome records, populations and legend glossary, in table order."""
    combined = OutcomesResult()
    for table in tables.tables:
        result = grid_to_outcomes(paper_id, table)
        combined.outcomes.extend(result.outcomes)
        combined.populations.extend(result.populations)
        combined.characteristics.extend(result.characteristics)
        combined.glossary.extend(result.glossary)
        combined.issues.extend(result.issues)
    return combined


def find_statements(paper_id: str, document: Document, tables: TablesResult) -> Any:
    """Statements from the prose, tables and captions excluded (imports spaCy lazily)."""
    from litcurate.extractors.statements.detection import extract_statements
    from litcurate.extractors.statements.nlp import build_nlp
    from litcurate.extractors.text.layer import document_to_layer

    layer = document_to_layer(document, tables.exclusions)
    return extract_statements(paper_id, layer, build_nlp())


def _dedupe_glossary(entries: list[GlossaryEntry]) -> list[GlossaryEntry]:
    seen: dict[tuple[str, str, str], GlossaryEntry] = {}
    for entry in entries:
        seen.setdefault((entry.paper_id, entry.abbreviation, entry.source), entry)
    return list(seen.values())


def validate_extraction(extraction: PaperExtraction) -> PaperExtraction:
    """Apply the validation rules: errors drop records (listed in issues), warnings flag."""
    paper_id = extraction.paper.paper_id
    issues = check_outcomes(extraction.outcomes, extraction.populations, paper_id)
    rejected = rejected_ids(issues)
    warned = {i.record_id: i.rule for i in issues if i.record_id not in rejected}
    outcomes = []
    for outcome in extraction.outcomes:
        if outcome.outcome_id in rejected:
            continue
        if outcome.outcome_id in warned:
            outcome = outcome.model_copy(update={
                "flags": (*outcome.flags, f"warning:{warned[outcome.outcome_id]}")})
        outcomes.append(outcome)
    extraction.outcomes = outcomes
    extraction.glossary = _dedupe_glossary(extraction.glossary)
    extraction.issues = [*extraction.issues, *issues]
    return extraction


def layer_references(paper_id: str, layer: Any) -> list[Reference]:
    """The paper's numbered bibliography as records, each with its first line's box."""
    if layer is None:
        return []
    records: list[Reference] = []
    for number, text in sorted(layer.references.items()):
        box = layer.reference_boxes.get(number)
        if box is None:
            continue  # an entry we cannot place has no provenance: not published
        page, x0, top, x1, bottom = box
        records.append(Reference(
            reference_id=record_ids.reference_id(paper_id, number), paper_id=paper_id,
            number=number, text=text, page=page, x0=round(x0, 2), top=round(top, 2),
            x1=round(x1, 2), bottom=round(bottom, 2)))
    return records


def with_reference(outcome: Outcome, references: dict[int, str]) -> Outcome:
    """The outcome with its study's bibliography entry, when the label resolves to one."""
    number = resolve_reference(parse_study_label(outcome.study_label), references)
    if number is None:
        return outcome
    return outcome.model_copy(update={"reference_number": number,
                                      "reference": " ".join(references[number].split())})


def assemble(paper: Paper, tables: TablesResult, outcomes: OutcomesResult,
             statements: Any) -> PaperExtraction:
    """Gather one paper's stage results into a ``PaperExtraction``.

    The prose-vs-table check runs here, as it needs both the tables' outcomes and the
    text layer the statements were read from.
    """
    layer = getattr(statements, "layer", None)
    prose_issues: list[Issue] = []
    if layer is not None:
        table_ids = {t.table.label: t.table.table_id for t in tables.tables}
        prose_issues = check_summaries(find_summaries(layer), outcomes.outcomes, table_ids,
                                       paper.paper_id)
    records = outcomes.outcomes
    if layer is not None and layer.references:
        records = [with_reference(o, layer.references) for o in records]
    return PaperExtraction(
        paper=paper,
        tables=[t.table for t in tables.tables],
        cells=tables.cells,
        outcomes=records,
        populations=outcomes.populations,
        characteristics=outcomes.characteristics,
        statements=list(statements.statements),
        criteria=list(statements.criteria),
        glossary=[*outcomes.glossary, *statements.glossary],
        issues=[*tables.issues, *outcomes.issues, *statements.issues, *prose_issues],
        references=layer_references(paper.paper_id, layer),
    )


StageCallback = Callable[[str, str], None]  # (stage, detail)


class Corrections(Protocol):
    """One paper's corrections, applied where the chain says: cells before outcomes are
    read from them, every other record before validation."""

    def correct_tables(self, tables: TablesResult) -> None:
        """Edit the found tables' cells in place."""

    def correct_records(self, extraction: PaperExtraction) -> PaperExtraction:
        """The paper's records with the corrections applied (and logged)."""


CorrectionsFor = Callable[[Paper], Corrections]  # asked once the paper is identified


class Uncorrected:
    """No corrections: the chain's default."""

    def correct_tables(self, tables: TablesResult) -> None:
        del tables

    def correct_records(self, extraction: PaperExtraction) -> PaperExtraction:
        return extraction


def no_corrections(paper: Paper) -> Corrections:
    del paper
    return Uncorrected()


def quiet(stage: str, detail: str) -> None:
    """The default stage callback: reports nothing."""
    del stage, detail


def extract_paper(source: PaperSource, corrections: CorrectionsFor = no_corrections,
                  on_stage: StageCallback = quiet) -> PaperExtraction:
    """Read one PDF and run every stage, announcing each on ``on_stage`` as it starts.

    ``corrections`` gives the identified paper's corrections; raises ``ExtractionError``
    if the file is unreadable (or its corrections are).
    """
    on_stage("read", "")
    document = read_pdf(source.path)
    paper = identify_paper(document, source)
    corrected = corrections(paper)
    on_stage("tables", "")
    tables = extract_tables(document, paper.paper_id)
    corrected.correct_tables(tables)
    found = len(tables.tables)
    on_stage("outcomes", "1 table" if found == 1 else f"{found} tables")
    outcomes = tables_to_outcomes(paper.paper_id, tables)
    on_stage("statements", "")
    statements = find_statements(paper.paper_id, document, tables)
    on_stage("validate", "")
    extraction = assemble(paper, tables, outcomes, statements)
    return validate_extraction(corrected.correct_records(extraction))


def model_rows(records: list[BaseModel]) -> list[dict[str, Any]]:
    """Plain dicts of records (for JSON debugging and tests)."""
    return [r.model_dump(mode="json") for r in records]
