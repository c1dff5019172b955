"""One publisher at a time per curated folder: a lock file, and staging owned by its run.

Two runs publishing into one curated folder at once would both read LATEST, both
pick the next version, and one would clear the other's staging folder or fail on the
other's release, losing its change set. So publishing holds an exclusive lock on
``<curated>/.publish.lock`` (``flock``: the kernel releases it when the process dies,
even by SIGKILL, so a crash never leaves a stale lock). A second publisher waits a
little, then stops with a clear message. Staging folders carry their run's process
id, and only those whose process is gone are cleared as leftovers.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

LOCK_FILE = ".publish.lock"
LOCK_WAIT = 60.0  # seconds a publisher waits for another to finish before it gives up
STAGING_PREFIX = ".staging-"


class PublishError(Exception):
    """The release could not be published; the previous one is intact."""


class PublishBusyError(PublishError):
    """Another run is publishing into the same curated folder."""


@contextlib.contextmanager
def publishing(curated_dir: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the curated folder's publish lock for the block (waiting up to ``wait`` s,
    default ``LOCK_WAIT``)."""
    wait = LOCK_WAIT if wait is None else wait
    curated_dir.mkdir(parents=True, exist_ok=True)
    path = curated_dir / LOCK_FILE
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    try:
        end = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= end:
                    raise PublishBusyError(_busy_message(curated_dir, descriptor)) from None
                time.sleep(0.05)
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(descriptor)  # closing the descriptor releases the lock


def _busy_message(curated_dir: Path, descriptor: int) -> str:
    holder = os.pread(descriptor, 32, 0).decode("ascii", "replace").strip()
    who = f" (process {holder})" if holder.isdigit() else ""
    return (f"another run is publishing to {curated_dir}{who}; try again when it has "
            "finished")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def _owner(staging: Path) -> int | None:
    """The process id a staging folder's name carries (None for other names)."""
    owner = staging.name.removeprefix(STAGING_PREFIX).split("-", 1)[0]
    return int(owner) if owner.isdigit() else None


def fresh_staging(releases: Path) -> Path:
    """A new hidden staging folder owned by this process, after clearing the ones whose
    run is gone (a publish killed mid-write leaves its staging folder, never a release)."""
    for leftover in releases.glob(f"{STAGING_PREFIX}*"):
        owner = _owner(leftover)  # under the lock, this process's own are leftovers too
        if owner is None or owner == os.getpid() or not _alive(owner):
            shutil.rmtree(leftover, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=releases))
