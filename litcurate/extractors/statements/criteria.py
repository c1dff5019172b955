"""Sentence text -> the conditions a statement sets: criteria, population, line of therapy.

These are patterns over the clean sentence (citation markers removed), kept apart from
the spaCy rules in ``statements`` because they need no NLP: each criterion is a
variable with an operator and a value ("ki-67 < 10%" -> ki67_pct < 10) or a
qualitative condition ("absence of extrahepatic disease" -> extrahepatic_disease
absent), so a decision engine can evaluate it without reading prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NUMBER = r"(?P<value>\d+(?:[.,]\d+)?)"
OPERATOR = (
    r"(?P<op><=|>=|≤|≥|<|>|=|less than|lower than|smaller than|fewer than|below|under|up to"
    r"|at most|no more than|not exceeding|not exceed|more than|greater than|larger than"
    r"|higher than|above|over|exceeding|at least|no less than)"
)
OPERATORS = {
    "<": "<", "less than": "<", "lower than": "<", "smaller than": "<", "fewer than": "<",
    "below": "<", "under": "<", "<=": "<=", "≤": "<=", "up to": "<=", "at most": "<=",
    "no more than": "<=", "not exceeding": "<=", "not exceed": "<=", ">": ">",
    "more than": ">", "greater than": ">", "larger than": ">", "higher than": ">",
    "above": ">", "over": ">", "exceeding": ">", ">=": ">=", "≥": ">=", "at least": ">=",
    "no less than": ">=", "=": "=",
}
TUMOUR = r"tumou?rs?"


@dataclass(frozen=True)
class NumericRule:
    """A measured criterion: variable, pattern with ``op``/``value`` groups, unit, defaults."""

    variable: str
    pattern: re.Pattern[str]
    unit: str
    default_op: str = ""
    scale: float = 1.0


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


def _rule(variable: str, pattern: str, unit: str, default_op: str = "",
          scale: float = 1.0) -> NumericRule:
    return NumericRule(variable, re.compile(pattern, re.IGNORECASE), unit, default_op, scale)


NUMERIC_RULES = (
    _rule("ki67_pct", rf"\bki[- ]?67(?:\s+(?:index|labell?ing index))?\s*(?:of\s+)?{OPERATOR}"
          rf"\s*{NUMBER}\s*%", "%"),
    _rule("hepatic_invasion_pct", rf"\b(?:hepatic|liver)\s+(?:invasion|involvement|"
          rf"{TUMOUR}\s+burden|replacement)\s*(?:of\s+)?\(?{OPERATOR}\s*{NUMBER}\s*%", "%"),
    _rule("hepatic_invasion_pct", rf"\b(?:{TUMOUR}|disease|metastas[ie]s|invasion|involvement)"
          rf"\s+(?:burden\s+)?(?:of\s+)?{OPERATOR}\s*{NUMBER}\s*%\s+of\s+the\s+(?:hepatic|liver)"
          r"\s+(?:volume|parenchyma)", "%"),
    _rule("lesion_size_cm", rf"\b(?:lesions?|metastas[ie]s|{TUMOUR}|nodules?)\b[^.;%]{{0,40}}?"
          rf"{OPERATOR}\s*{NUMBER}\s*cm\b", "cm"),
    _rule("lesion_size_cm", rf"\b(?:lesions?|metastas[ie]s|{TUMOUR}|nodules?)\b[^.;%]{{0,40}}?"
          rf"{OPERATOR}\s*{NUMBER}\s*mm\b", "cm", scale=0.1),
    _rule("stable_disease_months", rf"\b(?:stable|not progressive|no (?:disease )?progression|"
          rf"without progression)\b[^.;]{{0,40}}?\b(?:for|over|during)\s+(?:at least\s+|a\s+"
          rf"(?:period of\s+)?)?{NUMBER}[- ]?months?", "months", ">="),
    _rule("stable_disease_months", rf"\b(?:stable|not progressive|no (?:disease )?progression)"
          rf"\b[^.;]{{0,40}}?\b(?:for|over|during)\s+(?:at least\s+|a\s+)?{NUMBER}[- ]?years?",
          "months", ">=", 12.0),
    _rule("resectable_tumour_pct", rf"(?:{OPERATOR}\s*)?{NUMBER}\s*%\s+of\s+the\s+(?:visible\s+|"
          rf"hepatic\s+)?(?:{TUMOUR}|disease|{TUMOUR}\s+(?:burden|mass)|metastases)\b[^.;]{{0,30}}?"
          r"\b(?:removed|resected|resectable|excised)", "%", ">="),
    _rule("age", rf"\bage[ds]?\s*{OPERATOR}\s*{NUMBER}", "years"),
    _rule("age", rf"\b(?:younger|older)\s+than\s+{NUMBER}", "years"),
)
QUALITATIVE_RULES = (
    ("extrahepatic_disease", "absent", r"\b(?:absence of|no|without)\s+(?:significant\s+)?"
     r"extra-?hepatic\s+(?:disease|metastas[ie]s|spread|tumou?r)"),
    ("extrahepatic_disease", "present", r"\b(?:predominant|significant|presence of)\s+"
     r"extra-?hepatic\s+(?:\w+\s+)?(?:diseases?|metastas[ie]s)"),
    ("primary_tumour_resected", "present", r"\b(?:resection|removal)\s+of\s+the\s+primary"
     r"(?:\s+tumou?r)?|\bprimary\s+tumou?r\s+(?:has been\s+|was\s+|is\s+)?(?:resected|removed)"),
    ("age", "present", r"\byoung(?:er)?\s+(?:age|patients)"),
    ("hypervascular", "present", r"\bhypervasculari[sz]ed\s+\w+|\bhypervascular\s+\w+"),
    ("well_differentiated", "present", r"\bwell[- ]differentiated"),
)
GRADE = re.compile(r"\b(?:G(?P<g>[1-3])(?:\s*(?:,|or|and|/)\s*G[1-3])*|grades?\s+(?P<n>[1-3])"
                   r"(?:\s*(?:,|or|and|/|-|–)\s*[1-3])*)\b")
POPULATION_NOUNS = re.compile(
    r"\b(?:patients?|cases?|NETs?|tumou?rs?|metastas[ie]s|lesions?|diseases?|carcinomas?|"
    r"adults|children|subjects|individuals|people|women|men|LM)\b")
POPULATION_STOP = (r"as an?|to (?:improve|control|prevent|reduce)|according to|with the following"
                   r"|after|because|if|and when|when|by")
POPULATION = re.compile(  # "in/for <phrase>" up to punctuation or a clause that is not population
    rf"\b(?:in|for|among)\s+(?!(?:first|second|third|fourth)\b)"
    rf"(?P<population>(?:(?!\b(?:{POPULATION_STOP})\b)[^,;:.()])+)"
)
LINE_OF_THERAPY = re.compile(
    r"\b(?P<ordinal>first|second|third|fourth|1st|2nd|3rd|4th)(?=(?:\s*-?\s*(?:or\s+)?"
    r"(?:more|later|third|fourth)?\s*-?\s*)line\b|-line\b|[- ]line\b)", re.IGNORECASE)
ORDINALS = {"1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth"}


def _value(text: str) -> float:
    return float(text.replace(",", "."))


def find_numeric_criteria(text: str) -> list[Found]:
    """Given a clean sentence, return its measured criteria (ki67_pct < 10, ...)."""
    found: list[Found] = []
    for rule in NUMERIC_RULES:
        for match in rule.pattern.finditer(text):
            printed = (match.groupdict().get("op") or "").lower()
            op = OPERATORS.get(printed, rule.default_op or "=")
            value = round(_value(match.group("value")) * rule.scale, 4)
            found.append(Found(rule.variable, op, value, rule.unit, match.group(0).strip(),
                               match.start(), match.end()))
    return found


def find_grade_criteria(text: str) -> list[Found]:
    """Tumour grade conditions: "G1 or G2" -> grade <= 2, "grade 3" -> grade = 3."""
    found: list[Found] = []
    for match in GRADE.finditer(text):
        grades = sorted({int(g) for g in re.findall(r"[1-3]", match.group(0))})
        contiguous = grades == list(range(1, grades[-1] + 1))
        op, value = ("<=", grades[-1]) if len(grades) > 1 and contiguous else ("=", grades[0])
        found.append(Found("grade", op, float(value), "", match.group(0), match.start(),
                           match.end()))
    return found


def find_qualitative_criteria(text: str) -> list[Found]:
    """Conditions without a number: "absence of extrahepatic disease" -> absent, ..."""
    found: list[Found] = []
    for variable, op, pattern in QUALITATIVE_RULES:
        for match in re.finditer(pattern, text, re.IGNORECASE):
            found.append(Found(variable, op, None, "", match.group(0), match.start(),
                               match.end()))
    return found


def find_criteria(text: str) -> list[Found]:
    """All criteria of a sentence in reading order; overlapping finds keep the first rule's."""
    ordered = sorted(
        find_numeric_criteria(text) + find_grade_criteria(text) + find_qualitative_criteria(text),
        key=lambda f: (f.start, -(f.end - f.start)),
    )
    kept: list[Found] = []
    for candidate in ordered:
        if all(candidate.start >= k.end or candidate.end <= k.start for k in kept):
            kept.append(candidate)
    return kept


def find_population(text: str, after: int = 0) -> str:
    """The condition phrase a statement applies to ("patients with liver metastases who ...").

    The first "in/for ..." phrase naming patients, tumours or lesions after the trigger
    (at char ``after``) wins; else the first one before it.
    """
    for part in (text[after:], text[:after]):
        for match in POPULATION.finditer(part):
            if POPULATION_NOUNS.search(match.group("population")):
                return " ".join(match.group("population").split()).strip(" -")
    return ""


def find_line_of_therapy(text: str) -> str:
    """The first line of therapy named ("second-line"), or "salvage", or ""."""
    match = LINE_OF_THERAPY.search(text)
    if match:
        ordinal = match.group("ordinal").lower()
        return f"{ORDINALS.get(ordinal, ordinal)}-line"
    return "salvage" if re.search(r"\bsalvage\b", text, re.IGNORECASE) else ""
