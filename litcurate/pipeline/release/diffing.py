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
import re
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
from litcurate.schemas.loader import ReleaseError, read_manifest
from litcurate.schemas.resources import RESOURCES, RESOURCES_BY_NAME

MAX_LISTED = 50  # per resource and kind, in Markdown and the terminal; JSON lists all
# A pull-request comment holds at most 65,536 characters: the Markdown stays under this,
# each listed record's values under MAX_VALUES, and says where the rest is.
MARKDOWN_BUDGET = 60_000
MAX_VALUES = 400


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
    """A release folder's version; None for a folder without a readable manifest."""
    try:
        return str(read_manifest(directory)["version"])
    except ReleaseError:
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


LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")
BACKTICKS = re.compile(r"`+")


def flat_text(text: str) -> str:
    """``text`` on one line: line breaks become spaces, other characters that do not
    print (tabs, bidirectional overrides, NUL) are spelt out as escapes."""
    flat = LINE_BREAKS.sub(" ", text)
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in flat)


def code_span(text: str, *, in_table: bool = False) -> str:
    """``text`` as a Markdown code span that shows it as it is, whatever it holds.

    A value from a release (a PDF's cell, a field name) could otherwise close the span
    with a backtick, start a new table cell with a pipe or a new line, or become live
    HTML, a link or an external image in a rendered pull request. Inside a code span
    nothing is markup; the fence is one backtick longer than the longest run in the
    text, spaces pad a text that starts or ends with a backtick or a space (Markdown
    strips one each side), and in a table cell every pipe is escaped, the one escape
    GFM reads inside code spans.
    """
    flat = flat_text(text)
    if not flat:
        return "*(empty)*"
    if in_table:
        flat = flat.replace("|", "\\|")
    fence = "`" * (max(map(len, BACKTICKS.findall(flat)), default=0) + 1)
    pad = " " if flat[0] in "` " or flat[-1] in "` " else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return code_span(text, in_table=True)


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
                lines.append(f"| {_cell(key)} | {_cell(name)} | {_cell(old)} | {_cell(new)} |")
        if len(d.changed) > MAX_LISTED:
            lines.append(f"| ... | | {len(d.changed) - MAX_LISTED} more changed records | |")
        lines.append("")
    for label, records in (("Added", d.added), ("Removed", d.removed)):
        if records:
            lines.append(f"{label} ({len(records)}):")
            lines += [f"- {code_span(key)}: {code_span(_shortened(record_values(d.name, row)))}"
                      for key, row in list(records.items())[:MAX_LISTED]]
            lines += [*_more(len(records), label.lower()), ""]
    return lines


def _shortened(text: str) -> str:
    return text if len(text) <= MAX_VALUES else text[:MAX_VALUES - 1].rstrip() + "…"


def to_markdown(diff: ReleaseDiff, budget: int = MARKDOWN_BUDGET) -> str:
    """A summary table, schema changes, then each resource's records, folded under its
    name: paste into a PR. Past ``budget`` characters the listing stops and says so."""
    lines = [f"## Dataset changes: {code_span(diff.old)} -> {code_span(diff.new)}", "",
             f"Implied bump: **{diff.bump.value}**"
             + (f" (next version {diff.implied_version})" if diff.implied_version else ""), "",
             "| resource | added | removed | changed |", "|---|---:|---:|---:|"]
    for d in diff.diffs:
        lines.append(f"| {d.name} | {len(d.added)} | {len(d.removed)} | {len(d.changed)} |")
    schema = [f"- {code_span(d.name)}: {code_span(change)}" for d in diff.diffs
              for change in d.schema_changes]
    if schema:
        lines += ["", "### Schema changes", "", *schema]
    head = "\n".join(lines).rstrip() + "\n"
    sections: list[str] = []
    size = len(head)
    for d in diff.diffs:
        if not (d.added or d.removed or d.changed):
            continue
        counts = ", ".join(f"{n} {what}" for n, what in ((len(d.added), "added"),
                           (len(d.removed), "removed"), (len(d.changed), "changed")) if n)
        section = "\n".join(["", f"<details><summary><b>{d.name}</b>: {counts}</summary>", "",
                             *_markdown_records(d), "</details>"]) + "\n"
        if size + len(section) > budget:
            sections.append(f"\n*The listing stops here to fit a pull-request comment: "
                            f"`litcurate diff {diff.old} {diff.new} --format json` lists "
                            "every change.*\n")
            break
        sections.append(section)
        size += len(section)
    return head + "".join(sections)


def print_terminal(diff: ReleaseDiff, console: Any) -> None:
    """Rich tables: the summary, then per resource its changed fields old -> new and its
    added and removed records with their values."""
    from rich.table import Table
    from rich.text import Text

    said = "no change" if diff.bump is Bump.NONE else f"{diff.bump.value} change"
    summary = Table(title=f"{diff.old} -> {diff.new}: {said}"
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
