"""Score recovered tables against the typesetter's truth, cell by cell.

Text is compared with whitespace collapsed, because a phrase the typesetter wrapped
for width ("Diamandidou,\\n1998") is the same cell text as the truth's single line;
stacked values keep their order, so "78 75" still has to be "78" over "75".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litcurate.extractors.tables import ExtractedTable


def squash(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class TableScore:
    label: str
    cells: int
    correct: int
    header_paths_equal: bool
    wrong: tuple[tuple[int, int, str, str], ...]

    @property
    def accuracy(self) -> float:
        return self.correct / self.cells if self.cells else 0.0


def score_table(truth: dict[str, Any], extracted: ExtractedTable) -> TableScore:
    """Body cells of ``truth`` matched at the same (row, col) in ``extracted``."""
    n_header = extracted.table.n_header_rows
    got = {(c.row - n_header, c.col): c.text for c in extracted.cells if not c.is_header}
    wrong: list[tuple[int, int, str, str]] = []
    total = correct = 0
    for r, row in enumerate(truth["rows"]):
        for c, expected in enumerate(row):
            total += 1
            actual = got.get((r, c))
            if actual is not None and squash(actual) == squash(expected):
                correct += 1
            else:
                wrong.append((r, c, expected, actual if actual is not None else "<missing>"))
    paths = [squash(p) for p in extracted.header_paths]
    return TableScore(truth["label"], total, correct,
                      paths == [squash(p) for p in truth["header_paths"]], tuple(wrong))
