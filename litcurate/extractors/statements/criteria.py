"""Sentence text -> the conditions a statement sets: criteria, population, setting.

These are patterns over the clean sentence (citation markers removed), kept apart from
the spaCy rules in ``statements`` because they need no NLP: each criterion is a
variable with an operator and a value ("<marker> < 10%" -> <variable> < 10) or a
qualitative condition ("absence of <finding>" -> <variable> absent), so a decision
engine can evaluate it without reading prose. The variables, their patterns, units
and scales are data (``criteria.yaml``), as are the settings (``clinical_settings.yaml``);
this module holds only the regex building blocks and how finds are combined.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from litcurate.extractors.knowledge import load_data_file

NUMBER = r"(?P<value>\d+(?:[.,]\d+)?)"
SLOT = re.compile(r"\{(\w+)\}")
POPULATION_OPENERS = r"in|for|among"


@dataclass(frozen=True)
class NumericRule:
    """A measured criterion: variable, pattern with ``op``/``value`` groups, unit, defaults."""

    variable: str
    pattern: re.Pattern[str]
    unit: str
    default_op: str = ""
    scale: float = 1.0


@dataclass(frozen=True)
class GradedRule:
    """A scale of levels: "G1 or G2" -> <= 2; ``level`` finds one level inside a match."""

    variable: str
    pattern: re.Pattern[str]
    level: re.Pattern[str]


@dataclass(frozen=True)
class QualitativeRule:
    """A condition without a number: the variable and the op it publishes when found."""

    variable: str
    op: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class FreeRule:
    """Any other printed threshold: where it is, and how its variable is read before it."""

    threshold: re.Pattern[str]  # operator, number, optional unit
    max_words: int
    skip: frozenset[str]
    stop: frozenset[str]
    not_variables: frozenset[str]


@dataclass(frozen=True)
class CriteriaRules:
    """Every criterion rule of ``criteria.yaml``, compiled once."""

    operators: dict[str, str]
    numeric: tuple[NumericRule, ...]
    graded: tuple[GradedRule, ...]
    qualitative: tuple[QualitativeRule, ...]
    population_nouns: re.Pattern[str]
    population: re.Pattern[str]
    free: FreeRule | None = None
    people: re.Pattern[str] = re.compile("(?!)")  # a subject naming who the statement is for


@dataclass(frozen=True)
class SettingRule:
    """A clinical setting: a pattern, the value it gives, rewrites of its groups."""

    pattern: re.Pattern[str]
    value: str
    aliases: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Found:
    """A criterion found in a sentence, with where it was (to keep it out of other fields)."""

    variable: str
    op: str
    value: float | None
    unit: str
    raw: str
    start: int
    end: int


def fill_slots(pattern: str, parts: Mapping[str, str]) -> str:
    """Given a data pattern, return it with each known {name} replaced; "{0,40}" stays."""
    return SLOT.sub(lambda m: parts.get(m.group(1), m.group(0)), pattern)


def operator_pattern(phrases: Mapping[str, str]) -> str:
    """The ``op`` group: every printed operator phrase, in the data file's order."""
    return "(?P<op>" + "|".join(re.escape(phrase) for phrase in phrases) + ")"


def _alternation(patterns: list[str]) -> str:
    return "|".join(patterns)


def _population_pattern(population: Mapping[str, list[str]]) -> re.Pattern[str]:
    """ "in/for <phrase>" up to punctuation or a clause that is not population."""
    not_first = _alternation(population["not_first"])
    stop = _alternation(population["stop"])
    return re.compile(
        rf"\b(?:{POPULATION_OPENERS})\s+(?!(?:{not_first})\b)"
        rf"(?P<population>(?:(?!\b(?:{stop})\b)[^,;:.()])+)"
    )


@cache
def criteria_rules() -> CriteriaRules:
    """The criterion rules of ``criteria.yaml``, slots filled and compiled once."""
    data = load_data_file("criteria.yaml")
    operators = {str(k): str(v) for k, v in data["operators"].items()}
    parts = {"operator": operator_pattern(operators), "number": NUMBER,
             **{str(k): str(v) for k, v in data.get("parts", {}).items()}}
    numeric = tuple(
        NumericRule(str(rule["variable"]), re.compile(fill_slots(rule["pattern"], parts),
                                                      re.IGNORECASE),
                    str(rule.get("unit", "")), str(rule.get("default_op", "")),
                    float(rule.get("scale", 1.0)))
        for rule in data.get("numeric", []))
    graded = tuple(
        GradedRule(str(rule["variable"]), re.compile(fill_slots(rule["pattern"], parts)),
                   re.compile(rule["level"]))
        for rule in data.get("graded", []))
    qualitative = tuple(
        QualitativeRule(str(rule["variable"]), str(rule["op"]),
                        re.compile(fill_slots(rule["pattern"], parts), re.IGNORECASE))
        for rule in data.get("qualitative", []))
    population = data["population"]
    nouns = re.compile(rf"\b(?:{_alternation(population['nouns'])})\b")
    return CriteriaRules(operators, numeric, graded, qualitative, nouns,
                         _population_pattern(population), _free_rule(data.get("free")),
                         re.compile(_alternation(population.get("people", ["(?!)"])),
                                    re.IGNORECASE))


def _free_rule(data: Mapping[str, Any] | None) -> FreeRule | None:
    """The ``free`` section of criteria.yaml compiled, or None when the file has none."""
    if not data:
        return None
    phrases = {str(p): str(p) for p in data["operators"]}
    units = _alternation([str(u) for u in data.get("units", [])])
    threshold = re.compile(rf"{operator_pattern(phrases)}\s*{NUMBER}"
                           rf"(?:\s*(?P<unit>(?:{units}))(?![\w/]))?", re.IGNORECASE)
    words = {key: frozenset(str(w).lower() for w in data.get(key, []))
             for key in ("skip", "stop", "not_variables")}
    return FreeRule(threshold, int(data.get("max_words", 4)), words["skip"], words["stop"],
                    words["not_variables"])


@cache
def setting_rules() -> tuple[SettingRule, ...]:
    """The setting rules of ``clinical_settings.yaml``, compiled once."""
    return tuple(
        SettingRule(re.compile(rule["pattern"], re.IGNORECASE), str(rule["value"]),
                    {str(group): {str(k).lower(): str(v) for k, v in table.items()}
                     for group, table in rule.get("aliases", {}).items()})
        for rule in load_data_file("clinical_settings.yaml")["settings"])


def _value(text: str) -> float:
    return float(text.replace(",", "."))


def find_numeric_criteria(text: str) -> list[Found]:
    """Given a clean sentence, return its measured criteria (<variable> < 10, ...)."""
    rules = criteria_rules()
    found: list[Found] = []
    for rule in rules.numeric:
        for match in rule.pattern.finditer(text):
            printed = (match.groupdict().get("op") or "").lower()
            op = rules.operators.get(printed, rule.default_op or "=")
            value = round(_value(match.group("value")) * rule.scale, 4)
            found.append(Found(rule.variable, op, value, rule.unit, match.group(0).strip(),
                               match.start(), match.end()))
    return found


def find_grade_criteria(text: str) -> list[Found]:
    """Levels of a scale: "G1 or G2" -> <= 2 (contiguous from 1), "grade 3" -> = 3."""
    found: list[Found] = []
    for rule in criteria_rules().graded:
        for match in rule.pattern.finditer(text):
            grades = sorted({int(g) for g in rule.level.findall(match.group(0))})
            contiguous = grades == list(range(1, grades[-1] + 1))
            op, value = ("<=", grades[-1]) if len(grades) > 1 and contiguous else ("=", grades[0])
            found.append(Found(rule.variable, op, float(value), "", match.group(0),
                               match.start(), match.end()))
    return found


def find_qualitative_criteria(text: str) -> list[Found]:
    """Conditions without a number: "absence of <finding>" -> absent, ..."""
    found: list[Found] = []
    for rule in criteria_rules().qualitative:
        for match in rule.pattern.finditer(text):
            found.append(Found(rule.variable, rule.op, None, "", match.group(0), match.start(),
                               match.end()))
    return found


WORD = re.compile(r"\S+")
PUNCTUATION = ",;:()[]"


def _variable_words(before: str, rule: FreeRule) -> tuple[str, int]:
    """The variable phrase that ends right before a threshold, and where it starts."""
    words = list(WORD.finditer(before))
    while words and words[-1].group(0).lower() in rule.skip:
        words.pop()
    kept: list[re.Match[str]] = []
    for word in reversed(words):
        text = word.group(0)
        if (len(kept) == rule.max_words or text.lower() in rule.stop
                or text[-1] in PUNCTUATION or not any(c.isalnum() for c in text)):
            break
        kept.insert(0, word)
        if text[0] in PUNCTUATION:
            break
    if not kept:
        return "", len(before)
    phrase = before[kept[0].start():kept[-1].end()].strip(PUNCTUATION)
    return phrase, kept[0].start()


def variable_name(phrase: str) -> str:
    """"eGFR" -> "egfr", "serum PG I/II ratio" -> "serum_pg_i_ii_ratio"."""
    return re.sub(r"[^0-9a-z]+", "_", phrase.lower()).strip("_")


def find_free_criteria(text: str) -> list[Found]:
    """Printed thresholds no named rule reads: "<variable phrase> <op> <number> [unit]",
    the variable named from the sentence's own words ("eGFR < 30" -> egfr < 30)."""
    rules = criteria_rules()
    rule = rules.free
    if rule is None:
        return []
    found: list[Found] = []
    for match in rule.threshold.finditer(text):
        phrase, start = _variable_words(text[:match.start()], rule)
        variable = variable_name(phrase)
        if not variable or phrase.lower() in rule.not_variables:
            continue
        op = rules.operators.get(match.group("op").lower(), "=")
        found.append(Found(variable, op, _value(match.group("value")), match.group("unit") or "",
                           text[start:match.end()].strip(), start, match.end()))
    return found


def find_criteria(text: str) -> list[Found]:
    """All criteria of a sentence in reading order; overlapping finds keep the first rule's,
    and a free threshold counts only where no named rule read one."""
    ordered = sorted(
        find_numeric_criteria(text) + find_grade_criteria(text) + find_qualitative_criteria(text),
        key=lambda f: (f.start, -(f.end - f.start)),
    )
    kept: list[Found] = []
    for candidate in [*ordered, *find_free_criteria(text)]:
        if all(candidate.start >= k.end or candidate.end <= k.start for k in kept):
            kept.append(candidate)
    return sorted(kept, key=lambda f: (f.start, f.end))


def find_population(text: str, after: int = 0) -> str:
    """The condition phrase a statement applies to ("patients with <condition> who ...").

    The first "in/for ..." phrase naming one of criteria.yaml's population nouns after
    the trigger (at char ``after``) wins; else the first one before it.
    """
    rules = criteria_rules()
    for part in (text[after:], text[:after]):
        for match in rules.population.finditer(part):
            if rules.population_nouns.search(match.group("population")):
                return " ".join(match.group("population").split()).strip(" -")
    return ""


def people_nouns() -> re.Pattern[str]:
    """criteria.yaml's words for people a statement is for, as one pattern over a word."""
    return criteria_rules().people


def find_setting(text: str) -> str:
    """The first clinical setting named ("second-line"), from the setting rules, or ""."""
    for rule in setting_rules():
        match = rule.pattern.search(text)
        if match:
            groups = {name: rule.aliases.get(name, {}).get(printed.lower(), printed.lower())
                      for name, printed in match.groupdict().items() if printed is not None}
            return rule.value.format(**groups)
    return ""
