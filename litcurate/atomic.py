"""Files that appear whole or not at all: write beside the target, then rename over it.

Every file litcurate keeps (a release's LATEST, the sources manifest, corrections, a
pulled PDF, cache entries, the run memo, the metrics card) is written through
``atomic_writer``, so a crash or a failed check never leaves half a file under the
real name. The temporary file sits in the target's folder (a rename is atomic only
within one file system) and is removed if the block raises. ``sync`` adds the fsyncs
that make the new content survive a power cut, for what must never be lost.

This module imports nothing from litcurate's layers: every layer may use it.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries (a rename into it, a new file) to disk."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_synced(path: Path, data: bytes) -> None:
    """Write and fsync, so a crash right after never leaves a truncated file behind."""
    with path.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _open_temporary(target: Path, temporary: Path | None, prefix: str | None, suffix: str,
                    text: bool) -> tuple[IO[Any], Path]:
    mode, encoding = ("w", "utf-8") if text else ("wb", None)
    if temporary is not None:  # a fixed name: at most one leftover, reused next time
        return temporary.open(mode, encoding=encoding), temporary
    handle, name = tempfile.mkstemp(prefix=prefix if prefix is not None else f".{target.name}.",
                                    suffix=suffix, dir=target.parent)
    os.fchmod(handle, _mode_for(target))  # mkstemp's 0600 would outlive the rename
    return os.fdopen(handle, mode, encoding=encoding), Path(name)


def _mode_for(target: Path) -> int:
    """The replaced file's permissions, or a new file's (0666 less the umask)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    """The process's umask, read without changing it (Linux); 022 where it cannot be."""
    try:
        with Path("/proc/self/status").open(encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022


@contextmanager
def atomic_writer(target: Path, *, text: bool = False, prefix: str | None = None,
                  suffix: str = ".tmp", temporary: Path | None = None, sync: bool = False
                  ) -> Iterator[IO[Any]]:
    """An open temporary file that replaces ``target`` when the block ends without error.

    The temporary file is ``prefix``, random characters, then ``suffix`` (hidden, after the
    target, by default) or is exactly ``temporary``; it is removed if the block raises. With
    ``sync`` the file is fsynced before the rename and the folder after it.
    """
    out, path = _open_temporary(target, temporary, prefix, suffix, text)
    try:
        with out:
            yield out
            if sync:
                out.flush()
                os.fsync(out.fileno())
        path.replace(target)
        if sync:
            fsync_dir(target.parent)
    finally:
        path.unlink(missing_ok=True)


def write_atomic(target: Path, data: bytes | str, *, prefix: str | None = None,
                 suffix: str = ".tmp", temporary: Path | None = None, sync: bool = False) -> None:
    """Replace ``target`` with ``data`` (text is written as UTF-8); see ``atomic_writer``."""
    with atomic_writer(target, text=isinstance(data, str), prefix=prefix, suffix=suffix,
                       temporary=temporary, sync=sync) as out:
        out.write(data)
