"""Per-paper progress events, sent through the standard logging module.

The flow emits one event per stage of each paper on the ``litcurate.progress``
logger; the CLI turns them into a live display, and anything else (Prefect's UI,
a log file, tests) can listen the same way. No shared state between them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

PROGRESS_LOGGER = "litcurate.progress"
STAGES = ("fingerprint", "read", "tables", "outcomes", "statements", "validate")
# A paper the command read ahead of the flow is extracted; the flow records it next
# (``done``), a few seconds later on a cold start.
EXTRACTED = "extracted"

_logger = logging.getLogger(PROGRESS_LOGGER)


@dataclass(frozen=True)
class ProgressEvent:
    """A paper reached a stage (``done`` / ``failed`` end it)."""

    paper: str
    stage: str
    detail: str = ""


def emit(paper: str, stage: str, detail: str = "") -> None:
    """Announce that ``paper`` entered ``stage``."""
    _logger.info("%s: %s %s", paper, stage, detail, extra={"event": ProgressEvent(paper, stage,
                                                                                     detail)})
