"""Check a published release against its own manifest and the schemas."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from litcurate.pipeline.release.files import read_csv_rows
from litcurate.schemas.loader import ReleaseError, file_sha256, resolve_release_dir
from litcurate.schemas.resources import RESOURCES_BY_NAME, row_to_record


def verify_release(curated: Path, version: str | None) -> tuple[list[str], Path | None]:
    """Problems found (file name first in each), and the release directory checked."""
    try:
        path = resolve_release_dir(curated, version)
    except ReleaseError as error:
        return [str(error)], None
    manifest = json.loads((path / "datapackage.json").read_text(encoding="utf-8"))
    problems: list[str] = []
    parquet = [{**entry, "format": "parquet"}
               for entry in manifest.get("litcurate", {}).get("parquet", [])]
    for entry in [*manifest.get("resources", []), *parquet]:
        target = path / entry["path"]
        if not target.is_file():
            problems.append(f"{entry['path']}: missing")
            continue
        if f"sha256:{file_sha256(target)}" != entry.get("hash"):
            problems.append(f"{entry['path']}: sha256 differs from datapackage.json")
        if target.stat().st_size != entry.get("bytes"):
            problems.append(f"{entry['path']}: size differs from datapackage.json")
        resource = RESOURCES_BY_NAME.get(entry["name"])
        if resource is None or entry.get("format") != "csv":
            continue
        columns, rows = read_csv_rows(target)
        if tuple(columns) != resource.columns:
            problems.append(f"{entry['path']}: columns differ from the schema")
            continue
        for number, row in enumerate(rows, start=2):
            try:
                row_to_record(resource, row)
            except ValidationError as error:
                first = error.errors()[0]
                problems.append(f"{entry['path']}:{number}: {first['loc']}: {first['msg']}")
    return problems, path
