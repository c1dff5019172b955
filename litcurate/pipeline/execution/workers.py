"""Bounded worker processes: each paper is extracted in a child whose time and memory
are capped, so a hostile PDF is killed and reported instead of hanging or sinking a run.

Why child interpreters (``python -m litcurate.pipeline.execution.workers``) and not
``multiprocessing``: they can be started from anywhere, including a daemonic Dask
worker, and they import nothing from the parent. A worker loads the extractors once,
then takes papers one at a time over a pipe:

- **time**: the parent waits on the pipe with a deadline and kills the child when it
  passes;
- **memory**: the child caps its own address space at its start-up size plus the
  limit (``RLIMIT_AS``), so an allocation beyond it fails with ``MemoryError`` there
  and the child reports it and exits.

A worker that broke a limit or died is discarded; the next paper gets a fresh one.
Idle workers are reused by ``WorkerPool`` (one per process, shared by its threads).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import queue
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from litcurate.extractors.errors import ExtractionError, one_line
from litcurate.extractors.stage_chain import PaperExtraction, StageCallback
from litcurate.pipeline.execution.paper_job import JobStats, PaperJob

_HEADER = struct.Struct(">Q")
STARTUP_SECONDS = 180.0  # a cold start imports spaCy and pdfplumber; never charged to a paper
ENDING_SECONDS = 5.0  # a worker whose output has closed is ending: how long it may take
MEMORY_EXIT = 75  # a worker's exit status when it ran out of memory where it could not say so
# One thread per numeric library: papers run in parallel processes, not threads.
_CHILD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


@dataclass(frozen=True)
class Limits:
    """What one paper may use: wall-clock seconds, and memory beyond the worker's start."""

    seconds: float = 600.0
    memory_mb: int = 2048


def default_workers() -> int:
    """Papers processed at once when not told: one per core."""
    return os.cpu_count() or 1


class TimeLimitError(ExtractionError):
    slug = "time-limit"


class MemoryLimitError(ExtractionError):
    slug = "memory-limit"


class WorkerDiedError(ExtractionError):
    slug = "worker-died"


class WorkerGoneError(WorkerDiedError):
    """The worker was dead before it started the paper (killed while idle): retry it."""


# -- the wire: length-prefixed pickles ---------------------------------------------------

def _write_frame(stream: IO[bytes], message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _read_exact(fd: int, size: int, deadline: float | None) -> bytes:
    """``size`` bytes from ``fd``; TimeoutError past ``deadline``, EOFError if closed."""
    chunks: list[bytes] = []
    remaining = size
    while remaining:
        if deadline is not None:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                raise TimeoutError
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _read_frame(fd: int, deadline: float | None) -> Any:
    (size,) = _HEADER.unpack(_read_exact(fd, _HEADER.size, deadline))
    return pickle.loads(_read_exact(fd, size, deadline))


# -- the parent's side ------------------------------------------------------------------

class Worker:
    """One child interpreter extracting papers one at a time under ``limits``."""

    def __init__(self, limits: Limits, log_dir: Path | None = None, wait: bool = True) -> None:
        """Start the child; unless ``wait`` is False, wait until it is ready (a worker
        started ahead of its first paper is waited for when it gets one)."""
        self.limits = limits
        self._ready = False
        self._started = time.monotonic()
        log = None
        if log_dir is not None:
            log_dir.mkdir(parents=True, exist_ok=True)
            log = (log_dir / "workers.log").open("ab")
        env = {**os.environ, **_CHILD_ENV}
        # -P: the folder the run was started from is not put first on the worker's path,
        # so a `litcurate` folder there (another checkout) cannot stand in for the code
        # the run itself imported.
        self._process = subprocess.Popen(
            [sys.executable, "-P", "-m", "litcurate.pipeline.execution.workers",
             str(limits.memory_mb)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=log if log is not None else subprocess.DEVNULL, env=env)
        if log is not None:
            log.close()
        assert self._process.stdout is not None
        self._fd = self._process.stdout.fileno()
        if wait:
            self.wait_ready()

    def wait_ready(self) -> None:
        """Return once the child has loaded the extractors (at once if it has)."""
        if self._ready:
            return
        try:
            kind, *_ = _read_frame(self._fd, self._started + STARTUP_SECONDS)
        except (TimeoutError, EOFError) as error:
            self.kill()
            raise WorkerDiedError(f"the worker process did not start ({self._ended()})") from error
        if kind != "ready":
            self.kill()
            raise WorkerDiedError(f"the worker process did not start (said {kind!r})")
        self._ready = True

    @property
    def pid(self) -> int:
        return self._process.pid

    def alive(self) -> bool:
        return self._process.poll() is None

    def run(self, job: PaperJob, on_stage: StageCallback) -> tuple[PaperExtraction, JobStats]:
        """Extract one paper; raises ``ExtractionError`` (a limit, a death, a bad file)."""
        assert self._process.stdin is not None
        self.wait_ready()
        try:
            _write_frame(self._process.stdin, job)
        except (BrokenPipeError, OSError, ValueError) as error:  # ValueError: closed by kill()
            self.kill()
            raise WorkerGoneError(f"the worker process died ({self._ended()})") from error
        deadline = time.monotonic() + self.limits.seconds
        heard = False
        while True:
            try:
                message = _read_frame(self._fd, deadline)
            except TimeoutError:
                self.kill()
                raise TimeLimitError(
                    f"exceeded the time limit of {self.limits.seconds:g} s; "
                    "the paper was stopped") from None
            except EOFError:
                if not heard:
                    self.kill()
                    raise WorkerGoneError(f"the worker process died ({self._ended()})") from None
                raise self._death() from None
            heard = True
            kind = message[0]
            if kind == "stage":
                on_stage(message[1], message[2])
            elif kind == "done":
                return message[1], message[2]
            elif kind == "failed":  # an ExtractionError, pickled as itself
                raise message[1]
            elif kind == "memory":
                self.kill()
                raise self._over_memory()
            else:  # "error": a bug, with its one-line description
                raise ExtractionError(f"internal error: {message[1]}")

    def _over_memory(self) -> MemoryLimitError:
        return MemoryLimitError(f"exceeded the memory limit of {self.limits.memory_mb} MB; "
                                "the paper was stopped")

    def _death(self) -> ExtractionError:
        """Why the worker ended mid-paper, from its exit status. It is given a moment to
        end by itself first: killed while it was still ending, its own status (out of
        memory past its limit) would read as a kill."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.wait(timeout=ENDING_SECONDS)
        self.kill()
        code = self._process.returncode
        if code == MEMORY_EXIT:
            return self._over_memory()
        if code == -signal.SIGKILL:  # most likely the kernel's out-of-memory killer
            return MemoryLimitError("the worker process was killed (out of memory?)")
        return WorkerDiedError(f"the worker process died ({self._ended()})")

    def _ended(self) -> str:
        code = self._process.poll()
        if code is None:
            return "still running"
        if code < 0:
            return f"signal {signal.Signals(-code).name}"
        return f"exit code {code}"

    def kill(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        for stream in (self._process.stdin, self._process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()

    def close(self) -> None:
        """Ask politely (EOF on its input), then make sure."""
        if self._process.stdin is not None:
            with contextlib.suppress(OSError):
                self._process.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.wait(timeout=5)
        self.kill()


class WorkerPool:
    """Idle workers kept for reuse; a worker is checked out for one paper at a time.

    The pool never holds more workers than were ever busy at once, so its size follows
    the task runner's concurrency (threads locally, one per Dask worker thread).
    """

    def __init__(self, limits: Limits, log_dir: Path | None = None, wait: bool = True) -> None:
        """Start the child; unless ``wait`` is False, wait until it is ready (a worker
        started ahead of its first paper is waited for when it gets one)."""
        self.limits = limits
        self._ready = False
        self._started = time.monotonic()
        self.log_dir = log_dir
        self._idle: queue.SimpleQueue[Worker] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self.started = 0

    def run(self, job: PaperJob, on_stage: StageCallback) -> tuple[PaperExtraction, JobStats]:
        try:
            return self._run_once(job, on_stage)
        except WorkerGoneError:  # it never saw the paper: a fresh worker gets it
            return self._run_once(job, on_stage)

    def _run_once(self, job: PaperJob, on_stage: StageCallback
                  ) -> tuple[PaperExtraction, JobStats]:
        worker = self._checkout()
        try:
            result = worker.run(job, on_stage)
        except (TimeLimitError, MemoryLimitError, WorkerDiedError):
            worker.kill()  # never reused
            raise
        except BaseException:
            if worker.alive():
                self._idle.put(worker)
            raise
        self._idle.put(worker)
        return result

    def prestart(self, count: int) -> None:
        """Start ``count`` idle workers now without waiting for them, so their start-up
        (spaCy, the language model) overlaps whatever the run does before its first paper."""
        for _ in range(count):
            with self._lock:
                self.started += 1
            self._idle.put(Worker(self.limits, self.log_dir, wait=False))

    def adopt(self, worker: Worker) -> None:
        """Keep a worker started elsewhere (the run's head start) for the next papers."""
        self._idle.put(worker)

    def _checkout(self) -> Worker:
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                with self._lock:
                    self.started += 1
                return Worker(self.limits, self.log_dir)
            if worker.alive():
                return worker

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return


_pools: dict[tuple[Limits, Path | None], WorkerPool] = {}
_pools_lock = threading.Lock()


def shared_pool(limits: Limits, log_dir: Path | None = None) -> WorkerPool:
    """This process's pool for ``limits`` (a Dask worker keeps its own between tasks)."""
    with _pools_lock:
        pool = _pools.get((limits, log_dir))
        if pool is None:
            pool = _pools[(limits, log_dir)] = WorkerPool(limits, log_dir)
        return pool


@atexit.register
def close_pools() -> None:
    """Stop every idle worker of this process (the flow calls it when a run ends)."""
    with _pools_lock:
        for pool in _pools.values():
            pool.close()
        _pools.clear()


# -- the child's side -------------------------------------------------------------------

def _address_space_bytes() -> int:
    with Path("/proc/self/status").open() as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _peak_rss_mb() -> float:
    """This process's own peak RSS (VmHWM; ru_maxrss would include the parent's at fork)."""
    with Path("/proc/self/status").open() as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _orphan_watch() -> None:
    """Exit when the parent is gone (SIGKILLed runs included): no stray workers."""
    parent = os.getppid()
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(3)


def _serve(memory_mb: int, incoming: IO[bytes], outgoing: IO[bytes]) -> None:
    import logging
    import resource

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    from litcurate.extractors.knowledge import data_file_names, load_data_file
    from litcurate.extractors.statements.nlp import build_nlp
    from litcurate.pipeline.execution.paper_job import run_paper_job

    build_nlp()  # load once, before the limit is measured from here
    for name in data_file_names():  # and the vocabularies, not charged to the first paper
        load_data_file(name)
    if memory_mb > 0 and sys.platform == "linux":
        cap = _address_space_bytes() + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    _write_frame(outgoing, ("ready", os.getpid()))

    def stage(name: str, detail: str) -> None:
        _write_frame(outgoing, ("stage", name, detail))

    in_fd = incoming.fileno()
    while True:
        try:
            job = _read_frame(in_fd, None)
        except EOFError:
            return
        started = time.monotonic()
        try:
            extraction = run_paper_job(job, stage)
        except MemoryError:
            _write_frame(outgoing, ("memory",))
            return
        except ExtractionError as error:
            _write_frame(outgoing, ("failed", error))
            continue
        except Exception as error:
            _write_frame(outgoing, ("error", one_line(f"{type(error).__name__}: {error}")))
            continue
        stats = JobStats(time.monotonic() - started, _peak_rss_mb(), os.getpid(), os.getppid())
        try:
            _write_frame(outgoing, ("done", extraction, stats))
        except MemoryError:
            _write_frame(outgoing, ("memory",))
            return


def main(argv: list[str]) -> None:
    # The pipe is ours alone: anything a library prints goes to stderr instead.
    outgoing = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    threading.Thread(target=_orphan_watch, daemon=True).start()
    try:
        _serve(int(argv[0]) if argv else 0, sys.stdin.buffer, outgoing)
    except MemoryError:  # past the limit where no message could be sent: the status says it
        os._exit(MEMORY_EXIT)


if __name__ == "__main__":
    main(sys.argv[1:])
