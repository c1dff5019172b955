"""Every stable record id of a release, built in one place.

Ids are the dataset's join keys across releases: corrections name records by them,
diffs line rows up by them, and apps pin them. They derive only from what the paper
says (its DOI or file name, a table's label, a study's label, an arm, a measure, a
sentence), never from run order, so re-extracting a paper gives the same ids. Keeping
the recipes together makes a change to any of them one visible diff.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

STATEMENT_DIGEST = 10  # hex digits of a statement's sentence hash
CORRECTION_DIGEST = 12  # hex digits of a correction's content hash


def slugify(text: str) -> str:
    """Lowercase ASCII slug with '-' separators: stable, file-name and URL safe."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def paper_id(doi: str, file_name: str) -> str:
    """The DOI with '/' made safe (stable across renamed files), else the file name's slug."""
    if doi:
        return re.sub(r"[^a-z0-9.\-]+", "_", doi.lower())
    stem = file_name.rsplit(".", 1)[0]
    return slugify(stem) or "paper"


def table_id(paper: str, label: str) -> str:
    """Paper id + label slug, e.g. '10.3390_jcm8111907:table-1'."""
    return f"{paper}:{slugify(label)}"


def study_key(author: str, year: int | None, suffix: str, row: int) -> str:
    """A study's part of an id: 'ho-2007a', or the row when the label names no study."""
    return slugify(f"{author} {year or ''}{suffix}") or f"row-{row}"


def outcome_id(table: str, study: str, arm: str, measure: str, col: int | None = None) -> str:
    """Table, study, arm ('all' when pooled) and measure; the column when a row is a measure."""
    base = f"{table}:{study}:{slugify(arm) or 'all'}:{measure}"
    return base if col is None else f"{base}:c{col}"


def repeated_id(record: str, row: int, col: int) -> str:
    """A second record that would take an id already given: told apart by its cell."""
    return f"{record}:r{row}:c{col}"


def characteristic_id(table: str, study: str, column: str) -> str:
    """Table, study (or row label) and the column's slug."""
    return f"{table}:{study}:t:{column}"


def population_id(table: str, study: str, subgroup: str) -> str:
    """Table, study and the subgroup's slug path ('sex-female')."""
    return f"{table}:{study}:{subgroup}"


def statement_id(paper: str, text: str) -> str:
    """Paper + a hash of the sentence (case and spacing folded), so re-extraction keeps it."""
    normalised = " ".join(text.lower().split())
    digest = hashlib.sha1(normalised.encode("utf-8")).hexdigest()[:STATEMENT_DIGEST]
    return f"{paper}:s:{digest}"


def criterion_id(statement: str, index: int) -> str:
    """The statement id + the criterion's 1-based position in the sentence."""
    return f"{statement}:c:{index}"


def reference_id(paper: str, number: int) -> str:
    """Paper + the bibliography entry's printed number."""
    return f"{paper}:ref:{number}"


def row_label_id(table: str, label: str) -> str:
    """A table row by its label, for issues about a whole row."""
    return f"{table}:{slugify(label)}"


def correction_id(paper: str, *parts: str) -> str:
    """Paper + a hash of everything the correction says, so two corrections never collide."""
    digest = hashlib.sha256("|".join((paper, *parts)).encode()).hexdigest()[:CORRECTION_DIGEST]
    return f"{paper}:correction:{digest}"


def repeated_correction_id(correction: str, occurrence: int) -> str:
    """The second and later of identical corrections in one paper's file: ':2', ':3', ..."""
    return f"{correction}:{occurrence}"


def key_id(values: list[str]) -> str:
    """A release row's id from its primary-key values, as corrections and diffs name it."""
    return " | ".join(values)
