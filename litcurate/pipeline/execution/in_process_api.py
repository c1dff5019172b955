"""The run's temporary Prefect API, served from a thread of the run itself.

Prefect's own temporary API is a second Python process that imports Prefect's
server (seconds of CPU on a small machine) and is polled until healthy; it needs a
watchdog so a killed run does not leave it behind. The run has already imported
that server code, so here the same application (Prefect's ``create_app``, ephemeral:
no UI, no services) is served by uvicorn in a daemon thread of the run: up in a
fraction of a second and gone with the process however it ends. It is started once
per process and serves every run in it (Prefect builds its application once per
process, and a second server on it would not record task runs). A run points Prefect
at it through ``PREFECT_API_URL`` for the duration of its flow; at the end of the flow
Prefect's queued run logs and events are sent and the run waits until the server has
recorded them. It is never stopped: stopping it from an exit hook would find the
interpreter already refusing the new threads its database driver needs, and the
process ends with it.

When it cannot start (or does not answer in time) the run is left to Prefect, which
starts its own temporary server, guarded by ``temporary_server``.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

from litcurate.pipeline.execution.prefect_database import seed_configured_database

HOST = "127.0.0.1"
QUIET_SECONDS = 0.3  # nothing new for this long: what was sent has arrived
HANDLED_SECONDS = 10.0


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

    _shared: ClassVar[InProcessApi | None] = None
    _lock: ClassVar[threading.Lock] = threading.Lock()

    @classmethod
    def shared(cls) -> InProcessApi:
        """This process's API, started on first use."""
        with cls._lock:
            if cls._shared is None:
                api = cls()
                api.start()
                cls._shared = api
            return cls._shared

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
                                        log_level="error", lifespan="on")
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


def send_queued() -> None:
    """Send the run logs and events Prefect still holds for the API, now."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):
        with contextlib.suppress(Exception):
            worker.drain_all(timeout=10)


def wait_until_handled(quiet: float = QUIET_SECONDS, timeout: float = HANDLED_SECONDS) -> None:
    """Wait until the API has handled every message it was sent and none has come for
    ``quiet`` seconds (at most ``timeout`` seconds).

    Task-run states reach Prefect's API as events, which a consumer inside the server
    records after the client has sent them; ending the process before that would lose
    them. Prefect's in-memory broker counts what it delivered and what its consumers
    handled, per topic.
    """
    try:
        from prefect.server.utilities.messaging.memory import METRICS
    except ImportError:  # another broker: nothing to count here
        return
    end = time.monotonic() + timeout
    quiet_since: float | None = None
    while time.monotonic() < end:
        now = time.monotonic()
        if all(counts["published"] <= counts["consumed"] for counts in list(METRICS.values())):
            quiet_since = now if quiet_since is None else quiet_since
            if now - quiet_since >= quiet:
                return
        else:
            quiet_since = None
        time.sleep(0.02)


@contextlib.contextmanager
def serving(api: InProcessApi) -> Iterator[None]:
    """Prefect's client uses ``api`` inside this block; at its end what Prefect queued
    for the API is sent and recorded.

    Flow-run heartbeats are off: they let a server's services notice a run that died,
    and this API has no services and dies with the run (and the flow's end waited up
    to a second for the heartbeat thread)."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    # Prefect keeps one log and one events sender per process, bound to the API it was
    # made for: what an earlier flow in this process left (another API) is sent now,
    # so this flow's records get senders bound to this API.
    send_queued()
    with temporary_settings(updates={PREFECT_API_URL: api.api_url,
                                     "flows.heartbeat_frequency": None}):
        try:
            yield
        finally:
            send_queued()
            wait_until_handled()


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
        api = InProcessApi.shared()
    except OSError:  # no loopback port to bind: Prefect's own start reports why
        return contextlib.nullcontext
    timeout = float(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value())

    def ready() -> contextlib.AbstractContextManager[None]:
        return serving(api) if api.wait(timeout) else contextlib.nullcontext()

    return ready
