"""Where the per-paper tasks run: threads over local worker processes, or a Dask cluster.

Locally, each paper task is a thread that drives a bounded worker process, so N
threads keep N cores busy. On Dask, the same task runs on the cluster's workers.

Prefect's task engine on a Dask worker talks to a Prefect API. Without one, every
worker process starts its own temporary server, which costs seconds per worker
before the first paper. So a Dask run always shares one API: the team's server when
``PREFECT_API_URL`` is set (workers elsewhere must have it set too), otherwise one
temporary server started here and handed to the local cluster's workers through the
environment they inherit.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any


def thread_runner(workers: int) -> Any:
    from prefect.task_runners import ThreadPoolTaskRunner

    return ThreadPoolTaskRunner(max_workers=max(1, workers))


def dask_runner(workers: int, address: str | None) -> Any:
    """A DaskTaskRunner on an existing cluster, or on a local one of ``workers`` processes."""
    from prefect_dask import DaskTaskRunner

    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(cluster_kwargs={
        "n_workers": max(1, workers), "threads_per_worker": 1, "processes": True,
        "dashboard_address": None, "memory_limit": 0})  # papers carry their own limits


@contextlib.contextmanager
def shared_prefect_api() -> Iterator[str]:
    """The API URL every process of a Dask run should use, started here if none is set."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    configured = PREFECT_API_URL.value()
    if configured:
        yield configured
        return
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()  # the same instance Prefect's ephemeral mode uses,
    # so it is stopped where Prefect stops it (at exit), after its last event is sent
    server.start(timeout=int(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS",
                                            "120")))
    previous = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = server.api_url  # inherited by local Dask workers
    try:
        with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
            yield server.api_url
    finally:
        if previous is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = previous
