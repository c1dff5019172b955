"""A reference consumer: which statements fit this patient, and what the tables report.

    python examples/decision_helper.py --release data/curated --version latest \
        --primary small-bowel --ki67 5 --hepatic-invasion 30 --no-extrahepatic \
        --lesion-cm 3 --months-stable 8 --grade 1

It needs only ``litcurate`` with its core dependencies: it loads a pinned release
(hashes and schema checked), checks each statement's machine-readable criteria
against the profile (met, violated, or not known from the profile), and for every
intervention that fits (a recommendation whose conditions hold or may hold) summarises
the tables' outcome records: the median of the reported PFS, OS and tumour response
values, with how many values went into it.
This is an example of use, not clinical advice.
"""

from __future__ import annotations

import argparse
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import litcurate

OPS = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
       ">=": lambda a, b: a >= b, "=": lambda a, b: a == b, "!=": lambda a, b: a != b}
SUMMARY_MEASURES = (("pfs", "median PFS", "months"), ("os", "median OS", "months"),
                    ("tumour_response", "tumour response", "%"))
POSITIVE = {"recommended", "consider", "indicated"}
# Statements speak of "liver-directed treatments"; the tables report their members.
UMBRELLAS = {"liver_directed": ("TAE", "TACE", "TARE")}


@dataclass(frozen=True)
class Profile:
    """What the helper knows about a patient; None means not known."""

    primary: str | None = None
    ki67: float | None = None
    hepatic_invasion: float | None = None
    extrahepatic: bool | None = None
    lesion_cm: float | None = None
    months_stable: float | None = None
    grade: int | None = None
    primary_resected: bool | None = None

    def value_of(self, variable: str) -> float | bool | None:
        return {
            "ki67_pct": self.ki67, "hepatic_invasion_pct": self.hepatic_invasion,
            "lesion_size_cm": self.lesion_cm, "stable_disease_months": self.months_stable,
            "grade": self.grade, "extrahepatic_disease": self.extrahepatic,
            "primary_tumour_resected": self.primary_resected,
        }.get(variable)


def check(criterion: Any, profile: Profile) -> str:
    """'met', 'violated' or 'unknown' for one criterion."""
    known = profile.value_of(criterion.variable)
    if known is None:
        return "unknown"
    if criterion.op in {"present", "absent"}:
        return "met" if bool(known) == (criterion.op == "present") else "violated"
    if criterion.value is None or criterion.op not in OPS:
        return "unknown"
    return "met" if OPS[criterion.op](float(known), float(criterion.value)) else "violated"


def assess(release: Any, profile: Profile) -> list[dict[str, Any]]:
    """Statements with criteria, each with its criteria checked against the profile."""
    criteria: dict[str, list[Any]] = defaultdict(list)
    for criterion in release.records("criteria"):
        criteria[criterion.statement_id].append(criterion)
    results: list[dict[str, Any]] = []
    for statement in release.records("statements"):
        own = criteria.get(statement.statement_id, [])
        if not own:
            continue
        checks = [(c, check(c, profile)) for c in own]
        # A statement applies to the patient when every condition holds; for a
        # contraindication or a "not recommended", applying is the warning.
        verdict = ("does not apply" if any(v == "violated" for _, v in checks)
                   else "applies" if all(v == "met" for _, v in checks) else "partly known")
        results.append({"statement": statement, "checks": checks, "verdict": verdict})
    order = {"applies": 0, "partly known": 1, "does not apply": 2}
    return sorted(results, key=lambda r: (order[r["verdict"]], r["statement"].page,
                                          r["statement"].statement_id))


def outcome_summary(release: Any, interventions: Sequence[str]) -> dict[str, list[str]]:
    """Per intervention, the median of each summary measure over the studies reporting it."""
    values: dict[tuple[str, str], list[float]] = defaultdict(list)
    for outcome in release.records("outcomes"):
        if outcome.value is not None:
            measure = outcome.measure_id or outcome.measure
            values[(outcome.intervention, measure)].append(outcome.value)
    summary: dict[str, list[str]] = {}
    for intervention in interventions:
        lines = []
        members = UMBRELLAS.get(intervention, (intervention,))
        for measure, label, unit in SUMMARY_MEASURES:
            found = [v for member in members for v in values.get((member, measure), [])]
            if found:
                lines.append(f"{label} {statistics.median(found):g} {unit} "
                             f"(median of {len(found)} reported values)")
        summary[intervention] = lines
    return summary


def report(release: Any, profile: Profile) -> str:
    """The helper's answer as plain text."""
    assessed = assess(release, profile)
    lines = [f"litcurate release {release.version}", ""]
    interventions: list[str] = []
    for item in assessed:
        statement = item["statement"]
        bodies = " + ".join(statement.bodies)
        name = statement.intervention_id or statement.intervention or "(no intervention)"
        lines.append(f"[{item['verdict']}] {name} "
                     f"{statement.direction} by {bodies} (page {statement.page}): "
                     f"{statement.text[:90]}")
        for criterion, verdict in item["checks"]:
            lines.append(f"    {verdict:8} {criterion.raw}")
        fits = item["verdict"] != "does not apply" and statement.direction in POSITIVE
        if fits and statement.intervention_id and statement.intervention_id not in interventions:
            interventions.append(statement.intervention_id)
    lines += ["", "Outcomes reported in the tables for the interventions that fit:"]
    for intervention, summary in outcome_summary(release, interventions).items():
        lines.append(f"  {intervention}: " + ("; ".join(summary) if summary
                                              else "no outcome records"))
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--release", default="data/curated", help="release folder or root")
    parser.add_argument("--version", default="latest", help="pinned version, or latest")
    parser.add_argument("--primary")
    parser.add_argument("--ki67", type=float)
    parser.add_argument("--hepatic-invasion", type=float)
    parser.add_argument("--extrahepatic", action=argparse.BooleanOptionalAction, default=None)
    parser.add_argument("--lesion-cm", type=float)
    parser.add_argument("--months-stable", type=float)
    parser.add_argument("--grade", type=int)
    parser.add_argument("--primary-resected", action=argparse.BooleanOptionalAction,
                        default=None)
    args = parser.parse_args(argv)
    release = litcurate.load(args.release, args.version)
    profile = Profile(args.primary, args.ki67, args.hepatic_invasion, args.extrahepatic,
                      args.lesion_cm, args.months_stable, args.grade, args.primary_resected)
    print(report(release, profile), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
