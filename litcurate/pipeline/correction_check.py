"""Check a curator's correction against the release it was written from, before it is saved.

A correction names a record by its stable id and, optionally, the value the curator saw
(``from``). Checked only at the next run, a typo in the id, a ``from`` read from another
release or a value of the wrong type would surface as a stale correction after the fact;
checked against LATEST at the moment ``litcurate correct`` is called, the curator learns
it while the PDF is still open.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from litcurate.pipeline.corrections import CorrectionEntry
from litcurate.pipeline.release.files import read_csv_rows
from litcurate.pipeline.release.versioning import row_id
from litcurate.schemas.resources import RESOURCES_BY_NAME, Resource, row_to_record


def find_row(release: Path, resource: Resource, record_id: str) -> dict[str, str] | None:
    """The release's row of ``resource`` whose stable id is ``record_id``, if any."""
    path = release / f"{resource.name}.csv"
    rows = read_csv_rows(path)[1] if path.is_file() else []
    return next((row for row in rows if row_id(resource, row) == record_id), None)


def check_correction(entry: CorrectionEntry, paper_id: str, release: Path) -> list[str]:
    """Why ``entry`` would not apply to the records of ``release``; empty when it would."""
    resource = RESOURCES_BY_NAME[entry.resource]
    row = find_row(release, resource, entry.id)
    if row is None:
        return [f"release {release.name} has no {resource.name} record {entry.id!r}"]
    owner = row.get("paper_id")
    belongs = owner == paper_id if owner is not None else entry.id.startswith(f"{paper_id}:")
    if not belongs:
        return [f"record {entry.id!r} is not one of paper {paper_id}'s"]
    if entry.action != "set":
        return []
    current = row.get(entry.field, "")
    if entry.from_ is not None and entry.from_ != current:
        return [f"{entry.field} of {entry.id!r} is {current!r} in release {release.name}, "
                f"not {entry.from_!r} as --from says"]
    return check_value(resource, row, entry.field, entry.to)


def check_value(resource: Resource, row: dict[str, str], field: str, value: str) -> list[str]:
    """Whether ``row`` with ``field`` set to ``value`` still validates as its record type.

    Only problems of that field (or of the record as a whole, such as a box whose
    corners cross) count: the row itself was valid when it was published.
    """
    candidate = {column: row.get(column, "") for column in resource.columns}
    candidate[field] = value
    try:
        row_to_record(resource, candidate)
    except ValidationError as error:
        relevant = [e for e in error.errors() if not e["loc"] or e["loc"][0] == field]
        return [f"{field}={value!r} does not validate: {e['msg']}" for e in relevant[:1]]
    return []
