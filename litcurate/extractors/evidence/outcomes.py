"""Table grids -> typed evidence records: one per number-bearing fact of a cell.

Each column is classified from its flattened header (``columns`` for roles and
vocabulary measures, ``header_meaning`` for the statistic it names). A table with a
study column is read study by study (``study_tables``); any other table is read row by
row, its rows being variables, outcomes or subgroups (``row_tables``). Footnote marks
get their meaning from the legend ("$ Mean"). Every record gets a unique id.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from litcurate.extractors.evidence.columns import ColumnRole, classify_header
from litcurate.extractors.evidence.row_tables import row_records
from litcurate.extractors.evidence.study_tables import find_study_columns, study_records
from litcurate.extractors.tables.extract import ExtractedTable
from litcurate.extractors.tables.legend import Legend, parse_legend
from litcurate.schemas import (
    Characteristic,
    GlossaryEntry,
    Issue,
    Outcome,
    Population,
    Table,
    record_ids,
)


@dataclass
class OutcomesResult:
    outcomes: list[Outcome] = field(default_factory=list)
    populations: list[Population] = field(default_factory=list)
    characteristics: list[Characteristic] = field(default_factory=list)
    glossary: list[GlossaryEntry] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


def legend_to_glossary(paper_id: str, table: Table, legend: Legend) -> list[GlossaryEntry]:
    """The abbreviations a table's legend defines, as glossary entries of that table."""
    return [GlossaryEntry(paper_id=paper_id, abbreviation=abbreviation, expansion=expansion,
                          source=f"legend:{table.label}", page=table.page)
            for abbreviation, expansion in sorted(legend.abbreviations.items())]


def grid_to_outcomes(paper_id: str, extracted: ExtractedTable) -> OutcomesResult:
    """Given one extracted table, return its records, populations, glossary and issues."""
    result = OutcomesResult()
    table = extracted.table
    legend = parse_legend(table.footnotes)
    result.glossary.extend(legend_to_glossary(paper_id, table, legend))
    paths = clean_header_paths(extracted)
    roles = [classify_with_legend(path, legend.abbreviations) for path in paths]
    columns = find_study_columns(roles)
    if columns is not None:
        found = study_records(paper_id, extracted, paths, roles, legend, columns)
        outcomes = found.outcomes
        result.populations.extend(found.populations)
        result.characteristics.extend(_unique_characteristics(found.characteristics))
        result.issues.extend(found.issues)
    else:
        outcomes, issues = row_records(paper_id, extracted, paths, roles, legend)
        result.issues.extend(issues)
    result.outcomes.extend(unique_ids(outcomes))
    return result


def unique_ids(outcomes: Sequence[Outcome]) -> list[Outcome]:
    """The records, each id made unique by its cell when an earlier record took it."""
    seen: set[str] = set()
    unique: list[Outcome] = []
    for outcome in outcomes:
        if outcome.outcome_id in seen:
            outcome = outcome.model_copy(update={"outcome_id": record_ids.repeated_id(
                outcome.outcome_id, outcome.row, outcome.col)})
            suffix = 2
            while outcome.outcome_id in seen:
                outcome = outcome.model_copy(update={
                    "outcome_id": f"{outcome.outcome_id.rsplit(':v', 1)[0]}:v{suffix}"})
                suffix += 1
        seen.add(outcome.outcome_id)
        unique.append(outcome)
    return unique


def _unique_characteristics(found: Sequence[Characteristic]) -> list[Characteristic]:
    seen: set[str] = set()
    unique = []
    for item in found:
        if item.characteristic_id in seen:
            item = item.model_copy(update={
                "characteristic_id": f"{item.characteristic_id}:r{item.row}:c{item.col}"})
        seen.add(item.characteristic_id)
        unique.append(item)
    return unique


def classify_with_legend(path: str, abbreviations: dict[str, str]) -> ColumnRole:
    """Classify a header; if nothing matches, again with the legend's abbreviations spelled
    out ("LOS (d)" with "LOS: length of stay")."""
    role = classify_header(path)
    if role.role != "measure" or role.measure != "unmapped" or not abbreviations:
        return role
    expanded = path
    for abbreviation, expansion in abbreviations.items():
        expanded = re.sub(rf"(?<![\w-]){re.escape(abbreviation)}(?![\w-])", expansion, expanded)
    return classify_header(expanded) if expanded != path else role


def clean_header_paths(extracted: ExtractedTable) -> list[str]:
    """Header paths without the footnote marks glued to them ("P-valuec" -> "P-value")."""
    marks: dict[int, set[str]] = {}
    for cell in extracted.cells:
        if cell.is_header:
            for col in range(cell.col, cell.col + cell.col_span):
                marks.setdefault(col, set()).update(cell.marks)
    cleaned: list[str] = []
    for col, path in enumerate(extracted.header_paths):
        parts = []
        for part in path.split(" / "):
            for mark in sorted(marks.get(col, ()), key=len, reverse=True):
                if mark and part.endswith(mark) and len(part) > len(mark):
                    part = part[: -len(mark)]
            parts.append(part.strip())
        cleaned.append(" / ".join(parts))
    return cleaned
