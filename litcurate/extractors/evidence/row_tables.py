"""Tables whose rows are variables or outcomes -> typed records per row and column.

Trials with arms as columns ("Lifestyle advice (n = 945)"), cohorts comparing groups
("Cases n (%)", "Controls n (%)", "P"), and pooled-effects tables ("OR (95% CI)", "I2",
"P") share one shape: leading stub columns name the row, every other filled cell is a
value. Stub cells left blank carry the label above down; a row with a label and no
values opens a subgroup block (its label goes into the ``row_path`` of the rows below),
as does the first of two stub columns ("Types / Sub-group"). The row's words name the
measure; the column's words (without statistic words) name the group.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache

from litcurate.extractors.evidence.category_counts import (
    COUNT_MEANING,
    category_counts,
    category_names,
    group_values,
    legend_groups,
    measure_with_category,
)
from litcurate.extractors.evidence.cell_facts import (
    ColumnContext,
    PrintedValue,
    RowContext,
    mark_meaning,
    table_legend_meaning,
    value_records,
)
from litcurate.extractors.evidence.columns import ColumnRole, classify_header
from litcurate.extractors.evidence.companions import attach_companions, companion_kind
from litcurate.extractors.evidence.header_meaning import (
    Meaning,
    defined_meaning,
    legend_definitions,
    merge_meanings,
    read_meaning,
)
from litcurate.extractors.evidence.table_cells import (
    body_rows,
    cell_label,
    cell_lines,
    is_text_cell,
    value_lines,
)
from litcurate.extractors.evidence.validation import is_column_word, numeric_columns
from litcurate.extractors.evidence.value_grammar import read_value
from litcurate.extractors.knowledge import load_data_file
from litcurate.extractors.tables.extract import ExtractedTable
from litcurate.extractors.tables.legend import Legend
from litcurate.schemas import Cell, Issue, Outcome, Statistic, record_ids
from litcurate.schemas.issue_catalogue import make_issue
from litcurate.schemas.record_ids import slugify

ARM_HEADER = re.compile(r"^(?P<arm>.+?)\s*[(\[]\s*[nN]\s*=\s*(?P<n>\d[\d,]*)\s*[)\]]\s*\S{0,2}$")
TOTAL_ARM = re.compile(r"^(?:total|overall|all|combined)\b", re.IGNORECASE)
_STUB_TEXT_SHARE = 0.5


@cache
def _pooled_words() -> frozenset[str]:
    return frozenset(str(w).lower() for w in load_data_file("statistics.yaml")["pooled_rows"])


def is_pooled_label(label: str) -> bool:
    """True for an "Overall" / "Total" / "Pooled" row."""
    words = re.sub(r"[^a-z\- ]", " ", label.lower()).split()
    return bool(words) and (" ".join(words) in _pooled_words() or words[0] in _pooled_words())


@cache
def _group_size_header() -> re.Pattern[str]:
    nouns = "|".join(re.escape(str(w)) for w in
                     load_data_file("statistics.yaml")["group_size_words"])
    return re.compile(rf"^(?P<arm>.+?)\s*[(\[]\s*(?P<n>\d[\d,]*)\s+(?:{nouns})\s*[)\]]"
                      rf"\s*\S{{0,2}}$", re.IGNORECASE)


def arm_columns(paths: Sequence[str]) -> dict[int, tuple[str, int]]:
    """Columns that hold one arm or group: "Lifestyle advice (n = 945)", "MC (68 cases)"
    -> (arm, n)."""
    arms: dict[int, tuple[str, int]] = {}
    for col, path in enumerate(paths):
        for part in reversed(path.split(" / ")):
            part = unicodedata.normalize("NFKC", part.strip())
            match = ARM_HEADER.match(part) or _group_size_header().match(part)
            if match:
                arms[col] = (match["arm"].strip(), int(match["n"].replace(",", "")))
                break
    return arms


def check_arm_totals(paper_id: str, table_id: str, label: str, page: int,
                     arms: dict[int, tuple[str, int]]) -> list[Issue]:
    """Arms' n must add up to the table's Total (n = ...) column, when it prints one."""
    totals = [n for name, n in arms.values() if TOTAL_ARM.match(name)]
    parts = [n for name, n in arms.values() if not TOTAL_ARM.match(name)]
    if len(totals) != 1 or len(parts) < 2 or sum(parts) == totals[0]:
        return []
    return [make_issue("arms-do-not-sum-to-n", record_id=table_id, paper_id=paper_id, page=page,
                       label=label, parts=sum(parts), total=totals[0])]


def stub_columns(rows: Sequence[list[Cell]], n_cols: int, roles: Sequence[ColumnRole]
                 ) -> list[int]:
    """The leading columns that name rows: column 0, and each next one while it holds
    words (or is a label column by its header)."""
    stub = [0]
    for col in range(1, n_cols):
        cells = [c for row in rows for c in row if c.col == col and c.text.strip()]
        texts = sum(is_text_cell(c) for c in cells)
        if roles[col].role == "label" or (cells and texts > _STUB_TEXT_SHARE * len(cells)):
            stub.append(col)
        else:
            break
    return stub


@dataclass
class _Rows:
    """The running state of a walk down the rows: carried labels and the open block."""

    carried: dict[int, str]
    block: tuple[str, ...] = ()
    indents: tuple[float, ...] = ()  # the stub's indent levels, when it is set in levels
    outline: list[tuple[float, str]] = field(default_factory=list)  # open rows by indent


INDENT_STEP = 3.0  # points: a label this far right of the one above sits under it
LEVEL_TOLERANCE = 1.5
MAX_LEVELS = 3


def indent_levels(rows: Sequence[list[Cell]]) -> tuple[float, ...]:
    """The left edges of the stub's labels when they fall in a few levels (an outline);
    () when they do not (a centred or ragged stub says nothing by its indents)."""
    edges = sorted(c.x0 for row in rows for c in row if c.col == 0 and c.text.strip())
    levels: list[float] = []
    for edge in edges:
        if not levels or edge - levels[-1] > LEVEL_TOLERANCE:
            levels.append(edge)
    if not 2 <= len(levels) <= MAX_LEVELS or levels[-1] - levels[0] < INDENT_STEP:
        return ()
    return tuple(levels)


def _outline_parents(state: _Rows, cell: Cell | None, label: str) -> tuple[str, ...]:
    """The labels of the less indented rows above this one, outermost first."""
    if not state.indents or cell is None or not label:
        return ()
    while state.outline and state.outline[-1][0] >= cell.x0 - INDENT_STEP:
        state.outline.pop()
    parents = tuple(text for _, text in state.outline if text not in state.block)
    state.outline.append((cell.x0, label))
    return parents


def _row_names(state: _Rows, by_col: dict[int, Cell], stub: list[int], has_values: bool
               ) -> tuple[tuple[str, ...], str] | None:
    """(row_path, row_label) of a row with values; None for a block heading or a blank.

    A heading row (a label and no values) opens a block; in a stub set in indent levels,
    a row also sits under the less indented rows above it, values or not."""
    for col in stub:
        text = cell_label(by_col.get(col))
        if text:
            state.carried[col] = text
            for later in stub:
                if later > col:
                    state.carried.pop(later, None)
    names = [state.carried[c] for c in stub if c in state.carried]
    if not has_values:
        own = " ".join(cell_label(by_col.get(c)) for c in stub).strip()
        if own:
            heading = own.rstrip(":").strip()
            parents = _outline_parents(state, by_col.get(stub[0]), heading)
            state.block = (*parents, heading)
            for col in stub:
                state.carried.pop(col, None)
        return None
    if not names:  # values under no label yet: kept, with an empty row label
        return state.block, ""
    if len(names) > 1:
        return (*state.block, *names[:-1]), names[-1]
    own_label = cell_label(by_col.get(stub[0]))
    parents = _outline_parents(state, by_col.get(stub[0]), own_label) if own_label else ()
    return (*state.block, *parents), names[0]


def _column_context(path: str, arm: tuple[str, int] | None) -> ColumnContext:
    meaning = read_meaning(path)
    group = arm[0] if arm else meaning.words
    return ColumnContext(path, meaning, group=group, n=arm[1] if arm else None)


def row_records(paper_id: str, extracted: ExtractedTable, paths: Sequence[str],
                roles: Sequence[ColumnRole], legend: Legend) -> tuple[list[Outcome], list[Issue]]:
    """Every value cell of a variables-as-rows table as typed records, plus table issues."""
    table = extracted.table
    arms = arm_columns(paths)
    issues = check_arm_totals(paper_id, table.table_id, table.label, table.page, arms)
    rows = body_rows(extracted.cells)
    stub = stub_columns(rows, len(paths), roles)
    rows = fold_bracket_rows(rows, stub)
    value_cols = [c for c in range(len(paths)) if c not in stub]
    header_marks = _header_marks(extracted.cells)
    columns = {c: _column_context(paths[c], arms.get(c)) for c in value_cols}
    column_notes = {c: mark_meaning(legend, header_marks.get(c, ())) for c in value_cols}
    kinds = {c: companion_kind(columns[c].meaning) for c in value_cols}
    labelled_p = {c for c in value_cols if columns[c].meaning.with_p
                  and _labels_its_estimates(rows, c)}
    definitions = legend_definitions(table.footnotes)
    column_notes = {c: merge_meanings([column_notes[c],
                                       defined_meaning(paths[c], definitions)])
                    for c in value_cols}
    legend_sense = table_legend_meaning(table.footnotes, legend, extracted.cells)
    groups = legend_groups(table.footnotes)
    state = _Rows({}, indents=indent_levels(rows) if len(stub) == 1 else ())
    outcomes: list[Outcome] = []
    for cells in rows:
        by_col = {c.col: c for c in cells}
        filled = [c for c in value_cols if cell_lines(by_col.get(c))]
        names = _row_names(state, by_col, stub, bool(filled))
        if names is None:
            continue
        path, label = names
        row_meaning = merge_meanings([
            read_meaning(" / ".join((*path, label))),
            mark_meaning(legend, [m for c in stub if c in by_col for m in by_col[c].marks])])
        measure = row_meaning.words or " / ".join((*path, label)) or table.caption or table.label
        measure_role = classify_header(measure) if measure else None
        row = RowContext(paper_id, table.table_id, label, path, pooled=is_pooled_label(label))
        in_row: list[Outcome] = []
        for col in filled:
            column = columns[col]
            context = ColumnContext(
                column.header, column.meaning, measure=measure,
                measure_id=_measure_id(measure_role), group=column.group, n=column.n)
            cell = by_col[col]
            sources: list[Meaning] = [column.meaning, column_notes[col], row_meaning,
                                      legend_sense]
            found: list[Outcome] = []
            categories = category_names(label) or category_names(column.header)
            for text in value_lines(cell):
                counts = category_counts(text, categories)
                if counts:
                    found.extend(_part_records(row, cell, text,
                                               _category_parts(context, label, counts),
                                               [COUNT_MEANING, *sources], legend))
                    continue
                by_group = group_values(text, groups)
                if by_group:
                    found.extend(_part_records(row, cell, text, _group_parts(context, by_group),
                                               sources, legend))
                    continue
                # In a column of "P and OR" whose estimates carry their label, a bare
                # number is the P ("0.36" over "OR 0.65 (0.18–1.24)").
                bare_p = col in labelled_p and _is_bare_p(text)
                found.extend(value_records(row, context, cell, [PrintedValue(text)],
                                           [P_MEANING, *sources] if bare_p else sources,
                                           legend))
            for record in p_into_estimate(found):
                in_row.append(record.model_copy(update={"outcome_id": record_ids.outcome_id(
                    table.table_id, slugify(" ".join((*path, label))) or f"row-{cell.row}",
                    record.group, record.measure_id or slugify(measure) or "value",
                    col=cell.col)}))
        outcomes.extend(attach_companions(in_row, kinds))
    return _without_word_columns(outcomes), issues


def _without_word_columns(outcomes: list[Outcome]) -> list[Outcome]:
    """The records, less the words of columns where nothing reads as a number (a trial
    registry's status and sponsor): outcomes are number-bearing facts, and those words
    stay in the table's cells, as printed."""
    numeric = numeric_columns(outcomes)
    return [o for o in outcomes if not is_column_word(o, numeric)]


P_MEANING = Meaning(statistics=("p_value",))


def _category_parts(context: ColumnContext, label: str, counts: list[tuple[str, str]]
                    ) -> list[tuple[ColumnContext, PrintedValue, str]]:
    """One count per category of a slashed cell, each measure naming its category."""
    listed = bool(category_names(label))
    return [(replace(context, measure=measure_with_category(context.measure, label, category)
                     if listed else f"{context.measure} ({category})"),
             PrintedValue(number), f"category:{category}") for category, number in counts]


def _group_parts(context: ColumnContext, by_group: list[tuple[str, str]]
                 ) -> list[tuple[ColumnContext, PrintedValue, str]]:
    """One value per legend group of a slashed cell ("30/30" for "control/patients")."""
    return [(replace(context, group=group), PrintedValue(printed, group=group), "legend-groups")
            for group, printed in by_group]


def _part_records(row: RowContext, cell: Cell, text: str,
                  parts: list[tuple[ColumnContext, PrintedValue, str]], sources: list[Meaning],
                  legend: Legend) -> list[Outcome]:
    """The records of a slashed cell read part by part, each keeping the whole printed
    text and a flag saying how it was split."""
    records: list[Outcome] = []
    for context, printed, flag in parts:
        for record in value_records(row, context, cell, [printed], sources, legend):
            records.append(record.model_copy(update={
                "raw_text": " ".join(text.split()), "flags": (*record.flags, flag)}))
    return records


def _labels_its_estimates(rows: Sequence[list[Cell]], col: int) -> bool:
    """True when some cell of the column prints its estimate with its statistic's name."""
    for cells in rows:
        for cell in cells:
            if cell.col != col:
                continue
            for line in cell_lines(cell):
                label = read_value(line).label
                if label and read_meaning(label).centre:
                    return True
    return False


def _is_bare_p(text: str) -> bool:
    reading = read_value(text)
    return (not reading.label and reading.low is None and reading.value is not None
            and 0 <= reading.value <= 1)


def p_into_estimate(records: list[Outcome]) -> list[Outcome]:
    """A cell's P record and its one estimate become one record: the estimate with its P."""
    ps = [r for r in records if r.statistic == Statistic.P_VALUE]
    estimates = [r for r in records if r.statistic != Statistic.P_VALUE and r.p is None]
    if len(ps) != 1 or len(estimates) != 1 or len(records) != 2:
        return records
    estimate, p_record = estimates[0], ps[0]
    return [estimate.model_copy(update={
        "p": p_record.p, "p_op": p_record.p_op,
        "raw_text": f"{p_record.raw_text} {estimate.raw_text}",
        "flags": (*estimate.flags, "p-stacked")})]


def _is_bracket_only(cell: Cell) -> bool:
    return cell.text.strip().startswith(("(", "["))


def fold_bracket_rows(rows: Sequence[list[Cell]], stub: Sequence[int]) -> list[list[Cell]]:
    """A row whose values are all bracketed ("(87.1–100)") under a row of bare values
    ("93.8%") is the second line of that row's cells, cut off by a wrapped label."""
    folded: list[list[Cell]] = []
    for cells in rows:
        values = [c for c in cells if c.col not in stub and c.text.strip()]
        labels = " ".join(c.text for c in cells if c.col in stub).strip()
        above = {c.col: c for c in folded[-1]} if folded else {}
        if values and all(_is_bracket_only(c) for c in values) \
                and (not labels or labels[:1].islower()) \
                and all(above.get(c.col) is not None and above[c.col].text.strip()
                        and not _is_bracket_only(above[c.col]) for c in values):
            merged = {c.col: c for c in folded[-1]}
            for cell in cells:
                if not cell.text.strip():
                    continue
                before = merged.get(cell.col)
                glue = " " if before is not None and before.text else ""
                merged[cell.col] = cell if before is None else before.model_copy(update={
                    "text": f"{before.text}{glue}{cell.text}",
                    "bottom": max(before.bottom, cell.bottom),
                    "marks": tuple(dict.fromkeys(before.marks + cell.marks))})
            folded[-1] = [merged[col] for col in sorted(merged)]
            continue
        folded.append(list(cells))
    return folded


def _header_marks(cells: Sequence[Cell]) -> dict[int, tuple[str, ...]]:
    """Footnote marks printed in each column's header cells."""
    marks: dict[int, tuple[str, ...]] = {}
    for cell in cells:
        if cell.is_header and cell.marks:
            for col in range(cell.col, cell.col + cell.col_span):
                marks[col] = (*marks.get(col, ()), *cell.marks)
    return marks


def _measure_id(role: ColumnRole | None) -> str:
    if role is None or role.role != "measure" or role.measure == "unmapped":
        return ""
    return role.measure
