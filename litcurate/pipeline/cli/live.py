"""Per-paper progress, fed by ``progress`` events: live bars on a terminal, lines elsewhere.

On a terminal each paper gets a bar that moves through the stages. Anywhere else (a
pipe, a log file, CI) a live display would only be drawn once, at the end, so each
event is one plain line instead, written the moment it happens.

A paper only ever moves forward: the command reads its first papers before the flow
plans them (``head_start``), so the flow's fingerprint of a paper can come after that
paper's later stages; a stage at or before one already shown is not shown again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Column

from litcurate.pipeline.progress import EXTRACTED, PROGRESS_LOGGER, STAGES, ProgressEvent


class _Forward:
    """The furthest stage shown for each paper; says whether an event moves it on."""

    def __init__(self) -> None:
        self.furthest: dict[str, int] = {}

    def moves_on(self, event: ProgressEvent) -> bool:
        if event.stage not in STAGES:  # done, failed, a pull: always news
            return True
        rank = STAGES.index(event.stage)
        if rank <= self.furthest.get(event.paper, -1):
            return False
        self.furthest[event.paper] = rank
        return True


class _ProgressHandler(logging.Handler):
    def __init__(self, progress: Progress, rows: dict[str, TaskID]) -> None:
        super().__init__(level=logging.INFO)
        self.progress = progress
        self.rows = rows
        self.forward = _Forward()

    def emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "event", None)
        if (not isinstance(event, ProgressEvent) or event.paper not in self.rows
                or not self.forward.moves_on(event)):
            return
        row = self.rows[event.paper]
        if not self.progress.tasks[row].started:  # a paper's clock runs from its first stage
            self.progress.start_task(row)
        if event.stage == "done":
            status = f"[green]done[/] {event.detail}"
            self.progress.update(row, completed=len(STAGES), status=status)
        elif event.stage == "failed":
            self.progress.update(row, status=f"[red]failed[/] {event.detail}")
            self.progress.stop_task(row)  # and stops when it has failed
        elif event.stage == EXTRACTED:
            self.progress.update(row, completed=len(STAGES) - 0.5, status=EXTRACTED)
        elif event.stage in STAGES:
            self.progress.update(row, completed=STAGES.index(event.stage), status=event.stage)


class _LineHandler(logging.Handler):
    """One line per event (``paper: stage detail``), printed and flushed as it comes."""

    def __init__(self, console: Console, papers: list[str]) -> None:
        super().__init__(level=logging.INFO)
        self.console = console
        self.papers = set(papers)
        self.forward = _Forward()

    def emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "event", None)
        if (not isinstance(event, ProgressEvent) or event.paper not in self.papers
                or not self.forward.moves_on(event)):
            return
        line = f"{event.paper}: {event.stage} {event.detail}".rstrip()
        self.console.print(line, markup=False, highlight=False, soft_wrap=True)
        self.console.file.flush()


def progress_bars(console: Console, papers: list[str]) -> tuple[Progress, logging.Handler]:
    """A bar per paper, its name in full, and the handler that moves the bars."""
    width = max((len(name) for name in papers), default=10)
    progress = Progress(
        # A name that does not fit goes on over the next line, never cut (nor the status).
        TextColumn(f"{{task.description:<{width}}}", table_column=Column(overflow="fold")),
        BarColumn(bar_width=10, table_column=Column(min_width=10, no_wrap=True)),
        TextColumn("{task.fields[status]}", table_column=Column(overflow="fold")),
        TimeElapsedColumn(table_column=Column(min_width=7, no_wrap=True)),
        console=console,
        transient=False,
    )
    rows = {name: progress.add_task(name, total=len(STAGES), status="waiting", start=False)
            for name in papers}
    return progress, _ProgressHandler(progress, rows)


@contextmanager
def live_progress(console: Console, papers: list[str]) -> Iterator[None]:
    """Show each paper's progress for the duration of the block."""
    logger = logging.getLogger(PROGRESS_LOGGER)
    progress: Progress | None = None
    if console.is_terminal:
        progress, handler = progress_bars(console, papers)
    else:
        handler = _LineHandler(console, papers)
    logger.addHandler(handler)
    previous_level = logger.level
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        if progress is None:
            yield
        else:
            with progress:
                yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous_level)
        logger.propagate = True
