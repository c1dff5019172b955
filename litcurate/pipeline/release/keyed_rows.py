"""Pair the rows of two copies of one resource by record id, never by position.

Most resources have a stable primary key (an outcome's id is its table, study, arm and
measure) and their rows pair by it. Two resources need more:

- **cells** are keyed by (table, row, col), a position: one row inserted into a table
  would shift every row below it and mark them all changed. The rows of each table are
  aligned by their content instead (the longest common run of identical rows, then
  similar rows paired in order, as daff does for tables without a key); the cells of two
  aligned rows pair by column.
- **issues** have no key; they pair by (record id, rule). Several issues of one rule on
  one record (a prose check's verdict on each outcome of a table) pair with an
  identical one first, and only what is left pairs in order: one issue more or less
  is one added or removed, not every later one changed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from litcurate.schemas import record_ids
from litcurate.schemas.resources import Resource

Row = dict[str, str]
SIMILAR_ROWS = 0.5  # share of equal cells from which two unequal rows are one row changed
MATCH_KEYS = {"issues": ("record_id", "rule")}  # how key-less resources' rows pair
POSITION_COLUMNS = {"cells": ("row",)}  # where a record sits, not what it says


@dataclass(frozen=True)
class RowPair:
    """One record in the old and the new copy; a side is None when it is not there."""

    old_id: str | None
    old: Row | None
    new_id: str | None
    new: Row | None


def row_id(resource: Resource, row: Row) -> str:
    """A row's stable id: its primary key values, or the whole row for key-less resources."""
    columns = resource.primary_key or tuple(sorted(row))
    return record_ids.key_id([row.get(c, "") for c in columns])


def keyed_rows(resource: Resource, rows: Sequence[Row]) -> dict[str, Row]:
    """Rows by their primary key, or by the whole row for a resource with neither key nor
    match key."""
    return {row_id(resource, row): row for row in rows}


def pair_rows(resource: Resource, old_rows: Sequence[Row], new_rows: Sequence[Row]
              ) -> list[RowPair]:
    """Every record of either copy, paired with itself in the other when it is there."""
    if resource.name == "cells":
        return pair_cells(resource, old_rows, new_rows)
    match_key = MATCH_KEYS.get(resource.name)
    if not resource.primary_key and match_key is not None:
        return pair_repeats(old_rows, new_rows, match_key)
    old, new = keyed_rows(resource, old_rows), keyed_rows(resource, new_rows)
    return [RowPair(key if key in old else None, old.get(key), key if key in new else None,
                    new.get(key)) for key in sorted(set(old) | set(new))]


def pair_repeats(old_rows: Sequence[Row], new_rows: Sequence[Row], match_key: tuple[str, ...]
                 ) -> list[RowPair]:
    """Rows paired by ``match_key``; within a key, identical rows first, then the rest in
    order. The first pair of a key is named by the key, later ones by the key and a
    number."""
    def grouped(rows: Sequence[Row]) -> dict[str, list[Row]]:
        groups: dict[str, list[Row]] = defaultdict(list)
        for row in rows:
            groups[record_ids.key_id([row.get(c, "") for c in match_key])].append(row)
        return groups

    old_groups, new_groups = grouped(old_rows), grouped(new_rows)
    pairs: list[RowPair] = []
    for key in sorted(set(old_groups) | set(new_groups)):
        olds, news = list(old_groups.get(key, [])), list(new_groups.get(key, []))
        matched: list[tuple[Row | None, Row | None]] = []
        for row in list(news):
            if row in olds:
                olds.remove(row)
                news.remove(row)
                matched.append((row, row))
        matched.extend(zip(olds, news, strict=False))
        shared = min(len(olds), len(news))
        matched.extend((row, None) for row in olds[shared:])
        matched.extend((None, row) for row in news[shared:])
        for number, (old, new) in enumerate(matched, start=1):
            name = key if number == 1 else record_ids.key_id([key, str(number)])
            pairs.append(RowPair(name if old is not None else None, old,
                                 name if new is not None else None, new))
    return sorted(pairs, key=lambda pair: pair.old_id or pair.new_id or "")


TableRows = list[tuple[int, dict[int, Row]]]  # (row number, cells by column), in row order


def cells_to_table_rows(cells: Sequence[Row]) -> dict[str, TableRows]:
    """Given cells.csv rows, return each table's rows in order, with their cells by column."""
    grid: dict[str, dict[int, dict[int, Row]]] = defaultdict(lambda: defaultdict(dict))
    for cell in cells:
        grid[cell["table_id"]][int(cell["row"])][int(cell["col"])] = cell
    return {table: sorted(rows.items()) for table, rows in grid.items()}


def row_texts(cells: dict[int, Row]) -> tuple[str, ...]:
    """A table row as what it says, column by column (the row's content, not its place)."""
    width = max(cells, default=-1) + 1
    return tuple(cells[col]["text"] if col in cells else "" for col in range(width))


def align_rows(old: Sequence[tuple[str, ...]], new: Sequence[tuple[str, ...]]
               ) -> list[tuple[int | None, int | None]]:
    """Given two tables' rows as texts, return (old index, new index) pairs in order; a
    row only one side has is paired with None."""
    pairs: list[tuple[int | None, int | None]] = []
    matcher = SequenceMatcher(None, list(old), list(new), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.extend(zip(range(i1, i2), range(j1, j2), strict=True))
        else:
            pairs.extend(pair_similar_rows(old, new, range(i1, i2), range(j1, j2)))
    return pairs


def row_similarity(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """Share of columns whose text is equal in both rows."""
    width = max(len(a), len(b))
    return sum(x == y for x, y in zip(a, b, strict=False)) / width if width else 1.0


def pair_similar_rows(old: Sequence[tuple[str, ...]], new: Sequence[tuple[str, ...]],
                      old_span: range, new_span: range) -> list[tuple[int | None, int | None]]:
    """Within a stretch where the tables differ, pair rows that are mostly equal, in order;
    the rest are rows deleted (old) or inserted (new)."""
    pairs: list[tuple[int | None, int | None]] = []
    next_new = new_span.start
    for i in old_span:
        match = next((j for j in range(next_new, new_span.stop)
                      if row_similarity(old[i], new[j]) >= SIMILAR_ROWS), None)
        if match is None:
            pairs.append((i, None))
            continue
        pairs.extend((None, j) for j in range(next_new, match))
        pairs.append((i, match))
        next_new = match + 1
    pairs.extend((None, j) for j in range(next_new, new_span.stop))
    return pairs


def pair_cells(resource: Resource, old_cells: Sequence[Row], new_cells: Sequence[Row]
               ) -> list[RowPair]:
    """Cells paired through their tables' aligned rows, then by column."""
    old_tables, new_tables = cells_to_table_rows(old_cells), cells_to_table_rows(new_cells)
    pairs: list[RowPair] = []
    for table in sorted(set(old_tables) | set(new_tables)):
        old_rows, new_rows = old_tables.get(table, []), new_tables.get(table, [])
        alignment = align_rows([row_texts(cells) for _, cells in old_rows],
                               [row_texts(cells) for _, cells in new_rows])
        for i, j in alignment:
            old_by_col = old_rows[i][1] if i is not None else {}
            new_by_col = new_rows[j][1] if j is not None else {}
            for col in sorted(set(old_by_col) | set(new_by_col)):
                old, new = old_by_col.get(col), new_by_col.get(col)
                pairs.append(RowPair(row_id(resource, old) if old else None, old,
                                     row_id(resource, new) if new else None, new))
    return pairs
