"""Score detected statements against hand-annotated ones: detection and per-field accuracy.

A detected statement matches an annotated one when their sentences are the same text
once citation brackets, hyphenation and spacing are set aside (rapidfuzz ratio, so a
dropped comma or a ligature does not break the match). Fields are then compared one
by one: bodies (as a set), direction, intervention, and the criteria (as a set of
variable/op/value).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from litcurate.schemas import Criterion, Statement

MATCH_RATIO = 88  # rapidfuzz ratio of two normalised sentences that are the same sentence
FIELDS = ("bodies", "direction", "intervention", "criteria")
CITATION = re.compile(r"\[\s*\d+(?:\s*[-–,]\s*\d+)*\s*\]")


def normalise_sentence(text: str) -> str:
    """Lower-case words only: citations, hyphens and punctuation dropped."""
    text = CITATION.sub(" ", text)
    text = re.sub(r"[-‐–—]\s*", "", text)
    return " ".join(re.findall(r"[a-z0-9%<>≤≥.]+", text.lower()))


@dataclass(frozen=True)
class AnnotatedStatement:
    text: str
    page: int
    bodies: frozenset[str]
    direction: str
    intervention: str
    criteria: frozenset[tuple[str, str, float | None]]


@dataclass(frozen=True)
class AnnotatedPaper:
    path: Path
    pdf: str
    statements: tuple[AnnotatedStatement, ...]


def _criterion_key(variable: str, op: str, value: float | None) -> tuple[str, str, float | None]:
    return (variable, op, None if value is None else round(float(value), 3))


def load_annotations(path: Path) -> AnnotatedPaper:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    statements = tuple(
        AnnotatedStatement(
            text=str(s["text"]), page=int(s.get("page", 0)),
            bodies=frozenset(s.get("bodies", ())), direction=str(s["direction"]),
            intervention=str(s.get("intervention", "")),
            criteria=frozenset(_criterion_key(c["variable"], c["op"], c.get("value"))
                               for c in s.get("criteria", ())),
        )
        for s in data["statements"]
    )
    return AnnotatedPaper(path, str(data["pdf"]), statements)


@dataclass
class StatementScore:
    """Detection counts and per-field agreement on the matched statements."""

    annotated: int = 0
    detected: int = 0
    matched: int = 0
    field_right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)
    field_errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.detected if self.detected else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.annotated if self.annotated else 1.0

    def field_accuracy(self, name: str) -> float:
        return self.field_right[name] / self.matched if self.matched else 1.0

    def add(self, other: StatementScore) -> None:
        self.annotated += other.annotated
        self.detected += other.detected
        self.matched += other.matched
        for name in FIELDS:
            self.field_right[name] += other.field_right[name]
        self.misses += other.misses
        self.false_alarms += other.false_alarms
        self.field_errors += other.field_errors


def score_statements(annotated: Sequence[AnnotatedStatement], detected: Sequence[Statement],
                     criteria: Sequence[Criterion]) -> StatementScore:
    """Match detected statements to annotations one to one, best text match first."""
    score = StatementScore(annotated=len(annotated), detected=len(detected))
    by_statement: dict[str, set[tuple[str, str, float | None]]] = {}
    for criterion in criteria:
        by_statement.setdefault(criterion.statement_id, set()).add(
            _criterion_key(criterion.variable, criterion.op, criterion.value))
    pairs = sorted(
        ((fuzz.ratio(normalise_sentence(a.text), normalise_sentence(d.text)), i, j)
         for i, a in enumerate(annotated) for j, d in enumerate(detected)),
        reverse=True)
    used_a: set[int] = set()
    used_d: set[int] = set()
    for ratio, i, j in pairs:
        if ratio < MATCH_RATIO:
            break
        if i in used_a or j in used_d:
            continue
        used_a.add(i)
        used_d.add(j)
        score.matched += 1
        want, got = annotated[i], detected[j]
        checks = {
            "bodies": set(want.bodies) == set(got.bodies),
            "direction": want.direction == str(got.direction),
            "intervention": want.intervention == got.intervention,
            "criteria": set(want.criteria) == by_statement.get(got.statement_id, set()),
        }
        for name, right in checks.items():
            if right:
                score.field_right[name] += 1
            else:
                score.field_errors.append(f"{name}: {want.text[:70]!r}")
    score.misses = [a.text for i, a in enumerate(annotated) if i not in used_a]
    score.false_alarms = [d.text for j, d in enumerate(detected) if j not in used_d]
    return score
