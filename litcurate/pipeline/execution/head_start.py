"""The run's first papers go to a worker as the command starts, before Prefect is up.

A cold ``litcurate run`` spends seconds on one core importing Prefect's server,
starting its API and its flow engine before the flow submits its first task; on a
two-core machine the other core sat idle all that time. So the command starts one
worker at once and hands it the papers it is sure the flow will extract, one after
another, while Prefect starts on the other core.

The flow still decides and records every paper: its ``extract-paper`` task for a
paper sent ahead takes over the job, waits for it, and ends Completed or Failed
exactly as it would have. The paper's stages are announced as the worker reports
them, so the progress display moves while Prefect starts. When the flow reaches its
papers it hands over: no paper is started ahead from then on; the job under way
finishes and its worker joins the run's pool, and the papers not yet started are
extracted by the flow itself, on the pool.

Only a job the flow would build identically is sent ahead, and the flow takes over
only an equal job (same file, fingerprint, manifest entry, dataset folder, limits):
a local file the cache holds nothing for, not a copy of another file, and never past
a source with a URL (its pull may change the file, and the flow's order). Anything
not taken over when the flow is done with its papers is stopped.
"""

from __future__ import annotations

import atexit
import threading
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from litcurate.pipeline.execution.workers import (
    Limits,
    Worker,
    WorkerGoneError,
    shared_pool,
)
from litcurate.pipeline.progress import EXTRACTED, emit

if TYPE_CHECKING:
    from litcurate.extractors.stage_chain import PaperExtraction
    from litcurate.pipeline.execution.paper_job import JobStats, PaperJob
    from litcurate.pipeline.execution.planning import PlannedPaper

Result = tuple["PaperExtraction", "JobStats"]


class AheadJob:
    """One paper sent ahead: its stages are announced as the worker reports them (the
    progress display is up before Prefect), then comes its result or its error."""

    def __init__(self, job: PaperJob) -> None:
        self.job = job
        self._done = threading.Event()
        self._result: Result | None = None
        self._error: BaseException | None = None

    def stage(self, name: str, detail: str) -> None:
        emit(self.job.source.path.name, name, detail)

    def wait(self, timeout: float) -> bool:
        """Wait until the worker is done with the paper; whether it is."""
        return self._done.wait(timeout)

    def finish(self, result: Result | None, error: BaseException | None) -> None:
        if result is not None:  # the paper's verdict (done or failed) is the flow's to give
            from litcurate.pipeline.run_report import record_counts

            emit(self.job.source.path.name, EXTRACTED, record_counts(result[0]))
        self._result, self._error = result, error
        self._done.set()

    def take_over(self) -> Result | None:
        """The flow's side: wait, then return the result or raise the paper's error;
        None when the worker was gone before it saw the paper (the flow then extracts
        it itself)."""
        self._done.wait()
        if isinstance(self._error, WorkerGoneError):
            return None
        if self._error is not None:
            raise self._error
        return self._result


class HeadStart:
    """One worker extracting ``jobs`` in order until the flow hands over."""

    def __init__(self, jobs: list[PaperJob], limits: Limits, log_dir: Path | None) -> None:
        self.limits = limits
        self.log_dir = log_dir
        self._lock = threading.Lock()
        self._pending = [AheadJob(job) for job in jobs]
        self._taken: list[AheadJob] = []  # started (under way or done)
        self._handed_over = False
        self._closed = False
        self._in_pool = False  # the worker is the pool's from then on
        self._worker = Worker(limits, log_dir, wait=False)
        first = self._next()  # under way from here: the flow may claim it at once
        self._thread = threading.Thread(target=self._work, args=(first,),
                                        name="litcurate-head-start", daemon=True)
        self._thread.start()

    @property
    def worker_pid(self) -> int:
        return self._worker.pid

    def _next(self) -> AheadJob | None:
        with self._lock:
            if self._handed_over or not self._pending:
                return None
            ahead = self._pending.pop(0)
            self._taken.append(ahead)
            return ahead

    def _work(self, ahead: AheadJob | None) -> None:
        if ahead is None:  # handed over before the first paper: a warm worker all the same
            self._join_pool()
        while ahead is not None:
            result: Result | None = None
            error: BaseException | None = None
            try:
                result = self._worker.run(ahead.job, ahead.stage)
            except BaseException as raised:  # the paper's verdict, for the flow to give
                error = raised
            following = self._next()
            if following is None:
                self._join_pool()  # before the last result is out: the pool stays bounded
            elif not self._worker.alive():  # stopped at a limit, or died: a fresh one
                self._replace_worker()
            ahead.finish(result, error)
            ahead = following

    def _replace_worker(self) -> None:
        with self._lock:
            if not self._closed:
                self._worker = Worker(self.limits, self.log_dir, wait=False)

    def _join_pool(self) -> None:
        """The worker becomes one of the run's pool (a dead one is left to its end)."""
        with self._lock:
            if self._closed or not self._worker.alive():
                return
            shared_pool(self.limits, self.log_dir).adopt(self._worker)
            self._in_pool = True

    def hand_over(self) -> None:
        """The flow has reached its papers: start none ahead from now on."""
        with self._lock:
            self._handed_over = True

    def claim(self, job: PaperJob, limits: Limits, log_dir: Path | None) -> AheadJob | None:
        """The job sent ahead that equals ``job`` under the same limits, if it was
        started; a paper not started yet is the flow's to extract."""
        with self._lock:
            if (limits, log_dir) != (self.limits, self.log_dir):
                return None
            for ahead in self._taken:
                if ahead.job == job:
                    self._taken.remove(ahead)
                    return ahead
            return None

    def close(self) -> None:
        """Stop what the flow did not take over: a job under way dies with its worker."""
        with self._lock:
            self._handed_over = self._closed = True
            self._pending.clear()
            unclaimed = any(not ahead.wait(0) for ahead in self._taken)
            stop = unclaimed and not self._in_pool
        if stop:
            self._worker.kill()


def jobs_ahead(papers: list[PlannedPaper], unread: list[PlannedPaper], curated_dir: Path
               ) -> list[PaperJob]:
    """The jobs the flow will surely build, for the leading papers of ``unread`` (the
    ``papers`` the cache holds nothing for, in discovery order): up to the first source
    with a URL or the first file with the same bytes as another, whose fate the flow
    decides (a pull; which copy is kept)."""
    from litcurate.pipeline.execution.paper_job import PaperJob
    from litcurate.pipeline.execution.planning import source_for

    copies = {sha for sha, count in Counter(p.sha256 for p in papers).items() if count > 1}
    jobs: list[PaperJob] = []
    for paper in unread:
        if (paper.entry is not None and paper.entry.url) or paper.sha256 in copies:
            break
        jobs.append(PaperJob(source_for(paper.path, paper.entry, paper.sha256), curated_dir))
    return jobs


class _Current:
    """This process's head start: one at a time."""

    lock = threading.Lock()
    head_start: HeadStart | None = None


def send_ahead(jobs: list[PaperJob], limits: Limits, log_dir: Path | None
               ) -> HeadStart | None:
    """Start this process's head start on ``jobs``, the first at once (none: nothing
    is started)."""
    if not jobs:
        return None
    head_start = HeadStart(jobs, limits, log_dir)
    with _Current.lock:
        earlier, _Current.head_start = _Current.head_start, head_start
    if earlier is not None:
        earlier.close()
    return head_start


def claim(job: PaperJob, limits: Limits, log_dir: Path | None) -> AheadJob | None:
    """The head start's job equal to ``job``, when one was started ahead."""
    with _Current.lock:
        current = _Current.head_start
    return current.claim(job, limits, log_dir) if current is not None else None


def hand_over() -> None:
    """The flow has reached its papers: nothing more is started ahead."""
    with _Current.lock:
        current = _Current.head_start
    if current is not None:
        current.hand_over()


@atexit.register
def close() -> None:
    """The flow is done with its papers (or the process ends): stop what is left."""
    with _Current.lock:
        current, _Current.head_start = _Current.head_start, None
    if current is not None:
        current.close()
