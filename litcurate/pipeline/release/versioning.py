"""Compare two sets of release rows and derive the version bump.

Rules (Frictionless data-package versioning): a schema change (column added,
removed or retyped) is major; new or removed records are minor; changed values
only are a patch; no change means nothing to publish.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from litcurate.schemas import record_ids
from litcurate.schemas.resources import Resource


class Bump(StrEnum):
    NONE = "none"
    PATCH = "patch"
    MINOR = "minor"
    MAJOR = "major"


BUMP_ORDER = [Bump.NONE, Bump.PATCH, Bump.MINOR, Bump.MAJOR]
FIRST_VERSION = "1.0.0"


@dataclass
class ResourceDiff:
    """How one resource changed: row ids added/removed/changed, and schema changes."""

    name: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    schema_changes: list[str] = field(default_factory=list)

    @property
    def bump(self) -> Bump:
        if self.schema_changes:
            return Bump.MAJOR
        if self.added or self.removed:
            return Bump.MINOR
        if self.changed:
            return Bump.PATCH
        return Bump.NONE


def row_id(resource: Resource, row: dict[str, str]) -> str:
    """A row's stable id: its primary key values, or the whole row for key-less resources."""
    columns = resource.primary_key or tuple(sorted(row))
    return record_ids.key_id([row.get(c, "") for c in columns])


def diff_rows(resource: Resource, old_columns: list[str], old_rows: list[dict[str, str]],
              new_columns: list[str], new_rows: list[dict[str, str]]) -> ResourceDiff:
    """Given the old and new rows of one resource, return what changed, cell by cell."""
    diff = ResourceDiff(resource.name)
    for column in new_columns:
        if column not in old_columns:
            diff.schema_changes.append(f"field added: {column}")
    for column in old_columns:
        if column not in new_columns:
            diff.schema_changes.append(f"field removed: {column}")
    old = {row_id(resource, r): r for r in old_rows}
    new = {row_id(resource, r): r for r in new_rows}
    diff.added = sorted(set(new) - set(old))
    diff.removed = sorted(set(old) - set(new))
    shared = [c for c in new_columns if c in old_columns]
    for key in sorted(set(old) & set(new)):
        changes = {c: (old[key][c], new[key][c]) for c in shared if old[key][c] != new[key][c]}
        if changes:
            diff.changed[key] = changes
    return diff


AUDIT_RESOURCES = frozenset({"corrections"})


def overall_bump(diffs: list[ResourceDiff]) -> Bump:
    """The largest bump any resource asks for.

    The corrections log only records why data changed: a corrected value is a patch
    even though its correction is a new row there (a schema change still counts).
    """
    bumps = [Bump.MAJOR if d.schema_changes else Bump.NONE if d.name in AUDIT_RESOURCES
             else d.bump for d in diffs]
    return max(bumps, key=BUMP_ORDER.index, default=Bump.NONE)


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
