"""One table cell (one or several printed values) -> typed outcome records with provenance.

Both table shapes (studies as rows, variables as rows) end here: they say who the row
is (``RowContext``) and what the column and row mean; this module reads each printed
value with the grammar, types it with every source of meaning, and keeps the cell's
page and box on each record. A value the grammar cannot read is still a record (kind
``text``) so its issue can name it; nothing in a cell is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from litcurate.extractors.evidence.fact_types import Fact, type_fact
from litcurate.extractors.evidence.header_meaning import (
    Meaning,
    legend_meaning,
    merge_meanings,
    read_meaning,
)
from litcurate.extractors.evidence.value_grammar import read_value, split_labelled
from litcurate.extractors.evidence.values import strip_marks
from litcurate.extractors.tables.legend import Legend
from litcurate.schemas import Cell, Outcome


@dataclass(frozen=True)
class RowContext:
    """Who a row's records are about and where they sit; shared by all its cells."""

    paper_id: str
    table_id: str
    row_label: str
    row_path: tuple[str, ...] = ()
    study_label: str = ""
    author: str = ""
    year: int | None = None
    n: int | None = None
    pooled: bool = False
    merged: bool = False


@dataclass(frozen=True)
class ColumnContext:
    """What a column says: its header, the measure or group it names, and its meaning."""

    header: str
    meaning: Meaning
    measure: str = ""
    measure_id: str = ""
    group: str = ""
    n: int | None = None


@dataclass(frozen=True)
class PrintedValue:
    """One printed value of a cell with the group it belongs to ("" when the column's)."""

    text: str
    group: str = ""
    intervention: str = ""
    intervention_raw: str = ""
    flags: tuple[str, ...] = ()


def mark_meaning(legend: Legend, marks: Iterable[str]) -> Meaning:
    """What the legend's notes for these footnote marks say ("$ Mean", "a Median (IQR)")."""
    for mark in marks:
        note = legend.notes.get(mark, "")
        meaning = legend_meaning(note)
        if not meaning.centre:
            meaning = read_meaning(note)
        if meaning.centre or meaning.spread:
            return Meaning(statistics=meaning.statistics, spread=meaning.spread,
                           interval=meaning.interval)
    return Meaning()


def table_legend_meaning(footnotes: str, legend: Legend, cells: Iterable[Cell]) -> Meaning:
    """What the legend says of every value of the table: its text without the notes of
    marks printed on cells (those speak for their row or column only)."""
    used = {mark for cell in cells for mark in cell.marks}
    text = footnotes
    for mark, note in legend.notes.items():
        if mark in used:
            text = text.replace(note, " ")
    return legend_meaning(text)


_VALUE_SEPARATORS = (re.compile(r"\s*;\s*"), re.compile(r",\s+(?=[-−]?\d)"))


def _parts(text: str, sources: list[Meaning]) -> list[tuple[str, list[Meaning]]]:
    """The values of a cell line, each with its sources: split as the row or column says
    ("mean (SD); median (IQR)" over "46.6 (11.3); 47.5 (38.3-55.4)"), else by labels."""
    counts = {len(s.segments) for s in sources if s.segments}
    for count in sorted(counts):
        for separator in _VALUE_SEPARATORS:
            pieces = [p for p in separator.split(text) if p.strip()]
            if len(pieces) == count:
                return [(piece, [s.segments[i] if len(s.segments) == count else s
                                 for s in sources]) for i, piece in enumerate(pieces)]
    return [(part, sources) for part in split_labelled(text)]


def read_facts(printed: str, marks: tuple[str, ...], sources: list[Meaning],
               legend: Legend) -> list[tuple[str, str, Fact, bool]]:
    """(label, raw, fact, unread) for each value of one printed line: "CRA (560), Proximal
    adenomas (254)" gives two; a label naming a statistic ("HR 2.05") types the value
    rather than naming a group."""
    found_marks = tuple(m for m in marks if printed.rstrip().endswith(m))
    text = strip_marks(printed, marks)
    facts = []
    for part, part_sources in _parts(text, sources):
        reading = read_value(part)
        label_meaning = read_meaning(reading.label) if reading.label else Meaning()
        label = "" if label_meaning.centre else reading.label
        meaning = merge_meanings([label_meaning, mark_meaning(legend, found_marks),
                                  *part_sources])
        fact = type_fact(reading, meaning)
        if found_marks:
            fact = Fact(**{**fact.__dict__, "flags": (*fact.flags,
                                                      *(f"mark:{m}" for m in found_marks))})
        facts.append((label, part.strip() if part is not text else printed.strip(), fact,
                      reading.unread))
    return facts


def value_records(row: RowContext, column: ColumnContext, cell: Cell,
                  values: list[PrintedValue], sources: list[Meaning],
                  legend: Legend) -> list[Outcome]:
    """Every record of one cell: one per printed value (per labelled part of it)."""
    records: list[Outcome] = []
    for printed in values:
        for label, raw, fact, unread in read_facts(printed.text, cell.marks, sources, legend):
            flags = [*printed.flags, *fact.flags]
            if row.merged:
                flags.append("merged-continuation-row")
            if unread:
                flags.append("unread")
            records.append(Outcome(
                outcome_id="", paper_id=row.paper_id, table_id=row.table_id,
                study_label=row.study_label, author=row.author, year=row.year,
                n=column.n if column.n is not None else row.n,
                intervention=printed.intervention, intervention_raw=printed.intervention_raw,
                group=label or printed.group or column.group,
                measure=column.measure, measure_id=column.measure_id, header=column.header,
                row_label=row.row_label, row_path=row.row_path, statistic=fact.statistic,
                value=fact.value, low=fact.low, high=fact.high, interval=fact.interval,
                total=fact.total, sd=fact.sd, se=fact.se, percent=fact.percent, p=fact.p,
                p_op=fact.p_op, model=fact.model, pooled=row.pooled, kind=fact.kind,
                unit=fact.unit, raw_text=raw, row=cell.row, col=cell.col,
                flags=tuple(dict.fromkeys(flags)), page=cell.page, x0=cell.x0, top=cell.top,
                x1=cell.x1, bottom=cell.bottom,
            ))
    return records
