"""Studies-as-rows tables -> typed records per study, arm and measure, plus characteristics.

Each body row is a study (``study_labels``); rows without a study label continue the
row above (a wrapped cell split off). Stacked values in a cell ("78\\n75") are matched to
the arms printed in the treatment cell ("A or B", "A\\nB") or to a label printed with the
value ("A 76"); a single value in a multi-arm row is pooled. Text cells (country, design,
method) become characteristics, so every cell of the table is accounted for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from litcurate.extractors.evidence.category_counts import group_values, legend_groups
from litcurate.extractors.evidence.cell_facts import (
    ColumnContext,
    PrintedValue,
    RowContext,
    table_legend_meaning,
    value_records,
)
from litcurate.extractors.evidence.columns import ColumnRole
from litcurate.extractors.evidence.header_meaning import Meaning, merge_meanings, read_meaning
from litcurate.extractors.evidence.study_labels import StudyLabel, parse_study_label
from litcurate.extractors.evidence.table_cells import body_rows, cell_lines, is_text_cell
from litcurate.extractors.evidence.values import parse_value, strip_marks
from litcurate.extractors.tables.extract import ExtractedTable
from litcurate.extractors.tables.legend import Legend
from litcurate.extractors.vocabulary import normalise_intervention
from litcurate.schemas import Cell, Characteristic, Issue, Outcome, Population, record_ids
from litcurate.schemas.issue_catalogue import make_issue
from litcurate.schemas.record_ids import slugify

_LABELLED_VALUE = re.compile(r"^(?P<label>[A-Za-z][A-Za-z0-9+\-/ ]*?)\s+(?P<value>[<>≤≥]?\s*\d.*)$")
_WRAP_END = ("+", " or", " and", ",", "-", "/", "&", " with")
_TEXT_ROLES = {"descriptor", "intervention", "label"}


@dataclass
class StudyRow:
    """A study's cells by column, after folding continuation rows into it."""

    row: int
    cells: dict[int, Cell]
    label: StudyLabel
    merged: bool = False


@dataclass(frozen=True)
class StudyColumns:
    """Where a study-per-row table keeps each study's label, year, N, arms and measures."""

    study: int
    year: int | None
    n: int | None
    arm: int | None
    measures: tuple[int, ...]  # measure and population columns


@dataclass
class StudyRecords:
    outcomes: list[Outcome]
    populations: list[Population]
    characteristics: list[Characteristic]
    issues: list[Issue] = field(default_factory=list)


def join_wrapped(lines: list[str]) -> list[str]:
    """Re-join a phrase the typesetter wrapped ("Drug A +" / "drug B infusion")."""
    joined: list[str] = []
    for line in lines:
        if joined and (joined[-1].endswith(_WRAP_END) or line[:1].islower() or line[:1] in "+("):
            glue = "" if joined[-1].endswith("-") and not joined[-1].endswith(" -") else " "
            joined[-1] = f"{joined[-1]}{glue}{line}"
        else:
            joined.append(line)
    return joined


def fold_continuations(rows: Sequence[list[Cell]], study_col: int) -> list[StudyRow]:
    """Rows without a study label continue the row above (a wrapped cell split off)."""
    studies: list[StudyRow] = []
    for cells in rows:
        by_col = {c.col: c for c in cells}
        label_text = " ".join(cell_lines(by_col.get(study_col)))
        if not label_text and studies:
            previous = studies[-1]
            for col, cell in by_col.items():
                if not cell.text:
                    continue
                before = previous.cells.get(col)
                if before is None or not before.text:
                    previous.cells[col] = cell
                else:
                    previous.cells[col] = before.model_copy(update={
                        "text": before.text + "\n" + cell.text,
                        "marks": tuple(dict.fromkeys(before.marks + cell.marks)),
                        "bottom": max(before.bottom, cell.bottom),
                    })
            previous.merged = True
            continue
        if not label_text:
            continue
        studies.append(StudyRow(cells[0].row, by_col, parse_study_label(label_text)))
    return studies


def _split_arms(intervention_lines: list[str], n_values: int) -> list[str]:
    """Arm labels for ``n_values`` stacked values: one per treatment line, or 'A or B'."""
    if len(intervention_lines) == n_values:
        return intervention_lines
    joined = " ".join(intervention_lines)
    parts = [p.strip() for p in re.split(r"\s+(?:or|vs\.?|versus|/)\s+", joined) if p.strip()]
    return parts if len(parts) == n_values else []


def _alternatives(arm_lines: list[str]) -> list[str]:
    """The treatments a row offers: one per line, or the parts of "A or B"."""
    if len(arm_lines) != 1:
        return arm_lines
    parts = [p.strip() for p in re.split(r"\s+(?:or|vs\.?|versus|/)\s+", arm_lines[0])
             if p.strip()]
    return parts if len(parts) > 1 else arm_lines


def _value_arms(values: list[str], arms: list[str]) -> list[tuple[str, str, str]]:
    """(arm label, printed value, flag) for each stacked value line.

    One value beside several treatments is pooled (arm ""); stacked values beside one
    treatment all belong to it (two regimens of one treatment, told apart by line).
    """
    labelled = [_LABELLED_VALUE.match(v) for v in values]
    if len(values) > 1 and all(labelled):
        return [(m["label"].strip(), m["value"].strip(), "") for m in labelled if m]
    if len(values) == 1:
        arm = arms[0] if len(arms) == 1 else ""
        return [(arm, values[0], "pooled" if len(arms) > 1 else "")]
    if arms and len(arms) == len(values):
        return [(arm, value, "") for arm, value in zip(arms, values, strict=True)]
    if len(arms) == 1:
        return [(arms[0], value, "same-arm") for value in values]
    return [(f"line {i + 1}", value, "arm-unmatched") for i, value in enumerate(values)]


def pooled_intervention(alternatives: list[str]) -> str:
    """"A or B" for a value pooled over arms: each normalised, repeats dropped."""
    names: list[str] = []
    for alternative in alternatives:
        name = normalise_intervention(alternative) or alternative
        if name not in names:
            names.append(name)
    return " or ".join(names)


def find_study_columns(roles: Sequence[ColumnRole]) -> StudyColumns | None:
    """Given the columns' roles, the study table's layout; None without a study column."""
    study_cols = [i for i, r in enumerate(roles) if r.role == "study"]
    if not study_cols:
        return None

    def first(role: str) -> int | None:
        return next((i for i, r in enumerate(roles) if r.role == role), None)

    measures = tuple(i for i, r in enumerate(roles) if r.role in {"measure", "population"})
    return StudyColumns(study_cols[0], first("year"), first("n"), first("intervention"),
                        measures)


def _study_label(study: StudyRow, year_col: int | None) -> StudyLabel:
    """The study's label, completed by the year column when the label prints no year."""
    label = study.label
    if year_col is not None and label.year is None:
        year_text = " ".join(cell_lines(study.cells.get(year_col)))
        label = parse_study_label(f"{label.raw} {year_text}")
    return label


def _n_of(cell: Cell | None) -> int | None:
    lines = cell_lines(cell)
    if not lines or cell is None:
        return None
    parsed = parse_value(lines[0], cell.marks)
    return int(parsed.value) if parsed.value is not None and parsed.value.is_integer() else None


def study_records(paper_id: str, extracted: ExtractedTable, paths: Sequence[str],
                  roles: Sequence[ColumnRole], legend: Legend,
                  columns: StudyColumns) -> StudyRecords:
    """Each study row's outcomes, populations and characteristics, column by column."""
    table_id = extracted.table.table_id
    result = StudyRecords([], [], [])
    body = body_rows(extracted.cells)
    text_cols = {col for col in range(len(paths))
                 if col not in {columns.study, columns.year, columns.n}
                 and roles[col].role in _TEXT_ROLES and not _states_values(paths[col])}
    legend_sense = table_legend_meaning(extracted.table.footnotes, legend, extracted.cells)
    groups = legend_groups(extracted.table.footnotes)
    result.issues.extend(_rows_before_a_study(paper_id, extracted, body, columns.study))
    block: tuple[str, ...] = ()
    for study in fold_continuations(body, columns.study):
        label = _study_label(study, columns.year)
        if label.year is None and not any(cell_lines(c) for col, c in study.cells.items()
                                          if col != columns.study):
            block = (label.raw,)  # a heading row ("Jadad score") over the rows below
            continue
        row = RowContext(paper_id, table_id, label.raw, row_path=block,
                         study_label=label.raw, author=label.author, year=label.year,
                         n=_n_of(study.cells.get(columns.n)) if columns.n is not None
                         else None, merged=study.merged)
        block_sense = read_meaning(" / ".join(block)) if block else read_meaning("")
        arms = join_wrapped(cell_lines(study.cells.get(columns.arm))) \
            if columns.arm is not None else []
        for col in sorted(study.cells):
            cell = study.cells[col]
            if not cell_lines(cell):
                continue
            if col == columns.n:  # the study's size is a count in its own right too
                # The column's role (measures.yaml `roles.n`) says it counts patients.
                meaning = merge_meanings([read_meaning(paths[col]),
                                          Meaning(statistics=("count",))])
                context = ColumnContext(paths[col], meaning,
                                        measure=meaning.words or paths[col])
                sizes = [PrintedValue(line, flags=("study-size",)) for line in cell_lines(cell)[:1]]
                for record in _grouped_records(row, context, cell, sizes, groups,
                                               [meaning, legend_sense], legend):
                    result.outcomes.append(_with_id(record, label, 0))
            elif col in {columns.study, columns.year}:
                continue  # the study's label and year: the row's name, not its values
            elif col in text_cols or is_text_cell(cell):
                result.characteristics.append(_characteristic(row, label, paths[col], cell))
            elif roles[col].role == "population":
                result.populations.extend(_populations(row, label, cell, paths[col]))
            else:
                column_arms = [roles[col].arm] if roles[col].arm else arms
                meaning = read_meaning(paths[col])
                measure_words = read_meaning(paths[col].split(" / ")[0] if roles[col].arm
                                             else paths[col]).words
                measure_id = roles[col].measure if roles[col].measure != "unmapped" else ""
                context = ColumnContext(paths[col], meaning, measure=measure_words,
                                        measure_id=measure_id)
                for line, value in enumerate(_printed_values(cell, column_arms)):
                    for record in _grouped_records(row, context, cell, [value], groups,
                                                   [meaning, block_sense, legend_sense], legend):
                        result.outcomes.append(_with_id(record, label, line))
    return result


def _grouped_records(row: RowContext, context: ColumnContext, cell: Cell,
                     values: list[PrintedValue], groups: tuple[str, ...],
                     sources: list[Meaning], legend: Legend) -> list[Outcome]:
    """Records of printed values; one printed as one value per legend group ("30/30"
    where the legend says "control/patients") gives one record per group."""
    records: list[Outcome] = []
    for value in values:
        parts = group_values(value.text, groups)
        if not parts:
            records.extend(value_records(row, context, cell, [value], sources, legend))
            continue
        for group, printed in parts:
            split = replace(value, text=printed, group=group,
                            flags=(*value.flags, "legend-groups"))
            records.extend(record.model_copy(update={"raw_text": " ".join(value.text.split())})
                           for record in value_records(row, context, cell, [split], sources,
                                                       legend))
    return records


def _rows_before_a_study(paper_id: str, extracted: ExtractedTable,
                         rows: Sequence[list[Cell]], study_col: int) -> list[Issue]:
    """Rows with values above the first study label belong to no study: each is reported
    with its cells' text, never dropped unseen."""
    issues: list[Issue] = []
    for cells in rows:
        if any(c.col == study_col and c.text.strip() for c in cells):
            break
        texts = [c.text.strip() for c in cells if c.text.strip()]
        if texts:
            table = extracted.table
            issues.append(make_issue("cell-not-read", record_id=table.table_id,
                                     paper_id=paper_id, page=table.page, label=table.label,
                                     row=cells[0].row, text=" | ".join(texts)))
    return issues


def _states_values(header: str) -> bool:
    """True when a column's header names a statistic or a unit ("Duration (mo)"): its
    numbers are values even where its role is descriptive."""
    meaning = read_meaning(header)
    return bool(meaning.centre or meaning.unit)


def _printed_values(cell: Cell, arms: list[str]) -> list[PrintedValue]:
    """The cell's value lines, each with the arm it belongs to."""
    values = cell_lines(cell)
    alternatives = _alternatives(arms)
    if len(values) > 1:
        matched = _split_arms(arms, len(values)) or (alternatives if len(alternatives) == 1
                                                      else [])
    else:
        matched = alternatives
    return [PrintedValue(
        text=text, group=arm,
        intervention=normalise_intervention(arm) if arm else pooled_intervention(alternatives),
        intervention_raw=arm or " / ".join(arms), flags=(flag,) if flag else ())
        for arm, text, flag in _value_arms(values, matched)]


def _with_id(record: Outcome, label: StudyLabel, line: int) -> Outcome:
    """The record's id: table, study, arm and measure, as the release has always keyed it
    (two values of one arm are told apart by their line)."""
    study = record_ids.study_key(label.author, label.year, label.suffix, record.row)
    arm = f"{record.group} {line + 1}" if "same-arm" in record.flags else record.group
    measure = record.measure_id or slugify(record.measure) or f"c{record.col}"
    return record.model_copy(update={
        "outcome_id": record_ids.outcome_id(record.table_id, study, arm, measure)})


def _characteristic(row: RowContext, label: StudyLabel, header: str, cell: Cell
                    ) -> Characteristic:
    study = record_ids.study_key(label.author, label.year, label.suffix, cell.row)
    return Characteristic(
        characteristic_id=record_ids.characteristic_id(row.table_id, study,
                                                       slugify(header) or f"c{cell.col}"),
        paper_id=row.paper_id, table_id=row.table_id, study_label=label.raw,
        row_label=row.row_label, column=header, text=cell.text, row=cell.row, col=cell.col,
        page=cell.page, x0=cell.x0, top=cell.top, x1=cell.x1, bottom=cell.bottom)


def _populations(row: RowContext, label: StudyLabel, cell: Cell, header: str
                 ) -> list[Population]:
    lines = cell_lines(cell)
    study = record_ids.study_key(label.author, label.year, label.suffix, cell.row)
    place: dict[str, Any] = {
        "paper_id": row.paper_id, "table_id": row.table_id, "study_label": label.raw,
        "raw_text": cell.text, "row": cell.row, "col": cell.col, "page": cell.page,
        "x0": cell.x0, "top": cell.top, "x1": cell.x1, "bottom": cell.bottom}
    split = _split_counts(header, strip_marks(lines[0], cell.marks))
    if split:
        return [Population(
            population_id=record_ids.population_id(row.table_id, study,
                                                   f"{slugify(header)}-{slugify(part)}"),
            subgroup=f"{header} / {part}", n=count, **place) for part, count in split]
    parsed = parse_value(lines[0], cell.marks)
    n = int(parsed.value) if parsed.value is not None and parsed.value.is_integer() else None
    return [Population(population_id=record_ids.population_id(row.table_id, study,
                                                              slugify(header)),
                       subgroup=header, n=n, **place)]


_PAIR_HEADER = re.compile(r"\(\s*([A-Za-z]{1,3})\s*/\s*([A-Za-z]{1,3})\s*\)")
_PAIR_VALUE = re.compile(r"^(\d+)\s*/\s*(\d+)$")


def _split_counts(header: str, text: str) -> list[tuple[str, int]]:
    """'98/57' under 'Sex (M/F)' -> [('M', 98), ('F', 57)]; [] when it is not such a pair."""
    names = _PAIR_HEADER.search(header)
    values = _PAIR_VALUE.match(text.strip())
    if not names or not values:
        return []
    return [(names.group(1), int(values.group(1))), (names.group(2), int(values.group(2)))]
