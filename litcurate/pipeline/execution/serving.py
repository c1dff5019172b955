"""Serving the flow as a scheduled deployment, stopped cleanly by SIGTERM or Ctrl-C.

Prefect's own ``Flow.serve`` does not stop on SIGTERM (its handler calls the runner's
asynchronous stop without awaiting it, from inside the event loop), so a service
manager or a container runtime would have to kill it. Here the handler asks the
running loop to stop the runner instead: runs in progress are cancelled, the
schedule is paused, and the process exits 0.
"""

from __future__ import annotations

import asyncio
import signal
from typing import Any

from prefect import Flow
from prefect.deployments.runner import EntrypointType
from prefect.runner import Runner


class StoppableRunner(Runner):
    """A ``Runner`` whose SIGTERM stops it the way Ctrl-C does."""

    _stopping: asyncio.Task[None] | None = None

    def handle_sigterm(self, *args: Any, **kwargs: Any) -> None:
        self._logger.info("SIGTERM received: stopping")
        if self._stopping is None and self.started:
            # A signal handler runs on the loop's thread between two of its steps.
            self._stopping = asyncio.get_running_loop().create_task(self.astop())


def serve_flow(flow: Flow[Any, Any], name: str, interval: int, parameters: dict[str, Any],
               description: str) -> None:
    """Serve ``flow`` every ``interval`` seconds, one run at a time, until stopped."""
    runner = StoppableRunner(name=name, limit=1)
    runner.add_flow(flow, name=name, interval=interval, parameters=parameters,
                    description=description, enforce_parameter_schema=False,
                    entrypoint_type=EntrypointType.MODULE_PATH)
    print(f"{flow.name}/{name} is being served: a run every {interval} s, one at a time; "
          f"trigger one now with `prefect deployment run '{flow.name}/{name}'`. "
          "Ctrl-C or SIGTERM stops serving.", flush=True)
    try:
        asyncio.run(runner.start())
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
