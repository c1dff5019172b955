"""Live per-paper progress on the terminal, fed by ``progress`` events."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from litcurate.pipeline.progress import PROGRESS_LOGGER, STAGES, ProgressEvent


class _ProgressHandler(logging.Handler):
    def __init__(self, progress: Progress, rows: dict[str, TaskID]) -> None:
        super().__init__(level=logging.INFO)
        self.progress = progress
        self.rows = rows

    def emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "event", None)
        if not isinstance(event, ProgressEvent) or event.paper not in self.rows:
            return
        row = self.rows[event.paper]
        if event.stage == "done":
            status = f"[green]done[/] {event.detail}"
            self.progress.update(row, completed=len(STAGES), status=status)
        elif event.stage == "failed":
            self.progress.update(row, status=f"[red]failed[/] {event.detail}")
        elif event.stage in STAGES:
            self.progress.update(row, completed=STAGES.index(event.stage), status=event.stage)


@contextmanager
def live_progress(console: Console, papers: list[str]) -> Iterator[Progress]:
    """A progress bar per paper for the duration of the block."""
    progress = Progress(
        TextColumn("{task.description:<40}"),
        BarColumn(bar_width=20),
        TextColumn("{task.fields[status]}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )
    rows = {name: progress.add_task(name[:40], total=len(STAGES), status="waiting")
            for name in papers}
    logger = logging.getLogger(PROGRESS_LOGGER)
    handler = _ProgressHandler(progress, rows)
    logger.addHandler(handler)
    previous_level = logger.level
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        with progress:
            yield progress
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous_level)
        logger.propagate = True
