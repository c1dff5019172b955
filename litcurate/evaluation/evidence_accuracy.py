"""Typed evidence against hand-annotated gold (tests/fixtures/evidence/FORMAT.md).

A gold fact is found when a record of the same table, on the same row, carries the same
numbers (value, bounds, total, spread, percent, P; compared to four decimals); it is
*typed* when that record's statistic is the gold one. Precision counts the records of
the annotated tables that carry a number (or say "not reported"), less those on cells
the gold lists as ``ignore``. Rows are compared by their printed labels, folded (case,
spacing, punctuation), with the subgroup path allowed on either side.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from litcurate.schemas import Outcome, Population, Statistic, ValueKind

NUMBER_FIELDS = ("value", "low", "high", "total", "sd", "se", "percent", "p")
ROW_SIMILARITY = 88.0


@dataclass(frozen=True)
class GoldFact:
    """One annotated fact: where it is and what it says."""

    row: str
    row_path: tuple[str, ...]
    column: str
    raw: str
    statistic: str
    numbers: tuple[float, ...]


@dataclass(frozen=True)
class GoldTable:
    label: str
    page: int
    kind: str
    facts: tuple[GoldFact, ...]
    ignore: tuple[tuple[str, str], ...]  # (row, raw)


@dataclass(frozen=True)
class GoldPaper:
    path: Path
    pdf: str
    split: str
    tables: tuple[GoldTable, ...]

    @property
    def name(self) -> str:
        return self.pdf.rsplit(".", 1)[0]


def _numbers(record: dict[str, Any] | Outcome) -> tuple[float, ...]:
    values = [record.get(f) if isinstance(record, dict) else getattr(record, f)
              for f in NUMBER_FIELDS]
    return tuple(sorted(round(float(v), 4) for v in values if v is not None and v != ""))


def load_gold(path: Path) -> GoldPaper:
    """Given a ``*.evidence.json`` file, its tables and facts."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    tables = tuple(GoldTable(
        label=str(t["label"]), page=int(t.get("page", 0)), kind=str(t.get("kind", "")),
        facts=tuple(GoldFact(
            row=str(r.get("row", "")), row_path=tuple(str(p) for p in r.get("row_path", [])),
            column=str(r.get("column", "")), raw=str(r.get("raw", "")),
            statistic=str(r.get("statistic", "")), numbers=_numbers(r))
            for r in t["records"]),
        ignore=tuple((str(i.get("row", "")), str(i.get("raw", ""))) for i in t.get("ignore", [])),
    ) for t in data["tables"])
    return GoldPaper(path=path, pdf=str(data["pdf"]), split=str(data.get("split", "development")),
                     tables=tables)


def discover_gold(root: Path) -> list[GoldPaper]:
    """Every gold file under ``root``, in name order."""
    return [load_gold(p) for p in sorted(root.glob("*.evidence.json"))]


def fold(text: str) -> str:
    """Case, spacing and punctuation folded, for comparing printed labels."""
    return re.sub(r"[^0-9a-z]+", "", text.lower().replace("−", "-"))


def _row_names(record: Outcome) -> list[str]:
    names = [record.row_label, " / ".join((*record.row_path, record.row_label))]
    if record.study_label:
        names.append(record.study_label)
    return [fold(n) for n in names if n]


def same_row(gold: GoldFact, record: Outcome) -> bool:
    """True when the record's row is the gold row (with or without subgroup path)."""
    wanted = [fold(gold.row), fold(" / ".join((*gold.row_path, gold.row)))]
    for name in _row_names(record):
        for want in wanted:
            if not want or not name:
                continue
            if name == want or name.endswith(want) or (len(want) > 3 and (
                    name.startswith(want) or want.endswith(name) or want.startswith(name))):
                return True
            if fuzz.ratio(name, want) >= ROW_SIMILARITY:
                return True
    return False


@dataclass
class TableScore:
    label: str
    kind: str
    gold: int
    found: int = 0
    typed: int = 0
    extracted: int = 0
    correct_extracted: int = 0
    missed: list[GoldFact] = field(default_factory=list)
    mistyped: list[tuple[GoldFact, str]] = field(default_factory=list)
    extra: list[Outcome] = field(default_factory=list)


def _countable(record: Outcome) -> bool:
    return bool(_numbers(record)) or record.statistic.value == "not_reported"


def score_table(gold: GoldTable, records: Sequence[Outcome]) -> TableScore:
    """Match one table's gold facts to the records extracted for it."""
    ignored = {(fold(row), fold(raw)) for row, raw in gold.ignore}
    pool = [r for r in records if _countable(r)
            and not any(fold(r.raw_text) == raw and any(fold(row) in n or n in fold(row)
                                                        for n in _row_names(r))
                        for row, raw in ignored)]
    score = TableScore(gold.label, gold.kind, len(gold.facts), extracted=len(pool))
    used: set[int] = set()
    for fact in gold.facts:
        candidates = [i for i, r in enumerate(pool) if i not in used
                      and _numbers(r) == fact.numbers and same_row(fact, r)
                      and (fact.numbers or r.statistic.value == "not_reported")]
        if not candidates:
            score.missed.append(fact)
            continue
        best = max(candidates, key=lambda i: (pool[i].statistic.value == fact.statistic,
                                              fuzz.ratio(fold(pool[i].header),
                                                         fold(fact.column))))
        used.add(best)
        score.found += 1
        if pool[best].statistic.value == fact.statistic:
            score.typed += 1
        else:
            score.mistyped.append((fact, pool[best].statistic.value))
    score.correct_extracted = len(used)
    score.extra = [r for i, r in enumerate(pool) if i not in used]
    return score


@dataclass
class PaperScore:
    name: str
    split: str
    tables: list[TableScore]

    def _sum(self, name: str) -> int:
        return sum(int(getattr(t, name)) for t in self.tables)

    @property
    def recall(self) -> float:
        gold = self._sum("gold")
        return self._sum("found") / gold if gold else 1.0

    @property
    def typed_recall(self) -> float:
        gold = self._sum("gold")
        return self._sum("typed") / gold if gold else 1.0

    @property
    def precision(self) -> float:
        extracted = self._sum("extracted")
        return self._sum("correct_extracted") / extracted if extracted else 1.0


def population_facts(populations: Iterable[Population]) -> list[Outcome]:
    """Subgroup counts ("Sex (M/F)": 24/52) as the count facts they are, for scoring."""
    return [Outcome(outcome_id=p.population_id, paper_id=p.paper_id, table_id=p.table_id,
                    study_label=p.study_label, row_label=p.study_label, header=p.subgroup,
                    measure=p.subgroup, statistic=Statistic.COUNT if p.n is not None
                    else Statistic.NOT_REPORTED, value=p.n,
                    kind=ValueKind.NUMBER if p.n is not None else ValueKind.NOT_REPORTED,
                    raw_text=p.raw_text, row=p.row, col=p.col, page=p.page, x0=p.x0, top=p.top,
                    x1=p.x1, bottom=p.bottom) for p in populations]


def score_paper(gold: GoldPaper, outcomes: Iterable[Outcome], labels: dict[str, str]
                ) -> PaperScore:
    """Score a paper's records (``labels``: table_id -> printed label) against its gold."""
    by_label: dict[str, list[Outcome]] = {}
    for record in outcomes:
        by_label.setdefault(labels.get(record.table_id, ""), []).append(record)
    return PaperScore(gold.name, gold.split,
                      [score_table(t, by_label.get(t.label, [])) for t in gold.tables])
