"""Closed vocabularies of the dataset, as enums so a typo is a validation error."""

from enum import StrEnum


class Severity(StrEnum):
    """How bad a data problem is: errors keep a record out of the release, warnings flag it."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Direction(StrEnum):
    """What a guideline statement says about an intervention."""

    RECOMMENDED = "recommended"
    NOT_RECOMMENDED = "not_recommended"
    CONSIDER = "consider"
    INDICATED = "indicated"
    CONTRAINDICATED = "contraindicated"
    INSUFFICIENT_EVIDENCE = "insufficient_evidence"
    RESEARCH_NEEDED = "research_needed"


class ValueKind(StrEnum):
    """The shape of a printed value, so '<1', '5-36' and 'NR' survive as what they are."""

    NUMBER = "number"
    RANGE = "range"
    LESS_THAN = "less_than"
    GREATER_THAN = "greater_than"
    NOT_REPORTED = "not_reported"
    EMPTY = "empty"
    TEXT = "text"


class Statistic(StrEnum):
    """The summary statistic a value reports (median unless the paper says otherwise)."""

    UNSPECIFIED = ""
    MEAN = "mean"
    MEDIAN = "median"
    RATE = "rate"
    COUNT = "count"
