"""The temporary Prefect API server dies with the run that started it, even on SIGKILL.

Without a configured API, Prefect starts a temporary server (a uvicorn child, about
200 MB) the first time a run needs one and stops it at exit. A run killed with
SIGKILL has no exit: the server is re-parented to init and runs for ever. So the
server a run starts comes with a watchdog: a tiny child process that blocks reading
a pipe only the run holds open. However the run ends, the kernel closes that pipe;
the watchdog wakes and stops the server (SIGTERM, then SIGKILL), then exits. A pipe,
unlike a parent-death signal, does not depend on which thread started the server.

Prefect keeps the server as one shared instance per port; ``guard_temporary_server``
puts a ``GuardedServer`` in the default slot before Prefect looks for one, the way
Prefect's own test harness swaps in its test server.

Before it starts, a fresh home gets the empty Prefect database the package ships
(``prefect_database``), so Prefect has no migrations to run.

A local ``litcurate run`` serves its API from its own process instead
(``in_process_api``); this server is what Prefect starts when that cannot be done,
and what Dask runs share.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
from typing import Any

from prefect.server.api.server import SubprocessASGIServer

from litcurate.pipeline.execution.prefect_database import seed_configured_database

WATCHDOG = """
import os, signal, sys, time
pid = int(sys.argv[1])
sys.stdin.buffer.read()  # returns when the run holding the other end has ended


def alive():
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return b"uvicorn" in handle.read()  # empty for a zombie; never a reused pid
    except OSError:
        return False


for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 1.0)):
    if not alive():
        break
    try:
        os.kill(pid, sig)
    except OSError:
        break
    end = time.monotonic() + wait
    while alive() and time.monotonic() < end:
        time.sleep(0.05)
"""


def start_watchdog(pid: int) -> subprocess.Popen[bytes]:
    """A watchdog that stops process ``pid`` once this process has ended, however."""
    return subprocess.Popen([sys.executable, "-c", WATCHDOG, str(pid)],
                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


class GuardedServer(SubprocessASGIServer):
    """Prefect's temporary server, each start of it watched by a watchdog, its database
    restored from the package's template on a fresh home (see ``prefect_database``)."""

    def _run_uvicorn_command(self) -> subprocess.Popen[Any]:
        with contextlib.suppress(Exception):  # without a template Prefect migrates, as ever
            seed_configured_database()
        process = super()._run_uvicorn_command()
        self.watchdogs = [*getattr(self, "watchdogs", []), start_watchdog(process.pid)]
        return process


def guard_temporary_server() -> None:
    """Make the temporary server Prefect starts from now on a ``GuardedServer``."""
    current = SubprocessASGIServer._instances.get(None)
    if isinstance(current, GuardedServer) or (current is not None and current.running):
        return  # already guarded, or already running (started before: nothing to swap)
    SubprocessASGIServer._instances.pop(None, None)
    GuardedServer()  # registers itself as the default instance
