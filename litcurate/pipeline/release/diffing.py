"""Two releases side by side: what changed, cell by cell, and the bump it implies.

``diff_release_dirs`` reads both releases' CSV files and matches records by their stable
ids (the resources' primary keys; a table's cells through its aligned rows, issues by
record and rule: ``keyed_rows``), so a maintainer sees records added and removed with
their values, and each changed field old -> new, with schema changes apart. Renderers turn
the result into Markdown for a pull request, JSON for tools, or a rich table for the
terminal.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from litcurate.pipeline.release.files import read_csv_rows
from litcurate.pipeline.release.versioning import (
    Bump,
    ResourceDiff,
    diff_rows,
    next_version,
    overall_bump,
)
from litcurate.schemas.resources import RESOURCES, RESOURCES_BY_NAME

MAX_LISTED = 50  # per resource and kind, in Markdown and the terminal; JSON lists all


@dataclass(frozen=True)
class ReleaseDiff:
    """Every resource's changes between an old and a new release."""

    old: str
    new: str
    old_version: str | None
    diffs: tuple[ResourceDiff, ...]

    @property
    def bump(self) -> Bump:
        return overall_bump(list(self.diffs))

    @property
    def implied_version(self) -> str | None:
        return next_version(self.old_version, self.bump)


def _version_of(directory: Path) -> str | None:
    manifest = directory / "datapackage.json"
    if manifest.is_file():
        version = json.loads(manifest.read_text(encoding="utf-8")).get("version")
        return str(version) if version else None
    return None


def diff_release_dirs(old: Path, new: Path) -> ReleaseDiff:
    """Given two release directories, return their differences per resource."""
    diffs: list[ResourceDiff] = []
    for resource in RESOURCES:
        old_csv, new_csv = old / f"{resource.name}.csv", new / f"{resource.name}.csv"
        if not old_csv.is_file() and not new_csv.is_file():
            continue
        if not old_csv.is_file():
            diffs.append(ResourceDiff(resource.name, schema_changes=["resource added"]))
            continue
        if not new_csv.is_file():
            diffs.append(ResourceDiff(resource.name, schema_changes=["resource removed"]))
            continue
        old_columns, old_rows = read_csv_rows(old_csv)
        new_columns, new_rows = read_csv_rows(new_csv)
        diffs.append(diff_rows(resource, old_columns, old_rows, new_columns, new_rows))
    return ReleaseDiff(old.name, new.name, _version_of(old), tuple(diffs))


def record_values(name: str, row: dict[str, str]) -> str:
    """A record's non-empty fields as ``field=value``, its key fields left out (its id says
    them): how an added or removed record is listed."""
    resource = RESOURCES_BY_NAME.get(name)
    key = set(resource.primary_key) if resource is not None else set()
    return ", ".join(f"{column}={value}" for column, value in row.items()
                     if value != "" and column not in key)


def to_json(diff: ReleaseDiff) -> str:
    """Every change, for tools: stable ordering so the output itself diffs cleanly."""
    document: dict[str, Any] = {
        "old": diff.old, "new": diff.new, "bump": diff.bump.value,
        "implied_version": diff.implied_version,
        "resources": [
            {"name": d.name, "schema_changes": d.schema_changes,
             "added": [{"id": key, "values": row} for key, row in d.added.items()],
             "removed": [{"id": key, "values": row} for key, row in d.removed.items()],
             "changed": [{"id": key, "fields": {f: {"old": o, "new": n}
                                                for f, (o, n) in fields.items()}}
                         for key, fields in d.changed.items()]}
            for d in diff.diffs],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    text = text.replace("|", "\\|").replace("\n", " ")
    return f"`{text}`" if text else "*(empty)*"


def _more(count: int, what: str) -> list[str]:
    return [f"- ... and {count - MAX_LISTED} more {what} (`--format json` lists all)"
            ] if count > MAX_LISTED else []


def _markdown_records(d: ResourceDiff) -> list[str]:
    """One resource's changed fields, then its added and removed records with their values."""
    lines: list[str] = []
    if d.changed:
        lines += ["| id | field | old | new |", "|---|---|---|---|"]
        for key, fields in list(d.changed.items())[:MAX_LISTED]:
            for name, (old, new) in fields.items():
                lines.append(f"| {_cell(key)} | {name} | {_cell(old)} | {_cell(new)} |")
        if len(d.changed) > MAX_LISTED:
            lines.append(f"| ... | | {len(d.changed) - MAX_LISTED} more changed records | |")
        lines.append("")
    for label, records in (("Added", d.added), ("Removed", d.removed)):
        if records:
            lines.append(f"{label} ({len(records)}):")
            lines += [f"- {_cell(key)}: {record_values(d.name, row).replace(chr(10), ' ')}"
                      for key, row in list(records.items())[:MAX_LISTED]]
            lines += [*_more(len(records), label.lower()), ""]
    return lines


def to_markdown(diff: ReleaseDiff) -> str:
    """A summary table, schema changes, then each resource's records: paste into a PR."""
    lines = [f"## Dataset changes: {diff.old} -> {diff.new}", "",
             f"Implied bump: **{diff.bump.value}**"
             + (f" (next version {diff.implied_version})" if diff.implied_version else ""), "",
             "| resource | added | removed | changed |", "|---|---:|---:|---:|"]
    for d in diff.diffs:
        lines.append(f"| {d.name} | {len(d.added)} | {len(d.removed)} | {len(d.changed)} |")
    schema = [f"- `{d.name}`: {change}" for d in diff.diffs for change in d.schema_changes]
    if schema:
        lines += ["", "### Schema changes", "", *schema]
    for d in diff.diffs:
        if d.added or d.removed or d.changed:
            lines += ["", f"### {d.name}", "", *_markdown_records(d)]
    return "\n".join(lines).rstrip() + "\n"


def print_terminal(diff: ReleaseDiff, console: Any) -> None:
    """Rich tables: the summary, then per resource its changed fields old -> new and its
    added and removed records with their values."""
    from rich.table import Table
    from rich.text import Text

    summary = Table(title=f"{diff.old} -> {diff.new}: {diff.bump.value} change"
                    + (f", next version {diff.implied_version}" if diff.implied_version else ""))
    for column in ("resource", "added", "removed", "changed", "schema"):
        summary.add_column(column, justify="right" if column in {"added", "removed",
                                                                  "changed"} else "left")
    for d in diff.diffs:
        summary.add_row(d.name, str(len(d.added)), str(len(d.removed)), str(len(d.changed)),
                        Text("; ".join(d.schema_changes)))
    console.print(summary)
    for d in diff.diffs:
        if d.changed:
            table = Table(title=f"{d.name}: changed fields")
            for column in ("id", "field", "old", "new"):
                table.add_column(column, overflow="fold")
            for key, fields in list(d.changed.items())[:MAX_LISTED]:
                for name, (old, new) in fields.items():
                    table.add_row(Text(key), Text(name), Text(old, style="red"),
                                  Text(new, style="green"))
            console.print(table)
        for label, records, style in (("added", d.added, "green"), ("removed", d.removed, "red")):
            if records:
                listed = Table(title=f"{d.name}: {len(records)} {label}")
                for column in ("id", "values"):
                    listed.add_column(column, overflow="fold")
                for key, row in list(records.items())[:MAX_LISTED]:
                    listed.add_row(Text(key), Text(record_values(d.name, row), style=style))
                console.print(listed)
