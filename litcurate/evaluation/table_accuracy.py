"""Score recovered tables against hand-checked expected grids, cell by cell.

One scorer serves the golden tests, the benchmark and the release's metrics card, so
the number a consumer reads is the number the tests enforce. Text is compared with
whitespace collapsed (a phrase wrapped for width is the same cell as its one-line
truth; stacked values keep their order). Rows are aligned by their first cell, so a
missed or spurious row costs that row only, not every row after it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from litcurate.extractors.pdf.document import normalise_text
from litcurate.extractors.tables.extract import ExtractedTable, TablesResult

WRAPPED_HYPHEN = re.compile(r"(?<=[A-Za-z])-\s+(?=[a-z])")


def squash(text: str | None) -> str:
    """Whitespace collapsed, ligatures spelled out, a word hyphenated at a line end
    ("follow-\nup") rejoined: the form cells are compared in."""
    return WRAPPED_HYPHEN.sub("-", " ".join(normalise_text(text or "").split()))


@dataclass(frozen=True)
class ExpectedTable:
    """One table of an expected-grid file (tests/fixtures/tables/FORMAT.md)."""

    label: str
    caption: str
    pages: tuple[int, ...]
    layouts: tuple[str, ...]
    header_paths: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    footnotes: str = ""

    @property
    def n_cells(self) -> int:
        return sum(len(row) for row in self.rows)


SPLITS = ("development", "heldout")


@dataclass(frozen=True)
class ExpectedFile:
    """An expected-grid file and the PDF it describes.

    ``split`` says whether the extractor may be tuned on the file ("development") or
    whether it is kept aside to measure what tuning did not see ("heldout"); files
    that do not say are development files, as every fixture written before the split was.
    """

    path: Path
    pdf: Path
    producer: str
    tables: tuple[ExpectedTable, ...]
    split: str = "development"

    @property
    def name(self) -> str:
        return f"{self.producer}/{self.pdf.stem}"


def load_expected(path: Path) -> ExpectedFile:
    """Given an ``*.expected.json`` path, return its tables; the PDF path is resolved."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    tables = tuple(
        ExpectedTable(
            label=str(t["label"]),
            caption=str(t.get("caption", "")),
            pages=tuple(int(p) for p in t.get("pages", ())),
            layouts=tuple(str(x) for x in t.get("layouts", ())),
            header_paths=tuple(str(h) for h in t["header_paths"]),
            rows=tuple(tuple(str(c) for c in row) for row in t["rows"]),
            footnotes=str(t.get("footnotes", "")),
        )
        for t in data["tables"]
    )
    split = str(data.get("split", "development"))
    if split not in SPLITS:
        raise ValueError(f"{path.name}: split {split!r} is not one of {', '.join(SPLITS)}")
    return ExpectedFile(path=path, pdf=(path.parent / data["pdf"]).resolve(),
                        producer=str(data.get("producer", path.parent.name)), tables=tables,
                        split=split)


def discover_expected(root: Path) -> list[ExpectedFile]:
    """Every expected-grid file under ``root``, in a stable order."""
    return [load_expected(p) for p in sorted(root.rglob("*.expected.json"))]


def locate_pdfs(files: Sequence[ExpectedFile], corpus: Path | None = None
                ) -> tuple[list[ExpectedFile], list[tuple[ExpectedFile, str]]]:
    """The files whose PDF is at hand, and the others with the reason they are skipped.

    A file's own ``pdf`` path wins; when it does not exist, a PDF of the same name in
    ``corpus`` is used instead. Papers whose licence keeps them out of the repository
    are annotated with the path they would have, and are found only this way.
    """
    found: list[ExpectedFile] = []
    skipped: list[tuple[ExpectedFile, str]] = []
    for expected in files:
        elsewhere = corpus / expected.pdf.name if corpus is not None else None
        if expected.pdf.is_file():
            found.append(expected)
        elif elsewhere is not None and elsewhere.is_file():
            found.append(replace(expected, pdf=elsewhere.resolve()))
        else:
            where = (f"is neither at its path nor in {corpus}" if corpus is not None
                     else "is not at its path and no corpus folder was given")
            skipped.append((expected, f"{expected.pdf.name} {where}"))
    return found, skipped


@dataclass(frozen=True)
class TableScore:
    """How one recovered grid compares with its expected grid."""

    label: str
    cells: int
    correct: int
    header_paths_equal: bool
    found: bool = True
    wrong: tuple[tuple[int, int, str, str], ...] = field(default=(), repr=False)
    rows_recovered: int = 0
    rows_expected: int = 0

    @property
    def accuracy(self) -> float:
        return self.correct / self.cells if self.cells else 1.0


def align_rows(expected: Sequence[Sequence[str]], got: Sequence[Sequence[str]]
               ) -> list[int | None]:
    """For each expected row, the index of the recovered row with the same first cell.

    Matching moves forward only, so duplicates ("Mean (SD)" under several headings)
    pair up in order; an expected row with no partner maps to None.
    """
    keys = [squash(row[0]) if row else "" for row in got]
    matched: list[int | None] = []
    cursor = 0
    for row in expected:
        key = squash(row[0]) if row else ""
        index = next((i for i in range(cursor, len(keys)) if keys[i] == key), None)
        if index is None and key == "":
            index = cursor if cursor < len(keys) and keys[cursor] == "" else None
        matched.append(index)
        if index is not None:
            cursor = index + 1
    return matched


def score_grid(expected: ExpectedTable, got_rows: Sequence[Sequence[str]],
               got_header_paths: Sequence[str] | None) -> TableScore:
    """Cells of ``expected`` found at the same column of the aligned recovered row."""
    wrong: list[tuple[int, int, str, str]] = []
    correct = 0
    for r, (row, index) in enumerate(zip(expected.rows, align_rows(expected.rows, got_rows),
                                         strict=True)):
        got = got_rows[index] if index is not None else ()
        for c, want in enumerate(row):
            actual = got[c] if c < len(got) else None
            if actual is not None and squash(actual) == squash(want):
                correct += 1
            else:
                wrong.append((r, c, want, "<missing>" if actual is None else actual))
    paths_equal = got_header_paths is not None and [squash(p) for p in got_header_paths] == [
        squash(p) for p in expected.header_paths]
    return TableScore(expected.label, expected.n_cells, correct, paths_equal, True, tuple(wrong),
                      len(got_rows), len(expected.rows))


def missing(expected: ExpectedTable) -> TableScore:
    """The score of a table the extractor did not find at all."""
    return TableScore(expected.label, expected.n_cells, 0, False, False, (), 0,
                      len(expected.rows))


@dataclass(frozen=True)
class CorpusScore:
    """Totals over many tables, for reports and the metrics card."""

    tables: int
    cells: int
    correct: int
    headers_right: int
    found: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.cells if self.cells else 1.0

    @classmethod
    def of(cls, scores: Sequence[TableScore]) -> CorpusScore:
        return cls(
            tables=len(scores),
            cells=sum(s.cells for s in scores),
            correct=sum(s.correct for s in scores),
            headers_right=sum(s.header_paths_equal for s in scores),
            found=sum(s.found for s in scores),
        )


def label_key(label: str) -> str:
    """'TABLE III' and 'Table III' name the same table."""
    return squash(label).casefold()


def recovered_rows(extracted: ExtractedTable) -> list[list[str]]:
    """Body rows of a recovered table as text, one list per row, ordered by column."""
    rows: dict[int, dict[int, str]] = {}
    for cell in extracted.cells:
        if not cell.is_header:
            rows.setdefault(cell.row, {})[cell.col] = cell.text
    width = extracted.table.n_cols
    return [[rows[r].get(c, "") for c in range(width)] for r in sorted(rows)]


def score_tables(expected: ExpectedFile, result: TablesResult) -> list[TableScore]:
    """Each expected table scored against the recovered table with the same label."""
    by_label = {label_key(t.table.label): t for t in result.tables}
    scores: list[TableScore] = []
    for table in expected.tables:
        got = by_label.get(label_key(table.label))
        if got is None:
            scores.append(missing(table))
        else:
            scores.append(score_grid(table, recovered_rows(got), got.header_paths))
    return scores
