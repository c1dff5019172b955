"""The run's temporary Prefect API, served from a thread of the run itself.

Prefect's own temporary API is a second Python process that imports Prefect's
server (seconds of CPU on a small machine) and is polled until healthy; it needs a
watchdog so a killed run does not leave it behind. The run has already imported
that server code, so here the same application (Prefect's ``create_app``, ephemeral:
no UI, no services) is served by uvicorn in a daemon thread of the run: up in a
fraction of a second and gone with the run however it ends. The run points Prefect
at it through ``PREFECT_API_URL`` for the duration of the flow; at the end of the
flow Prefect's queued run logs and events are sent, then the server stops (stopping
it from an exit hook instead would find the interpreter already refusing new
threads, which the server's database driver needs).

When it cannot start (or does not answer in time) the run is left to Prefect, which
starts its own temporary server, guarded by ``temporary_server``.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from litcurate.pipeline.execution.prefect_database import seed_configured_database

HOST = "127.0.0.1"
STOP_SECONDS = 5.0


@contextlib.contextmanager
def settings_from_environment() -> Iterator[None]:
    """Prefect's settings as the environment gives them now, as a server process started
    now would read them: a process that imported Prefect before its home was set (a test
    session) still serves, and seeds, the database of that home."""
    from prefect.context import SettingsContext
    from prefect.settings import Settings

    current = SettingsContext.get()
    assert current is not None  # Prefect sets its root context on import
    with SettingsContext(profile=current.profile, settings=Settings()):
        yield


class InProcessApi:
    """Prefect's API application served by uvicorn in a daemon thread of this process."""

    def __init__(self) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((HOST, 0))  # a free port, held from now on: no race for it
        self.port: int = self._socket.getsockname()[1]
        self._server: Any = None
        self._thread = threading.Thread(target=self._serve, name="litcurate-api", daemon=True)

    @property
    def api_url(self) -> str:
        return f"http://{HOST}:{self.port}/api"

    def start(self) -> None:
        with contextlib.suppress(Exception), settings_from_environment():
            seed_configured_database()  # without a template Prefect migrates, as ever
        self._thread.start()

    def _serve(self) -> None:
        try:
            import uvicorn
            from prefect.server.api.server import create_app

            with settings_from_environment():
                config = uvicorn.Config(create_app(ephemeral=True, final=True),
                                        log_level="error", lifespan="on",
                                        timeout_graceful_shutdown=1)
                self._server = uvicorn.Server(config)
                self._server.run(sockets=[self._socket])
        except BaseException:  # uvicorn exits on a failed start: the waiting run falls back
            return

    def wait(self, timeout: float) -> bool:
        """Wait until the API answers; False if it failed or did not come up in time."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self._server is not None and self._server.started:
                return True
            if not self._thread.is_alive():
                return False
            time.sleep(0.02)
        return False

    def stop(self) -> None:
        """Stop serving; the socket is closed with the server."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(STOP_SECONDS)
        self._socket.close()


def send_queued() -> None:
    """Send the run logs and events Prefect still holds for the API, now."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):
        with contextlib.suppress(Exception):
            worker.drain_all(timeout=10)


@contextlib.contextmanager
def serving(api: InProcessApi) -> Iterator[None]:
    """Prefect's client uses ``api`` inside this block; the API stops at its end, after
    what Prefect queued for it has been sent.

    Flow-run heartbeats are off: they let a server's services notice a run that died,
    and this API has no services and dies with the run (and the flow's end waited up
    to a second for the heartbeat thread)."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    try:
        with temporary_settings(updates={PREFECT_API_URL: api.api_url,
                                         "flows.heartbeat_frequency": None}):
            try:
                yield
            finally:
                send_queued()
    finally:
        api.stop()


def start_local_api() -> Callable[[], contextlib.AbstractContextManager[None]]:
    """Start this process's API now, when the run will need one (no API configured);
    returns what waits for it and gives the block to run the flow in, pointed at it.

    With an API configured, or when the in-process one cannot start, the block changes
    nothing: Prefect uses the configured API, or starts its own temporary server.
    """
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_SERVER_EPHEMERAL_ENABLED,
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS,
    )

    if PREFECT_API_URL.value() or not PREFECT_SERVER_EPHEMERAL_ENABLED.value():
        return contextlib.nullcontext
    try:
        api = InProcessApi()
    except OSError:  # no loopback port to bind: Prefect's own start reports why
        return contextlib.nullcontext
    api.start()
    timeout = float(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value())

    def ready() -> contextlib.AbstractContextManager[None]:
        if api.wait(timeout):
            return serving(api)
        api.stop()
        return contextlib.nullcontext()

    return ready
