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
    """What a published number is, as the paper states it (statistics.yaml holds the words).

    ``unspecified`` when the paper does not say: a statistic is read, never guessed.
    ``events`` is the n of "n/N" (``total`` holds N); ``count`` a number of patients or
    events printed alone or with its percentage; the ratio and difference statistics are
    effect estimates (``low``/``high`` their interval); ``p_value`` a P printed on its own.
    """

    COUNT = "count"
    EVENTS = "events"
    PERCENT = "percent"
    MEAN = "mean"
    MEDIAN = "median"
    RANGE = "range"
    UNSPECIFIED = "unspecified"
    SCORE = "score"
    OR = "or"
    RR = "rr"
    HR = "hr"
    MD = "md"
    SMD = "smd"
    RD = "rd"
    I2 = "i2"
    P_VALUE = "p_value"
    NOT_REPORTED = "not_reported"


class Interval(StrEnum):
    """What a printed pair of bounds is; ``ci`` when the paper names no level, "" unknown."""

    NONE = ""
    CI95 = "ci95"
    CI90 = "ci90"
    CI = "ci"
    RANGE = "range"
    IQR = "iqr"


class PoolingModel(StrEnum):
    """The meta-analytic model a pooled estimate comes from, when the table says."""

    NONE = ""
    FIXED = "fixed"
    RANDOM = "random"
