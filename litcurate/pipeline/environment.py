"""Prefect settings litcurate needs before Prefect is imported.

Prefect reads its settings at import time, so the CLI calls ``configure_prefect``
first. Defaults keep runs offline and isolated: an ephemeral API in our own
PREFECT_HOME (never the user's ~/.prefect), no telemetry, a start-up timeout
long enough for a cold start on a small machine, and run logs sent to the API (the
Prefect UI shows them) rather than printed over litcurate's own progress. Anything
the user already set wins, so ``PREFECT_API_URL`` pointing at a server just works.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping
from pathlib import Path

DEFAULT_HOME = Path.home() / ".cache" / "litcurate"
# Run and task logs to the Prefect API (the UI), the terminal left to litcurate's own output.
LOGGING_CONFIG = Path(__file__).with_name("prefect_logging.yml")

PREFECT_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",  # Prefect's client-side telemetry and its first-run notice
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    # On a fresh home the temporary API would register Prefect's block types first
    # (seconds of start-up); litcurate stores no blocks.
    "PREFECT_API_BLOCKS_REGISTER_ON_START": "false",
    # ...and would still load every Prefect collection and hash the block registry to
    # decide whether to (a fifth of a second of the API's start, for nothing).
    "PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION": "false",
    "PREFECT_TASKS_REFRESH_CACHE": "false",
    "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "false",
    "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
    "PREFECT_UI_ENABLED": "false",
    "PREFECT_LOGGING_SETTINGS_PATH": str(LOGGING_CONFIG),
}


def litcurate_home(env: MutableMapping[str, str] | None = None) -> Path:
    """Where litcurate keeps its own state (Prefect's database, caches)."""
    env = os.environ if env is None else env
    return Path(env.get("LITCURATE_HOME", str(DEFAULT_HOME)))


def extraction_cache_dir() -> Path:
    """Where whole-paper extractions are cached between runs."""
    return litcurate_home() / "extractions"


def worker_log_dir() -> Path:
    """Where the worker processes' own output (warnings, tracebacks) goes."""
    return litcurate_home() / "logs"


def configure_prefect(env: MutableMapping[str, str] | None = None) -> None:
    """Fill in Prefect's settings that the user has not set themselves."""
    env = os.environ if env is None else env
    env.setdefault("PREFECT_HOME", str(litcurate_home(env) / "prefect"))
    Path(env["PREFECT_HOME"]).expanduser().mkdir(parents=True, exist_ok=True)
    for key, value in PREFECT_DEFAULTS.items():
        env.setdefault(key, value)
