"""Check a published release against its own manifest and the schemas."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from litcurate.pipeline.release.files import read_csv_rows
from litcurate.schemas.loader import ReleaseError, release_file_problems, resolve_release_dir
from litcurate.schemas.resources import RESOURCES_BY_NAME, row_to_record


def verify_release(curated: Path, version: str | None) -> tuple[list[str], Path | None]:
    """Problems found (file name first in each), and the release directory checked."""
    try:
        path = resolve_release_dir(curated, version)
    except ReleaseError as error:
        return [str(error)], None
    try:
        manifest = json.loads((path / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return [f"datapackage.json: cannot be read ({error})"], path
    if not isinstance(manifest, dict):
        return ["datapackage.json: not a JSON object"], path
    problems = release_file_problems(path, manifest)  # listed, confined, hashed, typed
    broken = {problem.split(":", 1)[0] for problem in problems}
    parquet = [{**entry, "format": "parquet"}
               for entry in manifest.get("litcurate", {}).get("parquet", [])
               if isinstance(entry, dict)]
    for entry in [*manifest.get("resources", []), *parquet]:
        if not isinstance(entry, dict) or str(entry.get("path")) in broken:
            continue
        target = path / entry["path"]
        if target.stat().st_size != entry.get("bytes"):
            problems.append(f"{entry['path']}: size differs from datapackage.json")
        resource = RESOURCES_BY_NAME.get(str(entry.get("name")))
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
