"""Compare two sets of release rows and derive the version bump.

Rules (Frictionless data-package versioning, as the README states them): a schema
change (column added, removed or retyped) is major; new or removed records are minor;
changed values only, corrections included, are a patch; no change means nothing to
publish.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from litcurate.pipeline.release.keyed_rows import POSITION_COLUMNS, pair_rows, row_id
from litcurate.schemas.resources import Resource

__all__ = ["Bump", "ResourceDiff", "diff_rows", "next_version", "overall_bump", "row_id"]


class Bump(StrEnum):
    NONE = "none"
    PATCH = "patch"
    MINOR = "minor"
    MAJOR = "major"


BUMP_ORDER = [Bump.NONE, Bump.PATCH, Bump.MINOR, Bump.MAJOR]
FIRST_VERSION = "1.0.0"


@dataclass
class ResourceDiff:
    """How one resource changed: records added and removed (by id, with their values),
    fields changed old -> new (by the new record's id), and schema changes."""

    name: str
    added: dict[str, dict[str, str]] = field(default_factory=dict)
    removed: dict[str, dict[str, str]] = field(default_factory=dict)
    changed: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    schema_changes: list[str] = field(default_factory=list)
    changed_rows: dict[str, dict[str, str]] = field(default_factory=dict)  # new values

    @property
    def bump(self) -> Bump:
        if self.schema_changes:
            return Bump.MAJOR
        if self.added or self.removed:
            return Bump.MINOR
        if self.changed:
            return Bump.PATCH
        return Bump.NONE


def schema_changes(old_columns: list[str], new_columns: list[str]) -> list[str]:
    """Fields added and removed between two copies of a resource."""
    return ([f"field added: {c}" for c in new_columns if c not in old_columns]
            + [f"field removed: {c}" for c in old_columns if c not in new_columns])


def diff_rows(resource: Resource, old_columns: list[str], old_rows: list[dict[str, str]],
              new_columns: list[str], new_rows: list[dict[str, str]]) -> ResourceDiff:
    """Given the old and new rows of one resource, return what changed, record by record.

    Records pair by id (``keyed_rows``); a table's cells by their aligned rows, so a row
    inserted into a table is one row added, not every row below it changed.
    """
    diff = ResourceDiff(resource.name, schema_changes=schema_changes(old_columns, new_columns))
    shared = [c for c in new_columns
              if c in old_columns and c not in POSITION_COLUMNS.get(resource.name, ())]
    for pair in pair_rows(resource, old_rows, new_rows):
        if pair.old is None and pair.new_id is not None and pair.new is not None:
            diff.added[pair.new_id] = pair.new
        elif pair.new is None and pair.old_id is not None and pair.old is not None:
            diff.removed[pair.old_id] = pair.old
        elif pair.old is not None and pair.new is not None and pair.new_id is not None:
            old, new = pair.old, pair.new
            changes = {c: (old[c], new[c]) for c in shared if old[c] != new[c]}
            if changes:
                diff.changed[pair.new_id] = changes
                diff.changed_rows[pair.new_id] = new
    return diff


def explained_ids(diffs: list[ResourceDiff]) -> set[str]:
    """Ids of records whose values changed or that a new, dropped or edited correction
    targets: issues about them come and go with the correction, not as new records."""
    ids = {key for d in diffs if d.name not in {"issues", "corrections"} for key in d.changed}
    for d in diffs:
        if d.name == "corrections":
            rows = [*d.added.values(), *d.removed.values(), *d.changed_rows.values()]
            ids |= {row.get("target", "") for row in rows}
            ids |= {*d.added, *d.removed, *d.changed}  # a stale correction's own issue
    return ids


def resource_bump(diff: ResourceDiff, explained: set[str]) -> Bump:
    """The bump one resource's changes ask for.

    The corrections log says why data changed: any change of it is a patch. Issues about
    a corrected or changed record come and go with it, so they are a patch too; other
    issues added or removed are records like any other (minor).
    """
    if diff.schema_changes or diff.name not in {"issues", "corrections"}:
        return diff.bump
    unexplained = [row for row in (*diff.added.values(), *diff.removed.values())
                   if row.get("record_id") not in explained]
    if diff.name == "issues" and unexplained:
        return Bump.MINOR
    return Bump.PATCH if diff.added or diff.removed or diff.changed else Bump.NONE


def overall_bump(diffs: list[ResourceDiff]) -> Bump:
    """The largest bump any resource asks for (README: schema major, records added or
    removed minor, values changed, corrections included, patch)."""
    explained = explained_ids(diffs)
    return max((resource_bump(d, explained) for d in diffs), key=BUMP_ORDER.index,
               default=Bump.NONE)


def next_version(previous: str | None, bump: Bump) -> str | None:
    """Semantic version after ``bump``; the first release is 1.0.0; no change, no version."""
    if previous is None:
        return FIRST_VERSION
    if bump == Bump.NONE:
        return None
    major, minor, patch = (int(part) for part in previous.split("."))
    if bump == Bump.MAJOR:
        return f"{major + 1}.0.0"
    if bump == Bump.MINOR:
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"
