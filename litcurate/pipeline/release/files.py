"""Write and read a release's resource files: CSV for reviewers, Parquet for apps.

Rows are sorted by primary key and numbers formatted canonically, so the same
records always give the same bytes: releases diff cleanly and can be rebuilt
byte-for-byte from the same inputs.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel

from litcurate.schemas.resources import Resource, field_type, record_to_row

ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
}


def sort_key(resource: Resource, row: dict[str, str]) -> tuple[Any, ...]:
    """Primary-key order (numeric parts compared as numbers), then the whole row."""
    key_columns = resource.primary_key or resource.columns
    parts: list[Any] = []
    for column in key_columns:
        value = row[column]
        if field_type(resource.model, column) == "integer" and value.lstrip("-").isdigit():
            parts.append((0, int(value), ""))
        else:
            parts.append((1, 0, value))
    return (*parts, tuple(row[c] for c in resource.columns))


def records_to_rows(resource: Resource, records: Iterable[BaseModel]) -> list[dict[str, str]]:
    """Records -> sorted CSV rows."""
    rows = [record_to_row(resource, record) for record in records]
    return sorted(rows, key=lambda row: sort_key(resource, row))


def rows_to_csv_bytes(resource: Resource, rows: Sequence[dict[str, str]]) -> bytes:
    """CSV text with a header, '\\n' line ends, minimal quoting, UTF-8."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(resource.columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _arrow_value(kind: str, text: str) -> Any:
    if text == "":
        return "" if kind == "string" else None
    if kind == "integer":
        return int(text)
    if kind == "number":
        return float(text)
    if kind == "boolean":
        return text == "true"
    return text


def rows_to_parquet_bytes(resource: Resource, rows: Sequence[dict[str, str]]) -> bytes:
    """Parquet with the published column types, built from the same rows as the CSV."""
    kinds = {c: field_type(resource.model, c) for c in resource.columns}
    schema = pa.schema([pa.field(c, ARROW_TYPES[kinds[c]]) for c in resource.columns])
    columns = {c: [_arrow_value(kinds[c], row[c]) for row in rows] for c in resource.columns}
    table = pa.Table.from_pydict(columns, schema=schema)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd", write_statistics=False)
    return bytes(sink.getvalue().to_pybytes())


def read_csv_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Columns and rows of a published CSV, as text."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows
