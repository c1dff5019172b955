"""The dataset contract: record models, enums, vocabularies and the release loader.

Only pydantic, pandas and pyarrow are needed here, so a decision engine can load a
release without installing the extraction pipeline.
"""

from litcurate.schemas.enums import (
    Direction,
    Interval,
    PoolingModel,
    Severity,
    Statistic,
    ValueKind,
)
from litcurate.schemas.records import (
    BBox,
    Cell,
    Characteristic,
    Correction,
    Criterion,
    GlossaryEntry,
    Issue,
    Outcome,
    Paper,
    Population,
    Reference,
    Statement,
    Table,
)

__all__ = [
    "BBox",
    "Cell",
    "Characteristic",
    "Correction",
    "Criterion",
    "Direction",
    "GlossaryEntry",
    "Interval",
    "Issue",
    "Outcome",
    "Paper",
    "PoolingModel",
    "Population",
    "Reference",
    "Severity",
    "Statement",
    "Statistic",
    "Table",
    "ValueKind",
]
