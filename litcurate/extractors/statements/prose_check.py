"""Does the review's prose agree with its own tables?

Reviews summarise a table column in a sentence: "... 8% to 94% (median: 49%) for
<a measure> ...", or "The <measure A> and <measure B> ... were about 5 to 36
(median: 18.5) months and 16 to 69 (median: 34.5) months, respectively". Each such
range is matched to a measure (by the phrase after it, or by the measures named before
a "respectively" list; phrases from measures.yaml `synonyms` and `prose_synonyms`) and
to a table (the last "Table N" named in the section), then compared with the minimum,
maximum and median of that measure's values in the table. Agreement is reported as
information, each disagreement as a warning, so a curator sees which numbers the paper
cannot back.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from litcurate.extractors.knowledge import load_data_file
from litcurate.extractors.text.layer import Paragraph, TextLayer
from litcurate.schemas import Issue, Outcome
from litcurate.schemas.issue_catalogue import make_issue

NUMBER = r"\d+(?:\.\d+)?"
UNIT = r"(?:\s*(?:%|months?|years?))?"
RANGE = re.compile(
    rf"(?P<low>{NUMBER}){UNIT}\s*(?:to|-|–)\s*(?P<high>{NUMBER}){UNIT}"
    rf"(?:\s*\((?P<stat>median|mean):?\s*(?P<centre>{NUMBER}){UNIT}\))?{UNIT}",
    re.IGNORECASE,
)
TABLE_MENTION = re.compile(r"\bTables?\s+(\d{1,3}[A-Za-z]?)\b")
SENTENCE_END = re.compile(r"(?<=[.;])\s+(?=[A-Z])")
TOLERANCE = 0.05  # printed summaries round; a half-unit difference is agreement


@dataclass(frozen=True)
class Summary:
    """One summarised range in the prose and what it is about."""

    paragraph: Paragraph
    sentence: str
    measure: str
    table_label: str
    low: float
    high: float
    statistic: str  # "median", "mean" or "" when only a range is given
    centre: float | None


def _phrases() -> list[tuple[str, str]]:
    """(phrase, measure) pairs, longest phrase first, from the measure vocabulary."""
    pairs: list[tuple[str, str]] = []
    for measure in load_data_file("measures.yaml")["measures"]:
        names = [*measure.get("synonyms", []), *measure.get("prose_synonyms", [])]
        pairs.extend((name.lower(), measure["id"]) for name in names if len(name) > 3)
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def _measures_in(text: str, phrases: Sequence[tuple[str, str]]) -> list[str]:
    """Measures named in ``text``, in the order they appear, each once."""
    found: list[tuple[int, str]] = []
    lowered = text.lower()
    taken: list[tuple[int, int]] = []
    for phrase, measure in phrases:
        for match in re.finditer(rf"\b{re.escape(phrase)}\b", lowered):
            span = (match.start(), match.end())
            if any(a < span[1] and span[0] < b for a, b in taken):
                continue
            taken.append(span)
            found.append((span[0], measure))
    ordered: list[str] = []
    for _, measure in sorted(found):
        if measure not in ordered:
            ordered.append(measure)
    return ordered


def find_summaries(layer: TextLayer) -> list[Summary]:
    """Ranges in the prose that summarise a measure of a named table."""
    phrases = _phrases()
    summaries: list[Summary] = []
    table_by_section: dict[str, str] = {}
    for paragraph in layer.paragraphs:
        for sentence in SENTENCE_END.split(paragraph.text):
            mentions = TABLE_MENTION.findall(sentence)
            if mentions:
                table_by_section[paragraph.section] = f"Table {mentions[-1]}"
            table = table_by_section.get(paragraph.section)
            if table is None:
                continue
            summaries.extend(_sentence_summaries(paragraph, sentence, table, phrases))
    return summaries


def _sentence_summaries(paragraph: Paragraph, sentence: str, table: str,
                        phrases: Sequence[tuple[str, str]]) -> list[Summary]:
    ranges = [m for m in RANGE.finditer(sentence) if m.group("stat") or "%" in m.group(0)
              or "month" in m.group(0).lower()]
    if not ranges:
        return []
    respectively = "respectively" in sentence.lower()
    before = _measures_in(sentence[:ranges[0].start()], phrases)
    out: list[Summary] = []
    for index, match in enumerate(ranges):
        if respectively and len(before) == len(ranges):
            measure = before[index]
        else:
            end = ranges[index + 1].start() if index + 1 < len(ranges) else len(sentence)
            after = sentence[match.end():min(end, match.end() + 60)]
            named = _measures_in(after, phrases) if after.lstrip().startswith(
                ("for", "of")) else []
            if named:
                measure = named[0]
            elif len(ranges) == 1 and len(before) == 1:
                measure = before[0]
            else:
                continue
        centre = match.group("centre")
        out.append(Summary(paragraph, sentence.strip(), measure, table,
                           float(match.group("low")), float(match.group("high")),
                           (match.group("stat") or "").lower(),
                           float(centre) if centre is not None else None))
    return out


def _agrees(stated: float, computed: float) -> bool:
    return abs(stated - computed) <= TOLERANCE + 1e-9


def check_summaries(summaries: Sequence[Summary], outcomes: Sequence[Outcome],
                    table_ids: dict[str, str], paper_id: str) -> list[Issue]:
    """Each summary compared with the min, max and median (or mean) of its table column."""
    issues: list[Issue] = []
    for summary in summaries:
        table_id = table_ids.get(summary.table_label)
        values = [o.value for o in outcomes if o.table_id == table_id
                  and o.measure_id == summary.measure and o.value is not None]
        if table_id is None or not values:
            continue
        computed = {"min": min(values), "max": max(values)}
        if summary.statistic == "median":
            computed["median"] = statistics.median(values)
        elif summary.statistic == "mean":
            computed["mean"] = statistics.fmean(values)
        stated = {"min": summary.low, "max": summary.high}
        if summary.centre is not None and summary.statistic:
            stated[summary.statistic] = summary.centre
        wrong = [f"{name} {stated[name]:g} vs {computed[name]:g}" for name in stated
                 if not _agrees(stated[name], computed[name])]
        box = summary.paragraph
        where = f"{summary.table_label} {summary.measure} ({len(values)} values)"
        quote = summary.sentence if len(summary.sentence) <= 160 else summary.sentence[:157] + "..."
        # On the table (a published record); the measure is named in the message.
        located: dict[str, Any] = {"record_id": table_id, "paper_id": paper_id,
                                   "page": box.page}
        if wrong:
            issues.append(make_issue("prose-disagrees-with-table", **located, where=where,
                                     differences="; ".join(wrong), quote=quote))
        else:
            issues.append(make_issue("prose-agrees-with-table", **located, where=where,
                                     values=", ".join(f"{k} {v:g}" for k, v in stated.items())))
    return issues
