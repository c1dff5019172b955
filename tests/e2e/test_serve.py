"""``litcurate serve`` against a real ``prefect server start`` on loopback: one triggered
deployment run publishes the release; the server is stopped by its PID."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from litcurate.pipeline.release.verify import verify_release
from tests import hostile_pdfs as build

pytestmark = pytest.mark.e2e
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM by PID, then SIGKILL to its whole session if it lingers."""
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def prefect_server(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    port = _free_port()
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "server-home"),
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_UI_ENABLED": "false"}
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    api = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            assert time.monotonic() < deadline, "the Prefect server did not start"
            with contextlib.suppress(OSError), urllib.request.urlopen(
                    f"{api}/health", timeout=2) as answer:
                if answer.status == 200:
                    break
            time.sleep(0.5)
        yield api, {**env, "PREFECT_API_URL": api}
    finally:
        _stop(server)
        log.close()
    assert server.returncode is not None


def test_served_deployment_publishes_a_release(
        prefect_server: tuple[str, dict[str, str]], tmp_path: Path) -> None:
    api, env = prefect_server
    raw, curated = tmp_path / "raw", tmp_path / "curated"
    raw.mkdir()
    build.build_text_pdf(raw / "a.pdf", title="Alpha trial of gargling")
    build.build_text_pdf(raw / "b.pdf", title="Beta review of octreotide")
    serve_log = tmp_path / "serve.log"
    with serve_log.open("wb") as log:
        served = subprocess.Popen(
            [str(BIN / "litcurate"), "serve", "--raw", str(raw), "--curated", str(curated),
             "--interval", "86400", "--name", "test"],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while "being served" not in serve_log.read_text(errors="replace"):
            assert served.poll() is None, serve_log.read_text()
            assert time.monotonic() < deadline, serve_log.read_text()
            time.sleep(0.5)
        triggered = subprocess.run(
            [str(BIN / "prefect"), "deployment", "run", "litcurate-run/test", "--watch"],
            check=False, env=env, capture_output=True, text=True, timeout=600)
        assert triggered.returncode == 0, triggered.stdout + triggered.stderr
        assert "Completed" in triggered.stdout
    finally:
        _stop(served)
    problems, release = verify_release(curated, None)
    assert problems == []
    assert release is not None and release.name == "1.0.0"
    assert (release / "papers.csv").read_text().count(".pdf") == 2
    assert api.startswith("http://127.0.0.1:")


def test_serve_without_a_server_says_how_to_start_one(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    result = subprocess.run([str(BIN / "litcurate"), "serve", "--raw", str(tmp_path)],
                            check=False, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "prefect server start" in result.stderr
