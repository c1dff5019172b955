"""Curators' corrections: fixed once, applied on every re-extraction, never lost silently.

A paper's corrections live in ``data/curated/corrections/<paper_id>.yaml``:

    - resource: outcomes
      id: "10.3390_jcm8111907:table-1:ho-2007:arm-a:os"
      action: set            # set | exclude | add
      field: value
      from: "42"             # what the curator saw; if the extraction now differs, stale
      to: "44"
      by: A. Curator
      reason: typo in the PDF, confirmed in the primary study
      date: 2026-11-24

Targets are records by their stable id (a resource's primary key, several key columns
joined with " | "), so cells, outcomes, populations, statements and criteria can all be
corrected. They are applied after extraction and before validation, so a corrected value
is validated like any other. A correction whose target is gone, or whose ``from`` no
longer matches, is *stale*: reported as an issue and listed in corrections.csv, but not
applied. ``PaperCorrections`` hands one paper's entries to the stage chain (it is the
chain's ``Corrections``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from litcurate.atomic import write_atomic
from litcurate.extractors.stage_chain import PaperExtraction
from litcurate.extractors.tables.extract import TablesResult
from litcurate.pipeline.bounded_yaml import (
    BoundedYamlError,
    load_bounded_yaml,
    validation_problems,
)
from litcurate.pipeline.release.versioning import row_id
from litcurate.pipeline.safe_names import UnsafeNameError, check_name
from litcurate.schemas import Correction, Issue, record_ids
from litcurate.schemas.issue_catalogue import issue_rule, make_issue
from litcurate.schemas.resources import RESOURCES_BY_NAME, record_to_row, row_to_record

CORRECTIONS_DIR = "corrections"
CORRECTABLE = ("tables", "cells", "outcomes", "populations", "statements", "criteria",
               "glossary")


class CorrectionsError(ValueError):
    """A corrections file that cannot be read or does not validate; names the file."""


class CorrectionEntry(BaseModel):
    """One entry of a corrections file, validated before anything is applied."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    resource: Literal["tables", "cells", "outcomes", "populations", "statements", "criteria",
                      "glossary"]
    id: str = ""
    action: Literal["set", "exclude", "add"]
    field: str = ""
    from_: str | None = Field(default=None, alias="from")
    to: str = ""
    record: dict[str, Any] | None = None
    by: str = Field(min_length=1)
    reason: str = Field(min_length=1)
    date: dt.date

    @model_validator(mode="after")
    def _complete(self) -> CorrectionEntry:
        columns = RESOURCES_BY_NAME[self.resource].columns
        if self.action in {"set", "exclude"} and not self.id:
            raise ValueError(f"{self.action} needs the target's id")
        if self.action == "set" and self.field not in columns:
            raise ValueError(f"field {self.field!r} is not a column of {self.resource}")
        keys = {*RESOURCES_BY_NAME[self.resource].primary_key, "paper_id"}
        if self.action == "set" and self.field in keys:
            raise ValueError(f"field {self.field!r} names the record itself; exclude it and "
                             "add the corrected record instead")
        if self.action == "add" and not self.record:
            raise ValueError("add needs the whole record")
        return self

    def correction_id(self, paper_id: str) -> str:
        return record_ids.correction_id(paper_id, self.resource, self.id, self.action,
                                        self.field, self.to, str(self.record))


def corrections_path(curated_dir: Path, paper_id: str) -> Path:
    """The paper's corrections file; a paper id that is not a plain name is refused."""
    try:
        check_name(paper_id, "paper id")
    except UnsafeNameError as error:
        raise CorrectionsError(str(error)) from error
    return curated_dir / CORRECTIONS_DIR / f"{paper_id}.yaml"


def save_corrections(path: Path, entries: list[dict[str, Any]]) -> None:
    """Write a corrections file (entries as plain dicts, in order) atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, yaml.safe_dump(entries, sort_keys=False, allow_unicode=True),
                 prefix=f".{path.name}.", suffix=".tmp")


def append_correction(path: Path, entries: list[dict[str, Any]], item: dict[str, Any]) -> None:
    """Add ``item`` after ``entries`` (the file's, as loaded): appended to the text, so
    a curator's comments, order and quoting stay; the whole file is rewritten only when
    the text as it is (a flow-style list) would not take an appended entry."""
    block = yaml.safe_dump([item], sort_keys=False, allow_unicode=True)
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if text and not text.endswith("\n"):
        text += "\n"
    try:
        appended = yaml.safe_load(text + block)
    except yaml.YAMLError:
        appended = None
    if isinstance(appended, list) and len(appended) == len(entries) + 1:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text + block, prefix=f".{path.name}.", suffix=".tmp")
    else:
        save_corrections(path, [*entries, item])


def load_corrections(path: Path) -> list[CorrectionEntry]:
    """Given a corrections file, return its entries; a missing file means none."""
    if not path.is_file():
        return []
    try:
        data = load_bounded_yaml(path) or []
    except BoundedYamlError as error:
        raise CorrectionsError(f"{path.name}: {error}") from error
    if not isinstance(data, list):
        raise CorrectionsError(f"{path.name}: expected a list of corrections")
    entries: list[CorrectionEntry] = []
    for index, item in enumerate(data, start=1):
        try:
            entries.append(CorrectionEntry.model_validate(item))
        except ValidationError as error:
            raise CorrectionsError(f"{path.name}: correction {index}: "
                                   f"{validation_problems(error)}") from error
    return entries


def orphaned_corrections(curated_dir: Path, paper_ids: set[str]) -> list[Issue]:
    """Corrections files that name no paper of the release, each as an issue.

    A paper without a DOI takes its id from its file name, so renaming the PDF leaves its
    corrections file behind; so does removing a paper, or a typo in a file's name. Their
    corrections apply to nothing, which the curator must hear about.
    """
    folder = curated_dir / CORRECTIONS_DIR
    if not folder.is_dir():
        return []
    issues: list[Issue] = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue  # a file being written, or the editor's own
        if path.suffix != ".yaml":
            why = "corrections files are named PAPER_ID.yaml"
        elif not path.is_file():
            why = "it is not a regular file"
        elif path.stem not in paper_ids:
            why = f"it names paper {path.stem!r}, which is not in this release"
        else:
            continue
        issues.append(make_issue("orphan-corrections", record_id=f"{CORRECTIONS_DIR}/{path.name}",
                                 file=f"{CORRECTIONS_DIR}/{path.name}", why=why))
    return issues


def _record(entry: CorrectionEntry, paper_id: str, *, status: str, old: str = "") -> Correction:
    value = entry.to if entry.action == "set" else (
        ", ".join(f"{k}={v}" for k, v in sorted((entry.record or {}).items())))
    return Correction(
        correction_id=entry.correction_id(paper_id), paper_id=paper_id,
        resource=entry.resource, target=entry.id, field=entry.field, action=entry.action,
        old_value=entry.from_ if entry.from_ is not None else old, value=value,
        status=status, author=entry.by, reason=entry.reason, date=entry.date.isoformat())


@dataclass
class CellFixes:
    """What the table-stage corrections did: their records and their stale issues."""

    corrections: list[Correction] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


@dataclass
class PaperCorrections:
    """One paper's entries, applied at the two points of the stage chain that need them."""

    paper_id: str
    entries: list[CorrectionEntry] = field(default_factory=list)
    cell_fixes: CellFixes = field(default_factory=CellFixes)

    def correct_tables(self, tables: TablesResult) -> None:
        self.cell_fixes = apply_cell_corrections(tables, self.entries, self.paper_id)

    def correct_records(self, extraction: PaperExtraction) -> PaperExtraction:
        return apply_corrections(extraction, self.entries, self.cell_fixes)


def apply_cell_corrections(found: TablesResult, entries: list[CorrectionEntry],
                           paper_id: str) -> CellFixes:
    """Correct grid cells before outcomes are read from them, so a fixed cell fixes its
    outcome records too. Same rules as ``apply_corrections``; other entries are left."""
    fixes = CellFixes()
    resource = RESOURCES_BY_NAME["cells"]
    for entry in (e for e in entries if e.resource == "cells"):
        if entry.action == "add":
            fixes.issues.append(_stale(entry, paper_id,
                                       "cells are added by re-extraction, not by hand"))
            fixes.corrections.append(_record(entry, paper_id, status="stale"))
            continue
        holder = next((table.cells for table in found.tables
                       if any(row_id(resource, record_to_row(resource, c)) == entry.id
                              for c in table.cells)), [])
        record, issue = _edit(holder, entry, paper_id)
        fixes.corrections.append(record)
        if issue is not None:
            fixes.issues.append(issue)
    return fixes


def apply_corrections(extraction: PaperExtraction, entries: list[CorrectionEntry],
                      cell_fixes: CellFixes | None = None) -> PaperExtraction:
    """Apply each entry to the paper's records; stale ones become issues, not edits.

    Cell corrections were applied at the table stage (``apply_cell_corrections``);
    their records and issues are carried in through ``cell_fixes``.
    """
    paper_id = extraction.paper.paper_id
    applied: list[Correction] = list(cell_fixes.corrections) if cell_fixes else []
    if cell_fixes:
        extraction.issues.extend(cell_fixes.issues)
    for entry in entries:
        if cell_fixes is not None and entry.resource == "cells":
            continue
        record, issue = _edit(getattr(extraction, entry.resource), entry, paper_id)
        applied.append(record)
        if issue is not None:
            extraction.issues.append(issue)
        elif entry.action in {"set", "exclude"}:
            extraction.issues = [i for i in extraction.issues if not _settles(entry, i)]
    extraction.corrections = unique_correction_ids(applied)
    return extraction


def _settles(entry: CorrectionEntry, issue: Issue) -> bool:
    """Whether an applied correction answers ``issue``: it excluded the flagged record, or
    set a field the issue's rule is settled by. Issues the validation raises are raised
    again on the corrected records, so only the stages' own flags need this."""
    if issue.record_id != entry.id:
        return False
    return entry.action == "exclude" or entry.field in issue_rule(issue.rule).settled_by


def unique_correction_ids(corrections: list[Correction]) -> list[Correction]:
    """Two entries that say the same thing share a content hash; corrections.csv's primary
    key needs them apart. The first keeps the id it always had, later ones get ':2', ':3'."""
    seen: Counter[str] = Counter()
    unique: list[Correction] = []
    for correction in corrections:
        seen[correction.correction_id] += 1
        occurrence = seen[correction.correction_id]
        unique.append(correction if occurrence == 1 else correction.model_copy(update={
            "correction_id": record_ids.repeated_correction_id(correction.correction_id,
                                                               occurrence)}))
    return unique


def _edit(records: list[Any], entry: CorrectionEntry, paper_id: str
          ) -> tuple[Correction, Issue | None]:
    """Apply one entry to one list of records in place: the audit record, and the stale
    issue when it could not be applied."""
    resource = RESOURCES_BY_NAME[entry.resource]

    def stale(why: str, old: str = "") -> tuple[Correction, Issue | None]:
        return _record(entry, paper_id, status="stale", old=old), _stale(entry, paper_id, why)

    if entry.action == "add":
        row = {k: "" if v is None else str(v) for k, v in (entry.record or {}).items()}
        row.setdefault("paper_id", paper_id)
        if row["paper_id"] != paper_id:
            return stale(f"the record names paper {row['paper_id']!r}, not {paper_id!r}: "
                         "add it in that paper's corrections file")
        key = resource.primary_key[0] if len(resource.primary_key) == 1 else ""
        if key and not row.get(key, "").startswith(f"{paper_id}:"):
            return stale(f"its {key} must start with '{paper_id}:', as the paper's own ids do")
        try:
            records.append(row_to_record(resource, {c: row.get(c, "") for c in resource.columns}))
        except (ValidationError, ValueError) as error:
            return stale(f"record does not validate: {error.__class__.__name__}")
        return _record(entry, paper_id, status="applied"), None
    index = next((i for i, r in enumerate(records)
                  if row_id(resource, record_to_row(resource, r)) == entry.id), None)
    if index is None:
        return stale("its target no longer exists")
    row = record_to_row(resource, records[index])
    current = row.get(entry.field, "")
    if entry.action == "exclude":
        del records[index]
        return _record(entry, paper_id, status="applied"), None
    if entry.from_ is not None and current != entry.from_:
        return stale(f"{entry.field} is now {current!r}, not {entry.from_!r}", current)
    row[entry.field] = entry.to
    try:
        records[index] = row_to_record(resource, row)
    except (ValidationError, ValueError) as error:
        return stale(f"new value does not validate: {error.__class__.__name__}", current)
    return _record(entry, paper_id, status="applied", old=current), None


def _stale(entry: CorrectionEntry, paper_id: str, why: str) -> Issue:
    """The issue of a correction not applied, on the correction itself (its target may be
    gone; the correction is published in corrections.csv)."""
    return make_issue("stale-correction", record_id=entry.correction_id(paper_id),
                      paper_id=paper_id, by=entry.by, date=entry.date.isoformat(),
                      resource=entry.resource, record=entry.id, why=why)
