"""The release's resources: which model backs each file, its key, and the row codec.

This is the single description of the public format. Writers (the pipeline) and
readers (the loader, ``litcurate verify``) both derive columns, types and keys from
here, so the CSV, the Parquet and datapackage.json cannot drift apart.
"""

from __future__ import annotations

import math
import types
import typing
from dataclasses import dataclass
from enum import Enum
from typing import Any

from pydantic import BaseModel

from litcurate.schemas.records import (
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
)

LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Resource:
    """One published resource: file stem, record model, primary key, column order."""

    name: str
    model: type[BaseModel]
    primary_key: tuple[str, ...]
    columns: tuple[str, ...]
    description: str


_LOCATION = ("page", "x0", "top", "x1", "bottom")


def _columns(model: type[BaseModel], first: tuple[str, ...]) -> tuple[str, ...]:
    """Key columns first, provenance (page and box) last, the rest in model order."""
    last = [name for name in _LOCATION if name in model.model_fields and name not in first]
    rest = [name for name in model.model_fields if name not in first and name not in last]
    return (*first, *rest, *last)


RESOURCES: tuple[Resource, ...] = (
    Resource(
        "papers", Paper, ("paper_id",), _columns(Paper, ("paper_id",)),
        "One row per input PDF, with its citation, licence and sha256.",
    ),
    Resource(
        "tables", Table, ("table_id",), _columns(Table, ("table_id", "paper_id")),
        "Tables found in the papers, with caption, legend and where they start.",
    ),
    Resource(
        "cells", Cell, ("table_id", "row", "col"), _columns(Cell, ("table_id", "row", "col")),
        "Every grid cell of every table, with page and box.",
    ),
    Resource(
        "outcomes", Outcome, ("outcome_id",), _columns(Outcome, ("outcome_id", "paper_id")),
        "Typed evidence: one record per number-bearing fact of a table cell (statistic, "
        "value, interval, total, spread, percent, P), with its study, group and measure.",
    ),
    Resource(
        "characteristics", Characteristic, ("characteristic_id",),
        _columns(Characteristic, ("characteristic_id", "paper_id")),
        "Text cells of studies-as-rows tables (country, design, method), as printed.",
    ),
    Resource(
        "populations", Population, ("population_id",),
        _columns(Population, ("population_id", "paper_id")),
        "Subgroup counts of each study's population.",
    ),
    Resource(
        "statements", Statement, ("statement_id",),
        _columns(Statement, ("statement_id", "paper_id")),
        "Guideline and author statements about treatments.",
    ),
    Resource(
        "criteria", Criterion, ("criterion_id",),
        _columns(Criterion, ("criterion_id", "statement_id")),
        "Machine-readable criteria of the statements.",
    ),
    Resource(
        "glossary", GlossaryEntry, ("paper_id", "abbreviation", "source"),
        _columns(GlossaryEntry, ("paper_id", "abbreviation")),
        "Abbreviations defined in table legends and prose.",
    ),
    Resource(
        "references", Reference, ("reference_id",),
        _columns(Reference, ("reference_id", "paper_id")),
        "Bibliography entries of each paper, by number: what statements' citations and "
        "outcomes' reference_number point at.",
    ),
    Resource(
        "issues", Issue, (), _columns(Issue, ("record_id",)),
        "Validation problems: errors kept records out, warnings flagged them.",
    ),
    Resource(
        "corrections", Correction, ("correction_id",),
        _columns(Correction, ("correction_id", "paper_id")),
        "Curator corrections applied in this release.",
    ),
)

RESOURCES_BY_NAME: dict[str, Resource] = {r.name: r for r in RESOURCES}


def base_type(annotation: Any) -> tuple[type, bool]:
    """Strip Optional/Annotated; return (python type, is_tuple)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return base_type(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return base_type(args[0])
    if origin is tuple:
        return str, True
    return annotation, False


def field_type(model: type[BaseModel], name: str) -> str:
    """The Frictionless Table Schema type of a model field."""
    python_type, is_list = base_type(model.model_fields[name].annotation)
    if is_list:
        return "string"
    if python_type is bool:
        return "boolean"
    if python_type is int:
        return "integer"
    if python_type is float:
        return "number"
    return "string"


def format_number(value: float) -> str:
    """Shortest stable text for a float: 16.0 -> '16', 22.5 -> '22.5'."""
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"non-finite number {value!r} cannot be published")
    text = repr(round(value, 6))
    return text[:-2] if text.endswith(".0") else text


def record_to_row(resource: Resource, record: BaseModel) -> dict[str, str]:
    """Flatten a record to CSV text cells, deterministically."""
    row: dict[str, str] = {}
    for column in resource.columns:
        value = getattr(record, column)
        row[column] = _cell_text(value)
    return row


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, tuple):
        return LIST_SEPARATOR.join(_cell_text(item) for item in value)
    return str(value)


def row_to_record(resource: Resource, row: dict[str, Any]) -> BaseModel:
    """Rebuild a record from a CSV or Parquet row (the inverse of ``record_to_row``)."""
    data: dict[str, Any] = {}
    for column in resource.columns:
        raw = row.get(column)
        python_type, is_list = base_type(resource.model.model_fields[column].annotation)
        if raw is None or (isinstance(raw, float) and math.isnan(raw)):
            raw = ""
        if is_list:
            text = str(raw)
            parts = text.split(LIST_SEPARATOR) if text else []
            data[column] = tuple(part for part in parts if part)
        elif raw == "" and not (isinstance(python_type, type) and issubclass(python_type, str)):
            data[column] = None
        elif python_type is bool:
            data[column] = raw if isinstance(raw, bool) else str(raw).lower() == "true"
        else:
            data[column] = raw
    return resource.model.model_validate(data)
