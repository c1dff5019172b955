"""Check a published release against its own manifest and the schema it declares.

Each CSV is checked against the fields, types and primary key its datapackage.json
entry declares (``declared_schema``), so every release ever published stays
verifiable after the record models move on.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from pydantic import ValidationError

from litcurate.pipeline.release.files import read_csv_rows
from litcurate.schemas.declared_schema import entry_to_resource
from litcurate.schemas.loader import (
    ReleaseError,
    plain_file_name,
    read_manifest,
    release_file_problems,
    resolve_release_dir,
)
from litcurate.schemas.resources import Resource, row_to_record


def verify_release(curated: Path, version: str | None) -> tuple[list[str], Path | None]:
    """Problems found (file name first in each), and the release directory checked."""
    try:
        path = resolve_release_dir(curated, version)
    except ReleaseError as error:
        return [str(error)], None
    try:
        manifest = read_manifest(path)
    except ReleaseError as error:
        return [str(error)], path
    problems = release_file_problems(path, manifest)  # listed, confined, hashed, typed
    # Files that are missing or outside the folder cannot be read; a changed one still is.
    broken = {problem.split(":", 1)[0] for problem in problems
              if problem.endswith(("missing", "outside the release folder"))}
    parquet = [{**entry, "format": "parquet"}
               for entry in manifest.get("litcurate", {}).get("parquet", [])
               if isinstance(entry, dict)]
    for entry in [*manifest.get("resources", []), *parquet]:
        name = entry.get("path") if isinstance(entry, dict) else None
        if not plain_file_name(name) or str(name) in broken:
            continue  # reported already: nothing outside the folder is ever read
        target = path / str(name)
        if not target.is_file():
            continue
        resource = entry_to_resource(entry)
        if resource is None or entry.get("format") != "csv":
            continue
        problems.extend(check_csv(entry["path"], target, resource))
    return problems, path


def check_csv(name: str, target: Path, resource: Resource) -> list[str]:
    """Problems of one CSV resource: its columns, each row's values, its primary key.

    Rows are numbered as in the file, the header being row 1.
    """
    columns, rows = read_csv_rows(target)
    if tuple(columns) != resource.columns:
        return [f"{name}: columns differ from the schema "
                f"({column_difference(columns, resource.columns)})"]
    problems: list[str] = []
    for number, row in enumerate(rows, start=2):
        try:
            row_to_record(resource, row)
        except ValidationError as error:
            first = error.errors()[0]
            problems.append(f"{name}:{number}: {first['loc']}: {first['msg']}")
    return problems + check_primary_key(name, resource, rows)


def column_difference(found: list[str], expected: tuple[str, ...]) -> str:
    """Which columns a file lacks, which it has in excess, or that only their order differs."""
    missing = [c for c in expected if c not in found]
    unexpected = [c for c in found if c not in expected]
    parts = ([f"missing {', '.join(missing)}"] if missing else []) + (
        [f"not in the schema {', '.join(unexpected)}"] if unexpected else [])
    return "; ".join(parts) or f"order {', '.join(found)}, expected {', '.join(expected)}"


def check_primary_key(name: str, resource: Resource, rows: list[dict[str, str]]) -> list[str]:
    """Frictionless's primary-key rule: key values present and unique; offending rows named."""
    key = resource.primary_key
    if not key:
        return []
    problems: list[str] = []
    rows_by_key: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for number, row in enumerate(rows, start=2):
        values = tuple(row.get(column, "") for column in key)
        empty = [column for column, value in zip(key, values, strict=True) if value == ""]
        if empty:
            problems.append(f"{name}:{number}: primary key column {', '.join(empty)} is empty")
        rows_by_key[values].append(number)
    for values, numbers in rows_by_key.items():
        if len(numbers) > 1:
            shown = ", ".join(f"{c}={v!r}" for c, v in zip(key, values, strict=True))
            problems.append(f"{name}: primary key ({shown}) repeats on rows "
                            f"{', '.join(map(str, numbers))}")
    return problems
