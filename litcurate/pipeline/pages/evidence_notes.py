"""What the extractor read in each table cell, in words, for the review page's tooltips.

A curator checking a grid against its PDF crop also needs to see how each number was
typed ("mean 29.4, SD 5.4", "count 62 (62%)", "OR 1.84, 95% CI 1.43–2.36, P < 0.001"),
so a mis-typed value is caught where it sits. Old releases without typed fields show
their value only.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from litcurate.pipeline.release.files import read_csv_rows

INTERVAL_WORDS = {"ci95": "95% CI", "ci90": "90% CI", "ci": "CI", "iqr": "IQR",
                  "range": "range"}
RATIO_WORDS = {"or": "OR", "rr": "RR", "hr": "HR", "md": "MD", "smd": "SMD", "rd": "RD",
               "i2": "I²", "p_value": "P"}


def describe(record: dict[str, str]) -> str:
    """One record as a short phrase: statistic, numbers, group and measure."""
    statistic = record.get("statistic", "") or "value"
    parts = [RATIO_WORDS.get(statistic, statistic.replace("_", " "))]
    value = record.get("value", "")
    if statistic == "p_value":
        value = f"{record.get('p_op', '') or '='} {value}".strip()
    if value:
        parts[0] += f" {value}"
    if record.get("total"):
        parts[0] += f"/{record['total']}"
    if record.get("percent"):
        parts[0] += f" ({record['percent']}%)"
    for field, word in (("sd", "SD"), ("se", "SE")):
        if record.get(field):
            parts.append(f"{word} {record[field]}")
    if record.get("low") and record.get("high"):
        word = INTERVAL_WORDS.get(record.get("interval", ""), "")
        parts.append(f"{word} {record['low']}–{record['high']}".strip())
    if record.get("p") and statistic != "p_value":
        parts.append(f"P {record.get('p_op', '') or '='} {record['p']}")
    words = [w for w in (record.get("group", record.get("arm", "")),
                         record.get("measure", "")) if w]
    return ", ".join(parts) + (f" · {' · '.join(words)}" if words else "")


def cell_readings(release: Path, paper_id: str) -> dict[tuple[str, int, int], list[str]]:
    """(table id, row, col) -> what each of the cell's records says, in words, with the
    record's id (what ``litcurate correct --id`` takes)."""
    readings: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    path = release / "outcomes.csv"
    if not path.is_file():
        return readings
    _, records = read_csv_rows(path)
    for record in records:
        if record.get("paper_id") == paper_id:
            key = (record["table_id"], int(record["row"]), int(record["col"]))
            readings[key].append(f"{describe(record)} [{record['outcome_id']}]")
    return readings
