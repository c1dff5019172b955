"""Killing a run (SIGKILL) at any point leaves the last release intact, leaves no worker
behind, and the next run completes."""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from litcurate.pipeline.release.publish import latest_version
from litcurate.pipeline.release.verify import verify_release
from tests import hostile_pdfs as build
from tests.conftest import BMC_PDF, SAMPLE_PDF

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def _run(raw: Path, curated: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "litcurate.pipeline.cli.app", "run", "--raw", str(raw),
         "--curated", str(curated), "--workers", "2"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _workers_of(home: str) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline"]):
        try:
            if ("litcurate.pipeline.execution.workers" in " ".join(process.info["cmdline"] or [])
                    and process.environ().get("LITCURATE_HOME") == home):
                found.append(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def _assert_intact(curated: Path, expected: str) -> None:
    assert latest_version(curated) == expected
    problems, path = verify_release(curated, None)
    assert problems == [], problems
    assert path is not None and path.name == expected


def test_sigkill_at_several_points_never_breaks_the_release(tmp_path: Path) -> None:
    raw, curated = tmp_path / "raw", tmp_path / "curated"
    raw.mkdir()
    build.build_text_pdf(raw / "a.pdf", title="Alpha trial of gargling")
    first = _run(raw, curated)
    assert first.wait(timeout=600) == 0
    assert latest_version(curated) == "1.0.0"
    shutil.copy(SAMPLE_PDF, raw / "sample.pdf")
    shutil.copy(BMC_PDF, raw / "bmc.pdf")

    started = time.monotonic()
    timing = _run(raw, curated)  # how long an uninterrupted run of this corpus takes
    assert timing.wait(timeout=600) == 0
    duration = time.monotonic() - started
    expected = latest_version(curated) or ""
    assert expected != "1.0.0"
    (raw / "bmc.pdf").unlink()  # the next complete run has something new to publish
    build.build_text_pdf(raw / "c.pdf", title="Gamma cohort of embolisation")

    home = os.environ["LITCURATE_HOME"]
    shutil.rmtree(Path(home) / "extractions", ignore_errors=True)  # real work to interrupt
    chooser = random.Random(7)
    points = sorted(chooser.uniform(0.05, 0.95) * duration for _ in range(3))
    for delay in points:
        run = _run(raw, curated)
        time.sleep(delay)
        if run.poll() is None:
            os.kill(run.pid, signal.SIGKILL)
        run.wait()
        if run.returncode == 0:  # finished before the kill: a complete new release
            expected = latest_version(curated) or expected
        _assert_intact(curated, expected)
        deadline = time.monotonic() + 15
        while _workers_of(home) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _workers_of(home) == [], "a worker outlived its killed run"
    # and once as soon as a release is being staged
    run = _run(raw, curated)
    releases = curated / "releases"
    while run.poll() is None and not list(releases.glob(".staging-*")):
        time.sleep(0.005)
    if run.poll() is None:
        os.kill(run.pid, signal.SIGKILL)
    run.wait()
    if run.returncode == 0:
        expected = latest_version(curated) or expected
    _assert_intact(curated, expected)

    final = _run(raw, curated)
    assert final.wait(timeout=600) == 0
    assert not list(releases.glob(".staging-*"))
    assert latest_version(curated) != "1.0.0"
    _assert_intact(curated, latest_version(curated) or "")


def _servers_of(home: str, parent: int) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline", "ppid"]):
        try:
            if ("uvicorn" in " ".join(process.info["cmdline"] or [])
                    and process.info["ppid"] == parent
                    and process.environ().get("LITCURATE_HOME") == home):
                found.append(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def _listening_ports(process: psutil.Process) -> set[int]:
    with_children = [process, *process.children(recursive=True)]
    ports: set[int] = set()
    for each in with_children:
        try:
            ports |= {c.laddr.port for c in each.net_connections(kind="tcp")
                      if c.status == psutil.CONN_LISTEN}
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return ports


def _port_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def test_the_runs_api_is_served_by_the_run_itself_and_ends_with_it(tmp_path: Path) -> None:
    """The run's temporary Prefect API listens in the run's own process, not in a child
    that could be orphaned: once the run is SIGKILLed nothing answers on its port."""
    raw, curated = tmp_path / "raw", tmp_path / "curated"
    raw.mkdir()
    build.build_text_pdf(raw / "a.pdf", title="Alpha trial of gargling")
    home = os.environ["LITCURATE_HOME"]
    run = _run(raw, curated)
    process = psutil.Process(run.pid)
    deadline = time.monotonic() + 120
    while not (ports := _listening_ports(process)):
        assert run.poll() is None, "the run ended before its API was seen"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert _servers_of(home, run.pid) == []  # no server process of its own
    assert {c.laddr.port for c in process.net_connections(kind="tcp")
            if c.status == psutil.CONN_LISTEN} == ports
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    assert not any(_port_answers(port) for port in ports)


GUARDED_SERVER = """
import sys, time
from litcurate.pipeline.environment import configure_prefect
configure_prefect()
from prefect.server.api.server import SubprocessASGIServer
from litcurate.pipeline.execution.temporary_server import guard_temporary_server
guard_temporary_server()
SubprocessASGIServer().start()
print("up", flush=True)
time.sleep(600)
"""


def test_prefects_own_temporary_server_dies_with_a_sigkilled_run(tmp_path: Path) -> None:
    """The fallback (Prefect's server in a child process, when the run cannot serve its
    API itself) is watched: a SIGKILLed run takes it down too."""
    home = os.environ["LITCURATE_HOME"]
    run = subprocess.Popen([sys.executable, "-c", GUARDED_SERVER], cwd=ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert run.stdout is not None and run.stdout.readline().strip() == b"up"
    servers = _servers_of(home, run.pid)  # the server, and the watchdog that names it
    assert any("-m uvicorn" in " ".join(server.cmdline()) for server in servers)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    _, alive = psutil.wait_procs(servers, timeout=15)
    assert alive == [], "the temporary API server outlived its killed run"
