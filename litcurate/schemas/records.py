"""Record models of a release: one class per published resource.

Every extracted value carries its provenance (paper, page, bounding box or
character span) so a reviewer can go from any row back to the place in the PDF.
Lists are tuples so records are hashable and frozen; they travel through CSV and
Parquet as ``;``-joined strings (see ``resources``).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from litcurate.schemas.enums import (
    Direction,
    Interval,
    PoolingModel,
    Severity,
    Statistic,
    ValueKind,
)

Coordinate = Annotated[float, Field(ge=-1.0)]
PageNumber = Annotated[int, Field(ge=1)]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class Record(BaseModel):
    """Base of all published records: immutable, and unknown fields are an error."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class BBox(Record):
    """A box on a page in PDF points, origin top-left (pdfplumber's convention)."""

    x0: Coordinate
    top: Coordinate
    x1: Coordinate
    bottom: Coordinate

    @model_validator(mode="after")
    def _ordered(self) -> BBox:
        if self.x1 < self.x0 or self.bottom < self.top:
            raise ValueError(f"box corners out of order: {self}")
        return self

    def union(self, other: BBox) -> BBox:
        """The smallest box holding both, for cells assembled from several words."""
        return BBox(
            x0=min(self.x0, other.x0),
            top=min(self.top, other.top),
            x1=max(self.x1, other.x1),
            bottom=max(self.bottom, other.bottom),
        )


class Located(Record):
    """A value found at a place on one page; the four coordinates are published flat."""

    page: PageNumber
    x0: Coordinate
    top: Coordinate
    x1: Coordinate
    bottom: Coordinate

    @property
    def bbox(self) -> BBox:
        return BBox(x0=self.x0, top=self.top, x1=self.x1, bottom=self.bottom)


class Paper(Record):
    """One input PDF: what it is, where it came from, and which extractor read it."""

    paper_id: str = Field(min_length=1)
    title: str = ""
    doi: str = ""
    year: int | None = None
    file_name: str
    sha256: Sha256
    pages: int = Field(ge=0)
    extractor_version: str
    citation: str = ""
    licence: str = ""
    source_url: str = ""
    pulled_at: str = ""  # when the PDF was downloaded from source_url (ISO date)


class Table(Located):
    """A table found in a paper; ``page`` and the box are where it starts."""

    table_id: str
    paper_id: str
    label: str
    caption: str = ""
    footnotes: str = ""
    pages: tuple[int, ...]
    n_rows: int = Field(ge=0)
    n_cols: int = Field(ge=0)
    n_header_rows: int = Field(ge=0)


class Cell(Located):
    """One grid cell. Empty text means an empty cell; a printed '-' stays '-'."""

    table_id: str
    row: int = Field(ge=0)
    col: int = Field(ge=0)
    row_span: int = Field(default=1, ge=1)
    col_span: int = Field(default=1, ge=1)
    is_header: bool = False
    header_path: str = ""
    text: str = ""
    marks: tuple[str, ...] = ()


class Outcome(Located):
    """One number-bearing fact of a table cell, typed: what it is, of whom, about what.

    ``statistic`` says what ``value`` is (``Statistic``); ``low``/``high`` are its bounds
    and ``interval`` what they are; ``total`` is the N of "n/N"; ``sd``/``se`` the spread
    of a mean; ``percent`` the percentage printed beside a count; ``p``/``p_op`` a P value
    printed with the fact. ``measure`` is what is measured in the paper's own words
    (header or row label without statistic and unit tokens); ``measure_id`` a vocabulary
    id only when one matches. ``group`` is the arm or comparison group; ``row_label`` and
    ``row_path`` the row and the subgroup blocks above it. ``pooled`` marks an Overall /
    Total row of pooled or summed results.
    """

    outcome_id: str
    paper_id: str
    table_id: str
    study_label: str = ""
    author: str = ""
    year: int | None = None
    reference_number: int | None = None  # the study's entry in the review's bibliography
    reference: str = ""
    n: int | None = None
    intervention: str = ""
    intervention_raw: str = ""
    group: str = ""
    measure: str = ""
    measure_id: str = ""
    header: str = ""
    row_label: str = ""
    row_path: tuple[str, ...] = ()
    statistic: Statistic = Statistic.UNSPECIFIED
    value: float | None = None
    low: float | None = None
    high: float | None = None
    interval: Interval = Interval.NONE
    total: float | None = None
    sd: float | None = None
    se: float | None = None
    percent: float | None = None
    p: float | None = None
    p_op: str = Field(default="", pattern=r"^(|<|<=|=|>|>=)$")
    model: PoolingModel = PoolingModel.NONE
    pooled: bool = False
    kind: ValueKind
    unit: str = ""
    raw_text: str = ""
    row: int = Field(ge=0)
    col: int = Field(ge=0)
    flags: tuple[str, ...] = ()


class Characteristic(Located):
    """A text cell of a studies-as-rows table (country, design, method, setting), kept as
    printed so every body cell of a table is accounted for."""

    characteristic_id: str
    paper_id: str
    table_id: str
    study_label: str = ""
    row_label: str = ""
    column: str
    text: str
    row: int = Field(ge=0)
    col: int = Field(ge=0)


class Population(Located):
    """A subgroup count of a study's population (e.g. sex: F 57, or a type or site: 14)."""

    population_id: str
    paper_id: str
    table_id: str
    study_label: str
    subgroup: str
    n: int | None = None
    raw_text: str = ""
    row: int = Field(ge=0)
    col: int = Field(ge=0)


class Statement(Located):
    """A guideline or author statement about an intervention, with the span it came from.

    ``intervention`` is what the sentence is about in the paper's own words (its
    abbreviations expanded); ``intervention_id`` is a vocabulary id only when one
    matches. ``strength`` is the grade or strength printed with it ("Grade A", "strong
    recommendation", "1B"), or "". ``setting`` is the clinical setting or line the
    statement applies to ("first-line", "second-line", ...), from
    clinical_settings.yaml, or "".
    """

    statement_id: str
    paper_id: str
    text: str
    section: str = ""
    bodies: tuple[str, ...] = ()
    intervention: str = ""
    intervention_id: str = ""
    direction: Direction
    strength: str = ""
    population: str = ""
    setting: str = ""
    citations: tuple[int, ...] = ()
    char_start: int = Field(ge=0)
    char_end: int = Field(ge=0)

    @model_validator(mode="after")
    def _span(self) -> Statement:
        if self.char_end < self.char_start:
            raise ValueError("char_end before char_start")
        return self


class Criterion(Record):
    """A machine-readable condition of a statement, e.g. age >= 65 (criteria.yaml's rules)."""

    criterion_id: str
    statement_id: str
    variable: str
    op: str = Field(pattern=r"^(<|<=|>|>=|=|!=|present|absent)$")
    value: float | None = None
    unit: str = ""
    raw: str


class GlossaryEntry(Record):
    """An abbreviation the paper defines, in a table legend or in its prose."""

    paper_id: str
    abbreviation: str = Field(min_length=1)
    expansion: str = Field(min_length=1)
    source: str
    page: int | None = None


class Issue(Record):
    """A data problem found on the way: kept as data, never raised, never dropped."""

    record_id: str
    paper_id: str = ""
    severity: Severity
    rule: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    message: str
    page: int | None = None

    @field_validator("message")
    @classmethod
    def _one_line(cls, message: str) -> str:
        return " ".join(message.split())


class Reference(Located):
    """A numbered entry of a paper's bibliography, which statements and studies cite."""

    reference_id: str
    paper_id: str
    number: int = Field(ge=0)
    text: str


class Correction(Record):
    """A curator's fix applied on top of the extraction; kept in the release for audit.

    ``status`` is ``applied`` or ``stale`` (its target is gone, or no longer holds the
    value the curator corrected): a stale correction is listed, never silently applied.
    """

    correction_id: str
    paper_id: str
    resource: str
    target: str
    field: str = ""
    action: str = Field(pattern=r"^(set|exclude|add)$")
    old_value: str = ""
    value: str = ""
    status: str = Field(default="applied", pattern=r"^(applied|stale)$")
    author: str = ""
    reason: str = ""
    date: str = ""
