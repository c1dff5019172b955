"""Table grids -> tidy outcome records: one per (study, arm, measure).

Each column is classified from its flattened header (``measures``); each body row
becomes a study (``study_labels``); stacked values in a cell ("78\\n75") are matched
to the arms printed in the treatment cell ("A or B", "Drug A\\nDrug B") or to a
label printed with the value ("A 76"); a single value in a multi-arm row is pooled.
Footnote marks get their meaning from the legend ("$ Mean").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from litcurate.extractors.evidence.columns import ColumnRole, classify_header
from litcurate.extractors.evidence.study_labels import StudyLabel, parse_study_label
from litcurate.extractors.evidence.values import parse_value, strip_marks
from litcurate.extractors.tables.extract import ExtractedTable
from litcurate.extractors.tables.legend import Legend, parse_legend
from litcurate.extractors.vocabulary import normalise_intervention
from litcurate.schemas import (
    Cell,
    GlossaryEntry,
    Issue,
    Outcome,
    Population,
    Statistic,
    Table,
    record_ids,
)
from litcurate.schemas.issue_catalogue import make_issue
from litcurate.schemas.record_ids import slugify

_LABELLED_VALUE = re.compile(r"^(?P<label>[A-Za-z][A-Za-z0-9+\-/ ]*?)\s+(?P<value>[<>≤≥]?\s*\d.*)$")


@dataclass
class OutcomesResult:
    outcomes: list[Outcome] = field(default_factory=list)
    populations: list[Population] = field(default_factory=list)
    glossary: list[GlossaryEntry] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


@dataclass
class StudyRow:
    """A study's cells by column, after folding continuation rows into it."""

    row: int
    cells: dict[int, Cell]
    label: StudyLabel
    merged: bool = False


def _lines(cell: Cell | None) -> list[str]:
    if cell is None or not cell.text.strip():
        return []
    return [line.strip() for line in cell.text.split("\n") if line.strip()]


_WRAP_END = ("+", " or", " and", ",", "-", "/", "&", " with")


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


def _fold_continuations(rows: Sequence[list[Cell]], study_col: int) -> list[StudyRow]:
    """Rows without a study label continue the row above (a wrapped cell split off)."""
    studies: list[StudyRow] = []
    for cells in rows:
        by_col = {c.col: c for c in cells}
        label_text = " ".join(_lines(by_col.get(study_col)))
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
    if len(parts) == n_values:
        return parts
    return []


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


def _outcome_id(table_id: str, label: StudyLabel, row: int, arm: str, measure: str) -> str:
    study = record_ids.study_key(label.author, label.year, label.suffix, row)
    return record_ids.outcome_id(table_id, study, arm, measure)


def _n_of(cell: Cell | None) -> int | None:
    lines = _lines(cell)
    if not lines:
        return None
    parsed = parse_value(lines[0], cell.marks if cell else ())
    return int(parsed.value) if parsed.value is not None and parsed.value.is_integer() else None


@dataclass(frozen=True)
class StudyColumns:
    """Where a study-per-row table keeps each study's label, year, N, arms and measures."""

    study: int
    year: int | None
    n: int | None
    arm: int | None
    measures: tuple[int, ...]  # measure and population columns


def find_study_columns(roles: Sequence[ColumnRole]) -> StudyColumns | None:
    """Given the columns' roles, return the study table's layout, or None without a study
    column or a measure column."""
    study_cols = [i for i, r in enumerate(roles) if r.role == "study"]
    measure_cols = [i for i, r in enumerate(roles) if r.role in {"measure", "population"}]
    if not study_cols or not measure_cols:
        return None

    def first(role: str) -> int | None:
        return next((i for i, r in enumerate(roles) if r.role == role), None)

    return StudyColumns(study_cols[0], first("year"), first("n"), first("intervention"),
                        tuple(measure_cols))


def legend_to_glossary(paper_id: str, table: Table, legend: Legend) -> list[GlossaryEntry]:
    """The abbreviations a table's legend defines, as glossary entries of that table."""
    return [GlossaryEntry(paper_id=paper_id, abbreviation=abbreviation, expansion=expansion,
                          source=f"legend:{table.label}", page=table.page)
            for abbreviation, expansion in sorted(legend.abbreviations.items())]


def grid_to_outcomes(paper_id: str, extracted: ExtractedTable) -> OutcomesResult:
    """Given one extracted table, return its outcomes, populations, glossary and issues."""
    result = OutcomesResult()
    table = extracted.table
    legend = parse_legend(table.footnotes)
    result.glossary.extend(legend_to_glossary(paper_id, table, legend))
    paths = clean_header_paths(extracted)
    roles = [classify_with_legend(path, legend.abbreviations) for path in paths]
    if not any(r.role == "study" for r in roles) and arm_columns(paths):
        return _trial_outcomes(paper_id, extracted, paths, roles, result)
    columns = find_study_columns(roles)
    if columns is None:
        result.issues.append(make_issue("table-not-outcomes", record_id=table.table_id,
                                        paper_id=paper_id, page=table.page, label=table.label))
        return result
    _add_study_records(paper_id, extracted, roles, legend, columns, result)
    return result


def _study_label(study: StudyRow, year_col: int | None) -> StudyLabel:
    """The study's label, completed by the year column when the label prints no year."""
    label = study.label
    if year_col is not None and label.year is None:
        year_text = " ".join(_lines(study.cells.get(year_col)))
        label = parse_study_label(f"{label.raw} {year_text}")
    return label


def _add_study_records(paper_id: str, extracted: ExtractedTable, roles: Sequence[ColumnRole],
                       legend: Legend, columns: StudyColumns, result: OutcomesResult) -> None:
    """Each study row's outcomes and populations, column by column, added to ``result``."""
    table_id = extracted.table.table_id
    body = [list(row) for row in _body_rows(extracted.cells)]
    seen: set[str] = set()
    for study in _fold_continuations(body, columns.study):
        label = _study_label(study, columns.year)
        n = _n_of(study.cells.get(columns.n)) if columns.n is not None else None
        arms = join_wrapped(_lines(study.cells.get(columns.arm))) if columns.arm is not None \
            else []
        for col in columns.measures:
            cell = study.cells.get(col)
            if cell is None:
                continue
            header = extracted.header_paths[col]
            # A measure split into arm sub-columns names the arm in its header.
            column_arms = [roles[col].arm] if roles[col].arm else arms
            context = _StudyContext(paper_id, table_id, label, n, column_arms, legend,
                                    study.merged)
            if roles[col].role == "population":
                result.populations.extend(_populations(context, cell, header, study.row))
                continue
            for outcome in _outcomes(context, cell, header, roles[col], study.row):
                _add_outcome(result, outcome, seen, extracted.table, (study.row, col), header)


def _add_outcome(result: OutcomesResult, outcome: Outcome, seen: set[str], table: Table,
                 where: tuple[int, int], header: str) -> None:
    """Add one outcome (its id made unique by row and column if taken); the first record of
    a column no measure matched also carries that column's warning."""
    row, col = where
    if outcome.outcome_id in seen:
        outcome = outcome.model_copy(update={
            "outcome_id": record_ids.repeated_id(outcome.outcome_id, row, col)})
    seen.add(outcome.outcome_id)
    result.outcomes.append(outcome)
    first_of_column = not any(o.table_id == outcome.table_id and o.col == col
                              and o.measure == "unmapped" for o in result.outcomes[:-1])
    if outcome.measure == "unmapped" and first_of_column:  # on a record that is published
        result.issues.append(make_issue(
            "unmapped-measure", record_id=outcome.outcome_id, paper_id=outcome.paper_id,
            page=table.page, label=table.label, what=f"header {header!r}"))


def _body_rows(cells: Sequence[Cell]) -> list[list[Cell]]:
    rows: dict[int, list[Cell]] = {}
    for cell in cells:
        if not cell.is_header:
            rows.setdefault(cell.row, []).append(cell)
    return [sorted(rows[r], key=lambda c: c.col) for r in sorted(rows)]


@dataclass(frozen=True)
class _StudyContext:
    paper_id: str
    table_id: str
    label: StudyLabel
    n: int | None
    arms: list[str]
    legend: Legend
    merged: bool


def _outcomes(ctx: _StudyContext, cell: Cell, header: str, role: ColumnRole,
              row: int) -> list[Outcome]:
    values = _lines(cell)
    if not values:
        return []  # a blank cell reports nothing; a printed "-" is kept as not reported
    alternatives = _alternatives(ctx.arms)
    if len(values) > 1:
        arms = _split_arms(ctx.arms, len(values)) or (alternatives if len(alternatives) == 1
                                                       else [])
    else:
        arms = alternatives
    outcomes: list[Outcome] = []
    header_marks = tuple(m for m in ("*", "$", "†", "‡", "§") if header.rstrip().endswith(m))
    for index, (arm_raw, printed, flag) in enumerate(_value_arms(values, arms)):
        parsed = parse_value(printed, cell.marks)
        marks = tuple(m for m in cell.marks if printed.endswith(m))
        flags = [flag] if flag else []
        flags += [f"mark:{m}" for m in marks]
        flags += [f"defined:{m}" for m in header_marks if m in ctx.legend.notes]
        if ctx.merged:
            flags.append("merged-continuation-row")
        measure = role.measure or "unmapped"
        outcomes.append(Outcome(
            outcome_id=_outcome_id(ctx.table_id, ctx.label, row,
                                   f"{arm_raw} {index + 1}" if flag == "same-arm" else arm_raw,
                                   measure if measure != "unmapped"
                                   else f"unmapped-{slugify(header)}"),
            paper_id=ctx.paper_id, table_id=ctx.table_id, study_label=ctx.label.raw,
            author=ctx.label.author, year=ctx.label.year, n=ctx.n,
            intervention=normalise_intervention(arm_raw) if arm_raw
            else pooled_intervention(alternatives),
            intervention_raw=arm_raw or " / ".join(ctx.arms), arm=arm_raw,
            measure=measure, header=header, value=parsed.value, low=parsed.low,
            high=parsed.high, kind=parsed.kind, unit=role.unit,
            statistic=ctx.legend.statistic_for(marks) if marks else Statistic(
                role.statistic) if role.statistic else ctx.legend.statistic_for(marks),
            raw_text=printed.strip(),
            row=row, col=cell.col, flags=tuple(flags), page=cell.page,
            x0=cell.x0, top=cell.top, x1=cell.x1, bottom=cell.bottom,
        ))
    return outcomes


def _populations(ctx: _StudyContext, cell: Cell, header: str, row: int) -> list[Population]:
    lines = _lines(cell)
    if not lines:
        return []  # an empty cell reports no subgroup; a printed "-" does (n unknown)
    split = _split_counts(header, strip_marks(lines[0], cell.marks))
    if split:
        study = record_ids.study_key(ctx.label.author, ctx.label.year, ctx.label.suffix, row)
        return [Population(
            population_id=record_ids.population_id(ctx.table_id, study,
                                                   f"{slugify(header)}-{slugify(part)}"),
            paper_id=ctx.paper_id, table_id=ctx.table_id, study_label=ctx.label.raw,
            subgroup=f"{header} / {part}", n=count, raw_text=cell.text, row=row, col=cell.col,
            page=cell.page, x0=cell.x0, top=cell.top, x1=cell.x1, bottom=cell.bottom,
        ) for part, count in split]
    parsed = parse_value(lines[0], cell.marks) if lines else None
    n = int(parsed.value) if parsed and parsed.value is not None and parsed.value.is_integer() \
        else None
    study = record_ids.study_key(ctx.label.author, ctx.label.year, ctx.label.suffix, row)
    return [Population(
        population_id=record_ids.population_id(ctx.table_id, study, slugify(header)),
        paper_id=ctx.paper_id,
        table_id=ctx.table_id, study_label=ctx.label.raw, subgroup=header, n=n,
        raw_text=cell.text, row=row, col=cell.col, page=cell.page,
        x0=cell.x0, top=cell.top, x1=cell.x1, bottom=cell.bottom,
    )]


_PAIR_HEADER = re.compile(r"\(\s*([A-Za-z]{1,3})\s*/\s*([A-Za-z]{1,3})\s*\)")
_PAIR_VALUE = re.compile(r"^(\d+)\s*/\s*(\d+)$")


def _split_counts(header: str, text: str) -> list[tuple[str, int]]:
    """'98/57' under 'Sex (M/F)' -> [('M', 98), ('F', 57)]; [] when it is not such a pair."""
    names = _PAIR_HEADER.search(header)
    values = _PAIR_VALUE.match(text.strip())
    if not names or not values:
        return []
    return [(names.group(1), int(values.group(1))), (names.group(2), int(values.group(2)))]


def classify_with_legend(path: str, abbreviations: dict[str, str]) -> ColumnRole:
    """Classify a header; if nothing matches, again with the legend's abbreviations spelled
    out ("LOS (d)" with "LOS: length of stay")."""
    role = classify_header(path)
    if role.role != "measure" or role.measure != "unmapped" or not abbreviations:
        return role
    expanded = path
    for abbreviation, expansion in abbreviations.items():
        expanded = re.sub(rf"(?<![\w-]){re.escape(abbreviation)}(?![\w-])", expansion, expanded)
    return classify_header(expanded) if expanded != path else role


def clean_header_paths(extracted: ExtractedTable) -> list[str]:
    """Header paths without the footnote marks glued to them ("P-valuec" -> "P-value")."""
    marks: dict[int, set[str]] = {}
    for cell in extracted.cells:
        if cell.is_header:
            for col in range(cell.col, cell.col + cell.col_span):
                marks.setdefault(col, set()).update(cell.marks)
    cleaned: list[str] = []
    for col, path in enumerate(extracted.header_paths):
        parts = []
        for part in path.split(" / "):
            for mark in sorted(marks.get(col, ()), key=len, reverse=True):
                if mark and part.endswith(mark) and len(part) > len(mark):
                    part = part[: -len(mark)]
            parts.append(part.strip())
        cleaned.append(" / ".join(parts))
    return cleaned


ARM_HEADER = re.compile(r"^(?P<arm>.+?)\s*\(\s*n\s*=\s*(?P<n>\d[\d,]*)\s*\)$", re.IGNORECASE)


def arm_columns(paths: Sequence[str]) -> dict[int, tuple[str, int]]:
    """Columns that hold one arm of a trial: "Lifestyle advice (n = 945)" -> (arm, n)."""
    arms: dict[int, tuple[str, int]] = {}
    for col, path in enumerate(paths):
        leaf = path.split(" / ")[-1]
        match = ARM_HEADER.match(leaf)
        if match:
            arms[col] = (match["arm"].strip(), int(match["n"].replace(",", "")))
    return arms


TOTAL_ARM = re.compile(r"^(?:total|overall|all|combined)\b", re.IGNORECASE)


def check_arm_totals(paper_id: str, table_id: str, label: str, page: int,
                     arms: dict[int, tuple[str, int]]) -> list[Issue]:
    """Arms' n must add up to the table's Total (n = ...) column, when it prints one."""
    totals = [n for name, n in arms.values() if TOTAL_ARM.match(name)]
    parts = [n for name, n in arms.values() if not TOTAL_ARM.match(name)]
    if len(totals) != 1 or len(parts) < 2 or sum(parts) == totals[0]:
        return []
    return [make_issue("arms-do-not-sum-to-n", record_id=table_id, paper_id=paper_id, page=page,
                       label=label, parts=sum(parts), total=totals[0])]


def _trial_outcomes(paper_id: str, extracted: ExtractedTable, paths: Sequence[str],
                    roles: Sequence[ColumnRole], result: OutcomesResult) -> OutcomesResult:
    """A trial's table: rows are outcomes (x time points), columns are arms and effects.

    Label columns (Outcome, Time point) name the row, carried down over blank cells;
    every other filled cell is a record: an arm's value (arm and n from its header) or
    an effect estimate / P-value (arm empty).
    """
    table = extracted.table
    arms = arm_columns(paths)
    result.issues.extend(check_arm_totals(paper_id, table.table_id, table.label, table.page,
                                          arms))
    label_cols = [i for i, r in enumerate(roles) if r.role == "label" and i not in arms]
    if not label_cols:
        label_cols = [0]
    value_cols = [i for i in range(len(paths)) if i not in label_cols
                  and roles[i].role not in {"descriptor", "intervention"}]
    carried: dict[int, str] = {}
    for row_cells in _body_rows(extracted.cells):
        by_col = {c.col: c for c in row_cells}
        for col in label_cols:
            text = " ".join(_lines(by_col.get(col)))
            if text:
                carried[col] = text
                for later in label_cols:
                    if later > col:
                        carried.pop(later, None)
        label = " / ".join(carried[c] for c in label_cols if c in carried)
        if not label:
            continue
        for col in value_cols:
            cell = by_col.get(col)
            if cell is None or not _lines(cell):
                continue
            result.outcomes.append(_trial_record(paper_id, extracted, cell, label,
                                                 extracted.header_paths[col], roles[col],
                                                 arms.get(col)))
    _report_unmapped(paper_id, table.table_id, table.label, table.page, result)
    return result


def _trial_record(paper_id: str, extracted: ExtractedTable, cell: Cell, label: str,
                  header: str, role: ColumnRole, arm: tuple[str, int] | None) -> Outcome:
    printed = " ".join(_lines(cell))
    parsed = parse_value(printed, cell.marks)
    measure = "unmapped" if arm is not None else (role.measure or "unmapped")
    if arm is not None:
        row_role = classify_header(label)
        if row_role.role == "measure" and row_role.measure != "unmapped":
            measure = row_role.measure
    arm_name, n = arm if arm is not None else ("", None)
    table_id = extracted.table.table_id
    return Outcome(
        outcome_id=record_ids.outcome_id(table_id, slugify(label), arm_name, measure,
                                         col=cell.col),
        paper_id=paper_id, table_id=table_id, study_label="", n=n, arm=arm_name,
        intervention=normalise_intervention(arm_name) if arm_name else "",
        intervention_raw=arm_name, measure=measure, header=f"{label} / {header}",
        value=parsed.value, low=parsed.low, high=parsed.high, kind=parsed.kind,
        unit=role.unit if arm is None and measure != "treatment_effect" else "",
        raw_text=printed, row=cell.row, col=cell.col, page=cell.page,
        x0=cell.x0, top=cell.top, x1=cell.x1, bottom=cell.bottom,
    )


def _report_unmapped(paper_id: str, table_id: str, label: str, page: int,
                     result: OutcomesResult) -> None:
    """One warning per row label whose values could not be tied to a known measure."""
    seen: set[str] = set()
    for outcome in result.outcomes:
        if outcome.measure != "unmapped":
            continue
        row_label = outcome.header.split(" / ")[0]
        if row_label in seen:
            continue
        seen.add(row_label)
        result.issues.append(make_issue(
            "unmapped-measure", record_id=record_ids.row_label_id(table_id, row_label),
            paper_id=paper_id, page=page, label=label, what=repr(row_label)))
