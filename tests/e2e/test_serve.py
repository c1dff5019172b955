"""``litcurate serve`` against a real ``prefect server start`` on loopback, one server for
the module: a triggered run publishes the release; a run the scheduler made publishes it
too and reports honestly (the failed paper's task Failed, the summary in the run's logs,
a Markdown report attached, one line on the serve terminal); SIGTERM stops serving."""

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
from typing import Any

import pytest

from litcurate.pipeline.release.verify import verify_release
from tests import hostile_pdfs as build

pytestmark = pytest.mark.e2e
BIN = Path(sys.executable).parent
SCHEDULED_WAIT = 120.0  # seconds for the scheduler's first run to publish


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _stop(process: subprocess.Popen[bytes]) -> bool:
    """SIGTERM by PID, then SIGKILL to its whole session if it lingers; whether SIGTERM
    alone stopped it."""
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return False
    return True


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory: pytest.TempPathFactory
                   ) -> Iterator[tuple[str, dict[str, str]]]:
    home = tmp_path_factory.mktemp("prefect-server")
    port = _free_port()
    env = {**os.environ, "PREFECT_HOME": str(home / "server-home"),
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_UI_ENABLED": "false",
           "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "2"}  # schedule without delay
    log = (home / "server.log").open("wb")
    server = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    api = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert server.poll() is None, (home / "server.log").read_text()
            assert time.monotonic() < deadline, "the Prefect server did not start"
            with contextlib.suppress(OSError), urllib.request.urlopen(
                    f"{api}/health", timeout=2) as answer:
                if answer.status == 200:
                    break
            time.sleep(0.5)
        yield api, {**env, "PREFECT_API_URL": api, "PREFECT_RUNNER_POLL_FREQUENCY": "2"}
    finally:
        _stop(server)
        log.close()
    assert server.returncode is not None
    assert "bulk DML" not in (home / "server.log").read_text(errors="replace")


def _serve(raw: Path, curated: Path, interval: int, name: str, env: dict[str, str],
           log: Path) -> subprocess.Popen[bytes]:
    """``litcurate serve`` in its own session, once it says it is being served."""
    with log.open("wb") as out:
        served = subprocess.Popen(
            [str(BIN / "litcurate"), "serve", "--raw", str(raw), "--curated", str(curated),
             "--interval", str(interval), "--name", name],
            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 120
    while "being served" not in log.read_text(errors="replace"):
        if served.poll() is not None or time.monotonic() > deadline:
            _stop(served)
            pytest.fail(log.read_text(errors="replace"))
        time.sleep(0.5)
    return served


def test_served_deployment_publishes_a_release(
        prefect_server: tuple[str, dict[str, str]], tmp_path: Path) -> None:
    api, env = prefect_server
    raw, curated = tmp_path / "raw", tmp_path / "curated"
    raw.mkdir()
    build.build_text_pdf(raw / "a.pdf", title="Alpha trial of gargling")
    build.build_text_pdf(raw / "b.pdf", title="Beta review of octreotide")
    served = _serve(raw, curated, 86400, "test", env, tmp_path / "serve.log")
    try:
        triggered = subprocess.run(
            [str(BIN / "prefect"), "deployment", "run", "litcurate-run/test", "--watch"],
            check=False, env=env, capture_output=True, text=True, timeout=600)
        assert triggered.returncode == 0, triggered.stdout + triggered.stderr
        assert "Completed" in triggered.stdout
    finally:
        assert _stop(served), "serve did not stop on SIGTERM"
    assert served.returncode == 0, (tmp_path / "serve.log").read_text()
    problems, release = verify_release(curated, None)
    assert problems == []
    assert release is not None and release.name == "1.0.0"
    assert (release / "papers.csv").read_text().count(".pdf") == 2
    assert api.startswith("http://127.0.0.1:")


def test_a_served_run_that_cannot_publish_ends_failed(
        prefect_server: tuple[str, dict[str, str]], tmp_path: Path) -> None:
    _, env = prefect_server
    raw, curated = tmp_path / "raw", tmp_path / "curated"
    raw.mkdir()
    curated.mkdir()
    build.build_text_pdf(raw / "a.pdf", title="Alpha trial of gargling")
    (curated / "LATEST").write_text("9.9.9-not-a-release\n", encoding="utf-8")
    served = _serve(raw, curated, 86400, "broken", env, tmp_path / "serve.log")
    try:
        triggered = subprocess.run(
            [str(BIN / "prefect"), "deployment", "run", "litcurate-run/broken", "--watch"],
            check=False, env=env, capture_output=True, text=True, timeout=600)
    finally:
        assert _stop(served), "serve did not stop on SIGTERM"
    output = triggered.stdout + triggered.stderr
    assert "finished in state 'Failed'" in output, output  # the run, not only a task
    assert list((curated / "releases").iterdir()) == []  # no release, not even half of one
    assert (curated / "LATEST").read_text(encoding="utf-8") == "9.9.9-not-a-release\n"


def _first_scheduled_run(client: Any, deployment: str) -> Any:
    """The first run the scheduler made for ``deployment`` once it is final (or None)."""
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterName
    from prefect.client.schemas.sorting import FlowRunSort

    runs = client.read_flow_runs(
        deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=[deployment])),
        sort=FlowRunSort.EXPECTED_START_TIME_ASC, limit=20, offset=0)
    scheduled = [run for run in runs if run.auto_scheduled]
    if scheduled and scheduled[0].state is not None and scheduled[0].state.is_final():
        return scheduled[0]
    return None


def _run_record(client: Any, run_id: Any) -> tuple[dict[str, Any], list[str], list[str]]:
    """The run's task states by name, its log messages and its Markdown artifacts."""
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterId,
        LogFilter,
        LogFilterFlowRunId,
    )
    from prefect.client.schemas.sorting import TaskRunSort

    of_run = FlowRunFilter(id=FlowRunFilterId(any_=[run_id]))
    tasks = {task.name: task.state for task in client.read_task_runs(
        flow_run_filter=of_run, sort=TaskRunSort.EXPECTED_START_TIME_ASC, limit=50, offset=0)}
    logs = [log.message for log in client.read_logs(
        log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run_id])), limit=200,
        offset=0)]
    # posted as the UI does: this client version sends null filters the server refuses
    artifacts = client.request("POST", "/artifacts/filter", json={
        "artifacts": {"flow_run_id": {"any_": [str(run_id)]}, "type": {"any_": ["markdown"]}},
        "sort": "CREATED_DESC", "limit": 10, "offset": 0})
    artifacts.raise_for_status()
    return tasks, logs, [artifact["data"] for artifact in artifacts.json()]


def test_the_scheduler_runs_the_served_flow_and_the_run_reports_honestly(
        prefect_server: tuple[str, dict[str, str]], tmp_path: Path) -> None:
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    api, env = prefect_server
    raw, curated = tmp_path / "raw", tmp_path / "curated"
    raw.mkdir()
    build.build_text_pdf(raw / "a.pdf", title="Gamma trial of gargling")
    build.build_text_pdf(raw / "b.pdf", title="Delta review of octreotide")
    # Bytes of its own: a failure of the same bytes in another test would come from the
    # session's extraction cache, and this test needs the extraction task to run.
    (raw / "broken.pdf").write_text(f"this is not a PDF at all ({tmp_path.name})\n")
    serve_log = tmp_path / "serve.log"
    served = _serve(raw, curated, 10, "scheduled", env, serve_log)
    try:
        with temporary_settings(updates={PREFECT_API_URL: api}), \
                get_client(sync_client=True) as client:
            deadline = time.monotonic() + SCHEDULED_WAIT
            while (run := _first_scheduled_run(client, "scheduled")) is None:
                assert served.poll() is None, serve_log.read_text(errors="replace")
                assert time.monotonic() < deadline, (
                    "no scheduled run finished:\n" + serve_log.read_text(errors="replace"))
                time.sleep(1)
            tasks, logs, reports = _run_record(client, run.id)
            while not any(m.startswith("papers: ") for m in logs) \
                    and time.monotonic() < deadline:  # logs arrive shortly after the state
                time.sleep(1)
                tasks, logs, reports = _run_record(client, run.id)
    finally:
        assert _stop(served), "serve did not stop on SIGTERM"
    # a run the scheduler made (no manual trigger), and it published the release
    assert run.idempotency_key.startswith("scheduled "), run.idempotency_key
    assert run.state.is_completed(), run.state
    problems, release = verify_release(curated, None)
    assert problems == []
    assert release is not None and release.name == "1.0.0"
    assert (release / "papers.csv").read_text().count(".pdf") == 2
    # the failed paper's task is Failed, with the reason; the good papers' are not
    assert tasks["extract broken.pdf"].is_failed()
    assert "not a PDF" in tasks["extract broken.pdf"].message
    assert tasks["extract a.pdf"].is_completed() and tasks["extract b.pdf"].is_completed()
    # the summary is in the run's logs (INFO, through the run logger)
    assert any(m.startswith("papers: 2 ok, 1 failed;") for m in logs), logs
    assert "failed broken.pdf: not a PDF (no %PDF- header)" in logs
    assert any(m.startswith("published release 1.0.0 (major)") for m in logs), logs
    # the run's Markdown report: every paper, the failure and why, the release, its CHANGELOG
    assert len(reports) == 1
    report = reports[0]
    assert "| broken.pdf | failed |" in report
    assert "- **broken.pdf** (not-a-pdf): not a PDF (no %PDF- header)" in report
    assert "published release 1.0.0 (major)" in report
    assert "### CHANGELOG" in report and "First release." in report
    # one line for the run on the serve terminal, and SIGTERM ended serving cleanly
    output = serve_log.read_text(errors="replace").splitlines()
    lines = [line for line in output if line.startswith(f"run {run.name}:")]
    assert lines == [f"run {run.name}: 2 papers ok, 1 failed (broken.pdf); published release "
                     f"1.0.0 (major) -> {release}"], output
    assert served.returncode == 0, output


def test_serve_without_a_server_says_how_to_start_one(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    result = subprocess.run([str(BIN / "litcurate"), "serve", "--raw", str(tmp_path)],
                            check=False, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "prefect server start" in result.stderr
