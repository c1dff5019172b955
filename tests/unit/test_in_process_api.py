"""The run's own Prefect API: the settings it serves with and when a run may end."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from litcurate.pipeline.execution.in_process_api import (
    settings_from_environment,
    wait_until_handled,
)


def test_the_api_reads_prefects_settings_from_the_environment_of_now(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Prefect read its settings when first imported; a home set later (as a test session
    does) is still the one the API serves."""
    from prefect.settings import get_current_settings

    home = tmp_path / "elsewhere"
    monkeypatch.setenv("PREFECT_HOME", str(home))
    with settings_from_environment():
        assert Path(get_current_settings().home) == home
        url = get_current_settings().server.database.connection_url
        assert url is not None and str(home) in url.get_secret_value()


def test_a_run_ends_only_once_the_api_has_handled_what_it_was_sent() -> None:
    from prefect.server.utilities.messaging.memory import METRICS

    topic = "litcurate-test-topic"
    METRICS[topic]["published"] += 2
    handled = threading.Event()

    def consume() -> None:
        time.sleep(0.2)
        METRICS[topic]["consumed"] += 1
        time.sleep(0.2)
        METRICS[topic]["consumed"] += 1
        handled.set()

    consumer = threading.Thread(target=consume)
    consumer.start()
    try:
        wait_until_handled(quiet=0.05, timeout=60)
        assert handled.is_set()
    finally:
        consumer.join()
        del METRICS[topic]
