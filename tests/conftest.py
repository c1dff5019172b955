"""Shared fixtures: the sample papers and an isolated Prefect/litcurate home per session."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
SAMPLE_PDF = RAW / "dermine2019_review.pdf"
BMC_PDF = RAW / "bmcpublichealth2016_ide_tea_gargling_influenza_meta.pdf"


@pytest.fixture(scope="session", autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Tests never touch the user's ~/.prefect or ~/.cache/litcurate."""
    home = tmp_path_factory.mktemp("litcurate-home")
    os.environ["LITCURATE_HOME"] = str(home)
    os.environ["PREFECT_HOME"] = str(home / "prefect")
    os.environ.pop("PREFECT_API_URL", None)
    from litcurate.pipeline.environment import configure_prefect

    configure_prefect()  # what the CLI does first, for tests that call the flow directly
    return home


@pytest.fixture(scope="session")
def sample_document():  # type: ignore[no-untyped-def]
    from litcurate.extractors.pdf.reader import read_pdf

    return read_pdf(SAMPLE_PDF)


class StageRecorder(logging.Handler):
    """Collects the pipeline's progress events: (paper, stage) pairs in order."""

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.events: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "event", None)
        if event is not None:
            self.events.append((event.paper, event.stage))

    def papers_at(self, stage: str) -> list[str]:
        return sorted(paper for paper, seen in self.events if seen == stage)


@pytest.fixture
def stages() -> Iterator[StageRecorder]:
    """Progress events of whatever runs in the test (worker stages included)."""
    from litcurate.pipeline.progress import PROGRESS_LOGGER

    logger = logging.getLogger(PROGRESS_LOGGER)
    recorder = StageRecorder()
    previous = logger.level
    logger.addHandler(recorder)
    logger.setLevel(logging.INFO)
    try:
        yield recorder
    finally:
        logger.removeHandler(recorder)
        logger.setLevel(previous)
