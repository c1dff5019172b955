"""Score detected statements against hand-annotated ones: detection and per-field accuracy.

A detected statement matches an annotated one when their sentences are the same text
once citation brackets, hyphenation and spacing are set aside (rapidfuzz ratio, so a
dropped comma or a ligature does not break the match). Fields are then compared one
by one: bodies (as a set), direction, intervention, population (loosely, as the
intervention; both empty is right), and the criteria (as a set of variable/op/value).
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
PHRASE_RATIO = 80  # token-set ratio of two intervention phrases that name the same thing
FIELDS = ("bodies", "direction", "intervention", "population", "criteria")
CITATION = re.compile(r"\[\s*\d+(?:\s*[-–,]\s*\d+)*\s*\]")


def normalise_sentence(text: str) -> str:
    """Lower-case words only: citations, hyphens and punctuation dropped."""
    text = CITATION.sub(" ", text)
    text = re.sub(r"[-‐–—]\s*", "", text)
    return " ".join(re.findall(r"[a-z0-9%<>≤≥.]+", text.lower()))


TIERS = ("core", "soft", "optional")  # required, wanted, neither required nor penalised
TRAP = "trap"  # a look-alike that must not be extracted


@dataclass(frozen=True)
class AnnotatedStatement:
    text: str
    page: int
    bodies: frozenset[str]
    direction: str
    intervention: str
    criteria: frozenset[tuple[str, str, float | None]]
    tier: str = "core"
    population: str = ""


@dataclass(frozen=True)
class AnnotatedPaper:
    path: Path
    pdf: str
    statements: tuple[AnnotatedStatement, ...]  # every tier; borderline entries are optional
    traps: tuple[AnnotatedStatement, ...] = ()


def _criterion_key(variable: str, op: str, value: float | None) -> tuple[str, str, float | None]:
    return (variable, op, None if value is None else round(float(value), 3))


def _annotated(entry: dict[str, Any], tier: str) -> AnnotatedStatement:
    return AnnotatedStatement(
        text=str(entry["text"]), page=int(entry.get("page", 0)),
        bodies=frozenset(entry.get("bodies", ())), direction=str(entry.get("direction", "")),
        intervention=str(entry.get("intervention", "")),
        criteria=frozenset(_criterion_key(c["variable"], c["op"], c.get("value"))
                           for c in entry.get("criteria", ())),
        tier=tier, population=str(entry.get("population", "")))


def load_annotations(path: Path) -> AnnotatedPaper:
    """An annotation file: statements by tier (untiered ones are core), borderline
    entries as optional, and the traps."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    statements = tuple(_annotated(s, str(s.get("tier", "core"))) for s in data["statements"])
    borderline = tuple(_annotated(s, "optional") for s in data.get("borderline", ()))
    traps = tuple(_annotated(s, TRAP) for s in data.get("traps", ()))
    return AnnotatedPaper(path, str(data["pdf"]), statements + borderline, traps)


@dataclass
class StatementScore:
    """Detection counts and per-field agreement on the matched statements.

    Recall counts core statements only; precision counts a detection as right when it
    is any annotated statement (core, soft or optional) and wrong when it is a trap or
    nothing annotated. Soft and optional recall are kept apart in ``tiers``.
    """

    annotated: int = 0  # core statements
    detected: int = 0
    matched: int = 0  # core statements found
    accepted: int = 0  # detections that are an annotated statement of any tier
    compared: int = 0  # matched statements whose fields were compared
    traps_hit: int = 0
    tiers: dict[str, list[int]] = field(
        default_factory=lambda: {tier: [0, 0] for tier in TIERS})  # tier -> [annotated, found]
    field_right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)
    field_errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.accepted / self.detected if self.detected else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.annotated if self.annotated else 1.0

    def tier_recall(self, tier: str) -> float:
        annotated, found = self.tiers[tier]
        return found / annotated if annotated else 1.0

    def field_accuracy(self, name: str) -> float:
        return self.field_right[name] / self.compared if self.compared else 1.0

    def add(self, other: StatementScore) -> None:
        for name in ("annotated", "detected", "matched", "accepted", "compared", "traps_hit"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for tier in TIERS:
            self.tiers[tier] = [a + b for a, b in zip(self.tiers[tier], other.tiers[tier],
                                                      strict=True)]
        for name in FIELDS:
            self.field_right[name] += other.field_right[name]
        self.misses += other.misses
        self.false_alarms += other.false_alarms
        self.field_errors += other.field_errors


def same_intervention(wanted: str, got: Statement) -> bool:
    """An annotated intervention is either a vocabulary id (compared with the statement's
    ``intervention_id``) or the paper's words (compared, loosely, with its phrase)."""
    if wanted == got.intervention_id:
        return True
    if not wanted or not got.intervention:
        return False
    a, b = normalise_sentence(wanted), normalise_sentence(got.intervention)
    return a in b or b in a or fuzz.token_set_ratio(a, b) >= PHRASE_RATIO


def same_phrase(wanted: str, got: str) -> bool:
    """Two phrases name the same thing: both empty, one inside the other, or close."""
    a, b = normalise_sentence(wanted), normalise_sentence(got)
    if not a or not b:
        return a == b
    return a in b or b in a or fuzz.token_set_ratio(a, b) >= PHRASE_RATIO


def score_statements(annotated: Sequence[AnnotatedStatement], detected: Sequence[Statement],
                     criteria: Sequence[Criterion],
                     traps: Sequence[AnnotatedStatement] = ()) -> StatementScore:
    """Match detected statements to annotations (traps included) one to one, best text
    match first; then score detection by tier and the fields of the matches."""
    score = StatementScore(annotated=sum(a.tier == "core" for a in annotated),
                           detected=len(detected))
    for a in annotated:
        score.tiers.setdefault(a.tier, [0, 0])[0] += 1
    by_statement: dict[str, set[tuple[str, str, float | None]]] = {}
    for criterion in criteria:
        by_statement.setdefault(criterion.statement_id, set()).add(
            _criterion_key(criterion.variable, criterion.op, criterion.value))
    candidates = [*annotated, *traps]
    pairs = sorted(
        ((fuzz.ratio(normalise_sentence(a.text), normalise_sentence(d.text)), i, j)
         for i, a in enumerate(candidates) for j, d in enumerate(detected)),
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
        want, got = candidates[i], detected[j]
        if want.tier == TRAP:
            score.traps_hit += 1
            score.false_alarms.append(got.text)
            continue
        score.accepted += 1
        score.tiers[want.tier][1] += 1
        score.matched += want.tier == "core"
        if want.direction:  # borderline entries carry no fields to compare
            _compare_fields(score, want, got, by_statement.get(got.statement_id, set()))
    score.misses = [a.text for i, a in enumerate(annotated)
                    if i not in used_a and a.tier == "core"]
    score.false_alarms += [d.text for j, d in enumerate(detected) if j not in used_d]
    return score


def _compare_fields(score: StatementScore, want: AnnotatedStatement, got: Statement,
                    got_criteria: set[tuple[str, str, float | None]]) -> None:
    score.compared += 1
    checks = {
        "bodies": set(want.bodies) == set(got.bodies),
        "direction": want.direction == str(got.direction),
        "intervention": same_intervention(want.intervention, got),
        "population": same_phrase(want.population, got.population),
        "criteria": set(want.criteria) == got_criteria,
    }
    for name, right in checks.items():
        if right:
            score.field_right[name] += 1
        else:
            score.field_errors.append(f"{name}: {want.text[:70]!r}")
