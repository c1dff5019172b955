"""What the user reads when a command breaks in a way no command foresaw: one line.

Every input a curator can get wrong is reported by the command that reads it. What is
left is a service the run depends on being away (a Prefect server or Dask scheduler the
environment names) or a defect of litcurate itself; either way the user gets one line
saying which, and a defect's traceback goes to a log file for the bug report, never to
the terminal.
"""

from __future__ import annotations

import datetime as dt
import re
import traceback
from pathlib import Path

from litcurate.pipeline.environment import worker_log_dir

CRASH_LOG = "crashes.log"
_PREFECT_API = re.compile(r"Failed to reach API at (\S+?)/?$")


def _chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def unreachable_service(error: BaseException) -> str:
    """The one-line reason when ``error`` says a server the run was pointed at is away."""
    for cause in _chain(error):
        found = _PREFECT_API.search(str(cause))
        if found:
            return (f"cannot reach the Prefect API at {found.group(1)} (PREFECT_API_URL): "
                    "start that server, or unset PREFECT_API_URL for a temporary one")
        if isinstance(cause, OSError) and "trying to connect to" in str(cause):
            return f"cannot reach the Dask scheduler: {str(cause).splitlines()[0]}"
    return ""


def log_crash(error: BaseException, log_dir: Path | None = None) -> Path | None:
    """Append ``error``'s traceback to the crash log; where it went (None if it could not
    be written: the one line is said all the same)."""
    folder = worker_log_dir() if log_dir is None else log_dir
    path = folder / CRASH_LOG
    try:
        folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- {stamp}\n")
            log.write("".join(traceback.format_exception(error)))
    except OSError:
        return None
    return path


def crash_line(error: BaseException, log_dir: Path | None = None) -> str:
    """The line to print for an error no command handled."""
    reason = unreachable_service(error)
    if reason:
        return reason
    where = log_crash(error, log_dir)
    said = " ".join(str(error).split())[:200] or "(no message)"
    return (f"internal error: {type(error).__name__}: {said}"
            + (f" (the traceback is in {where})" if where is not None else ""))
