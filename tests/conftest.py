"""Shared fixtures: the sample papers and an isolated Prefect/litcurate home per session."""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
SAMPLE_PDF = RAW / "dermine2019_review.pdf"
BMC_PDF = RAW / "bmcpublichealth2016_ide_tea_gargling_influenza_meta.pdf"


def processes_of(home: Path) -> list[psutil.Process]:
    """Processes started under this session's litcurate home (never the caller's own)."""
    found = []
    for process in psutil.process_iter():
        try:
            if process.pid != os.getpid() and process.environ().get("LITCURATE_HOME") == str(home):
                found.append(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    return found


def orphans_of(home: Path, grace: float = 10.0) -> list[psutil.Process]:
    """Processes under ``home`` that are not this process's descendants, so nothing here
    will stop them, once they have had ``grace`` seconds to end on their own."""
    mine = {child.pid for child in psutil.Process().children(recursive=True)}
    end = time.monotonic() + grace
    while True:
        orphans = [process for process in processes_of(home) if process.pid not in mine]
        if not orphans or time.monotonic() >= end:
            return orphans
        time.sleep(0.2)


def _describe(process: psutil.Process) -> str:
    try:
        return f"{process.pid} {' '.join(process.cmdline())[:120]}"
    except psutil.Error:
        return str(process.pid)


def _stop_temporary_servers() -> None:
    """Send the runs' last log records, then stop the temporary Prefect API servers this
    process started (records still queued at exit would find no server)."""
    from prefect.logging.handlers import APILogWorker
    from prefect.server.api.server import SubprocessASGIServer

    with contextlib.suppress(Exception):
        APILogWorker.drain_all(timeout=10)
    for server in list(SubprocessASGIServer._instances.values()):
        if server.running:
            with contextlib.suppress(Exception):
                server.stop()


@pytest.fixture(scope="session", autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Tests never touch the user's ~/.prefect or ~/.cache/litcurate, and leave no process.

    What still runs under this session's home at the end is stopped here: this
    process's own children (its temporary Prefect API server stops at exit anyway).
    A process that is not a descendant (an orphan: a killed run's API server, worker
    or watchdog that did not end with it) fails the session, after being stopped.
    """
    home = tmp_path_factory.mktemp("litcurate-home")
    os.environ["LITCURATE_HOME"] = str(home)
    os.environ["PREFECT_HOME"] = str(home / "prefect")
    os.environ.pop("PREFECT_API_URL", None)
    from litcurate.pipeline.environment import configure_prefect

    configure_prefect()  # what the CLI does first, for tests that call the flow directly
    yield home
    _stop_temporary_servers()  # now, while output is open, not in Prefect's exit hook
    orphans = [_describe(process) for process in orphans_of(home)]
    leftovers = processes_of(home)
    for process in leftovers:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.terminate()
    _, alive = psutil.wait_procs(leftovers, timeout=10)
    for process in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.kill()
    if orphans:
        pytest.fail(f"processes outlived the runs that started them: {orphans}")


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
