"""Printed cell text -> the numbers it holds and how they are arranged, before any meaning.

A cell line is reduced to a *shape*: every number becomes ``#`` and the punctuation
around it stays ("22/65" -> ``#/#``, "1.84 (1.43–2.36)" -> ``#(#-#)``, "54.6 ± 8.5" ->
``#±#``). The shape decides which number is the centre, which are the bounds, the total
or the bracketed number; what they *are* (a mean and its SD, a count and its percent)
is decided later from the header, the legend and the tokens in the cell
(``fact_types``). Keeping the two apart is what lets one grammar serve every field.

Numbers are read as printed: typographic minus signs and dashes, thousands separators
("1,600"), decimal commas ("22,5"), a trailing P ("/<0.001", "; P = 0.03") and a leading
label ("HR 2.05 (...)", "Arm A 76") are all understood; anything else is ``unread`` and
becomes an issue naming the cell, never a silent guess.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cache

from litcurate.extractors.knowledge import load_data_file

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212\u2015"
_NUMBER = re.compile(r"\d+(?:,\d{3})+(?![\d,])(?:\.\d+)?|\d+(?:[.,]\d+)?|\.\d+")
_OPS = {"<": "<", ">": ">", "≤": "<=", "≥": ">=", "<=": "<=", ">=": ">=", "=": "=",
        "=<": "<=", "=>": ">="}
_P_SUFFIX = re.compile(
    r"(?P<sep>\s*[/;,]\s*|\s+)(?:p\s*(?:-?value)?\s*)?(?P<op><=|>=|=<|=>|[<>≤≥=])?\s*"
    r"(?P<p>\d*\.\d+|0|1)\s*$", re.IGNORECASE)
_LABEL = re.compile(r"^(?P<label>[A-Za-z][A-Za-z0-9+'’\-/ .]*?)\s*[:=]?\s+(?=[<>≤≥(\[]?\s*[-\d.])")
_STARS = re.compile(r"(?:[*★☆] ?){1,9}")
_LABELLED_PARTS = re.compile(r"\s*[,;]\s+(?=[A-Za-z])")


@dataclass(frozen=True)
class Reading:
    """The numbers of one printed value, by position; ``shape`` says how they were set.

    ``value``: the centre; ``low``/``high``: a bracketed or dashed pair; ``total``: the N
    of "n/N"; ``bracketed``: a single bracketed number after the centre ("(8.5)", "(62%)")
    and ``bracketed_percent`` whether a % sign was printed in it; ``plus_minus``: the
    number after "±"; ``op``: a bound ("<1"); ``percent_sign``: a % printed after the
    centre; ``label``: words printed before the number ("HR", "Arm A").
    """

    shape: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    total: float | None = None
    bracketed: float | None = None
    bracketed_percent: bool = False
    plus_minus: float | None = None
    op: str = ""
    percent_sign: bool = False
    p: float | None = None
    p_op: str = ""
    label: str = ""
    not_reported: bool = False
    reference: bool = False
    stars: bool = False
    unread: bool = False


@cache
def _not_reported() -> frozenset[str]:
    words = load_data_file("statistics.yaml")["not_reported"]
    return frozenset(str(w).lower() for w in words)


def normalise_dashes(text: str) -> str:
    """Typographic dashes and minus signs -> '-', so '5–36' reads like '5-36'."""
    for dash in DASHES:
        text = text.replace(dash, "-")
    return text


def is_not_reported(text: str) -> bool:
    """True for a cell that says "not reported" ("NR", "n.a.", "–", "/")."""
    return " ".join(text.split()).lower() in _not_reported()


def to_number(text: str) -> float:
    """'1,600' -> 1600, '22,5' -> 22.5, '.05' -> 0.05 (thousands: a comma before 3 digits)."""
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", text):
        return float(text.replace(",", ""))
    return float(text.replace(",", "."))


def _tokens(text: str) -> tuple[str, list[float]]:
    """The text's shape (numbers as '#', spaces dropped) and its numbers with their signs.

    A '-' is a minus sign when it starts the text or follows an opening bracket, a
    separator or a space and is glued to the digits after it; between two numbers
    without spaces ("1.43-2.36") it is a dash.
    """
    shape: list[str] = []
    numbers: list[float] = []
    position = 0
    for match in _NUMBER.finditer(text):
        between = text[position:match.start()]
        number = to_number(match.group())
        if between.endswith("-") and _is_sign(text, match.start() - 1):
            between = between[:-1]
            number = -number
        shape.append(between)
        shape.append("#")
        numbers.append(number)
        position = match.end()
    shape.append(text[position:])
    return "".join("".join(shape).split()), numbers


def _is_sign(text: str, dash: int) -> bool:
    before = text[:dash].rstrip()
    if not before:
        return True
    if text[dash - 1:dash].isspace():
        return True  # "5 -3" reads as two numbers, "-3" signed; "5 - 3" never reaches here
    return before[-1] in "([,;/±=:<>≤≥-" or before.endswith("to")


def _split_p(text: str) -> tuple[str, float | None, str]:
    """'2.05 (1.51-2.77)/<0.001' -> ('2.05 (1.51-2.77)', 0.001, '<'): a P printed after a
    bracketed estimate (or after 'P' / 'p ='); a plain second number is not a P."""
    match = _P_SUFFIX.search(text)
    if match is None:
        return text, None, ""
    head = text[:match.start()].rstrip()
    said_p = re.search(r"p\s*(?:-?value)?\s*(?:<=|>=|[<>≤≥=])?\s*[\d.]+\s*$", text[match.start():],
                       re.IGNORECASE) is not None
    if not head or not (said_p or head.endswith((")", "]"))) or (match["sep"].isspace() \
            and not said_p):
        return text, None, ""
    op = _OPS.get(match["op"] or "=", "=")
    return head, float(match["p"]), op


_SHAPES: dict[str, tuple[str, ...]] = {
    "#": ("value",),
    "(#)": ("value",),
    "[#]": ("value",),
    "#%": ("value",),
    "#/#": ("value", "total"),
    "#/#(#)": ("value", "total", "bracketed"),
    "#/#(#%)": ("value", "total", "bracketed"),
    "#/#[#]": ("value", "total", "bracketed"),
    "#±#": ("value", "plus_minus"),
    "#±NA": ("value",),
    "#±NR": ("value",),
    "#±-": ("value",),
    "#%±#": ("value", "plus_minus"),
    "#±#%": ("value", "plus_minus"),
    "#+/-#": ("value", "plus_minus"),
    "#(#)": ("value", "bracketed"),
    "#(#),#": ("value", "bracketed", "total"),  # "mean (SD), n"
    "#[#]": ("value", "bracketed"),
    "#(#%)": ("value", "bracketed"),
    "#[#%]": ("value", "bracketed"),
    "#%(#)": ("value", "bracketed"),
    "#(#-#)": ("value", "low", "high"),
    "#,(#-#)": ("value", "low", "high"),
    "#;(#-#)": ("value", "low", "high"),
    "#(#to#)": ("value", "low", "high"),
    "#(#,#)": ("value", "low", "high"),
    "#(#;#)": ("value", "low", "high"),
    "#[#-#]": ("value", "low", "high"),
    "#[#to#]": ("value", "low", "high"),
    "#[#,#]": ("value", "low", "high"),
    "#[#;#]": ("value", "low", "high"),
    "#(#%-#%)": ("value", "low", "high"),
    "#%(#-#)": ("value", "low", "high"),
    "#%(#%-#%)": ("value", "low", "high"),
    "#%[#-#]": ("value", "low", "high"),
    "#(#-#%)": ("value", "low", "high"),
    "#-#": ("low", "high"),
    "#to#": ("low", "high"),
    "#%-#%": ("low", "high"),
    "#-#%": ("low", "high"),
    "#±#(#-#)": ("value", "plus_minus", "low", "high"),
    "#(#)(#-#)": ("value", "bracketed", "low", "high"),
    "#(#)[#-#]": ("value", "bracketed", "low", "high"),
    "#±#[#-#]": ("value", "plus_minus", "low", "high"),
}
_OP_SHAPE = re.compile(r"^(<=|>=|=<|=>|[<>≤≥=])(#%?)$")
_P_PREFIX = re.compile(r"^[pP]\s*(?:-?\s*value)?\s*(?=[<>≤≥=])")
_REFERENCE = re.compile(r"^(?:#)?[(\[]?(?:ref|ref\.|reference|referent|reference category)[)\]]?$",
                        re.IGNORECASE)


def read_value(raw: str) -> Reading:
    """Given one printed value (one line of a cell, marks already removed), its reading."""
    text = " ".join(unicodedata.normalize("NFKC", raw).split())
    if not text:
        return Reading(shape="")
    if is_not_reported(text):
        return Reading(shape="NR", not_reported=True)
    if _STARS.fullmatch(text):  # a star rating ("***" of a quality scale) counts its stars
        return Reading(shape="stars", value=float(len(text.replace(" ", ""))), stars=True)
    text = _P_PREFIX.sub("", normalise_dashes(text))
    label = ""
    if (found := _LABEL.match(text)) and not re.fullmatch(r"[pP]", found["label"].strip()):
        label, text = found["label"].strip(), text[found.end():]
    head, p, p_op = _split_p(text)
    shape, numbers = _tokens(head)
    reading = _by_shape(shape, numbers)
    if reading is None and p is not None:  # the "P" was part of the value after all
        shape, numbers = _tokens(text)
        reading, p, p_op = _by_shape(shape, numbers), None, ""
    if reading is None and _REFERENCE.match(shape):  # "1.00 (reference)", "Ref"
        return Reading(shape=shape, value=numbers[0] if numbers else None, label=label,
                       reference=True)
    if reading is None:
        return Reading(shape=shape, label=label, unread=True)
    return replace(reading, label=label, p=p, p_op=p_op)


def _by_shape(shape: str, numbers: list[float]) -> Reading | None:
    if match := _OP_SHAPE.match(shape):
        return Reading(shape=shape, value=numbers[0], op=_OPS[match.group(1)],
                       percent_sign=shape.endswith("%"))
    slots = _SHAPES.get(shape)
    if slots is None or len(slots) != len(numbers):
        return None
    fields = dict(zip(slots, numbers, strict=True))
    first_bracket = shape.find("(") if "(" in shape else shape.find("[")
    centre = shape[:first_bracket] if first_bracket > 0 else shape.split("-", maxsplit=1)[0]
    bracket = shape[first_bracket:] if first_bracket > 0 else ""
    reading = Reading(shape=shape, **fields,  # type: ignore[arg-type]
                      percent_sign="%" in centre,
                      bracketed_percent="bracketed" in fields and "%" in bracket)
    low, high = reading.low, reading.high
    if "value" not in fields and low is not None and high is not None and low > high >= 0 > -low:
        return None  # "5-3" is not a range; a printing slip is reported, not reordered
    return reading


def split_labelled(raw: str) -> list[str]:
    """'CRA (560), Proximal adenomas (254)' -> two values, each with its label; any other
    text stays one value."""
    parts = _LABELLED_PARTS.split(raw.strip())
    if len(parts) < 2:
        return [raw]
    if all(_LABEL.match(normalise_dashes(part)) or re.match(r"^[A-Za-z][^(\d]*\(\s*[\d.,]+",
                                                            part) for part in parts):
        return parts
    return [raw]
