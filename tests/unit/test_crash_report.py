"""An error no command handled is one line for the user; a defect's traceback goes to a log."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from litcurate.pipeline.cli.crash_report import CRASH_LOG, crash_line
from tests.conftest import RAW


def _raised(error: BaseException) -> BaseException:
    try:
        raise error
    except BaseException as caught:
        return caught


def test_an_unreachable_prefect_api_or_dask_scheduler_is_named(tmp_path: Path) -> None:
    api = _raised(RuntimeError("Failed to reach API at http://127.0.0.1:9/api/"))
    assert crash_line(api, tmp_path) == (
        "cannot reach the Prefect API at http://127.0.0.1:9/api (PREFECT_API_URL): start "
        "that server, or unset PREFECT_API_URL for a temporary one")
    dask = _raised(OSError("Timed out trying to connect to tcp://127.0.0.1:9 after 30 s\nmore"))
    assert crash_line(dask, tmp_path) == ("cannot reach the Dask scheduler: Timed out trying "
                                          "to connect to tcp://127.0.0.1:9 after 30 s")
    assert not (tmp_path / CRASH_LOG).exists()  # the user's setting, not a defect


def test_a_defect_is_one_line_and_its_traceback_goes_to_the_log(tmp_path: Path) -> None:
    line = crash_line(_raised(ValueError("columns\nmissing")), tmp_path)
    assert line == (f"internal error: ValueError: columns missing (the traceback is in "
                    f"{tmp_path / CRASH_LOG})")
    assert "Traceback (most recent call last)" in (tmp_path / CRASH_LOG).read_text()


def test_a_run_against_an_absent_prefect_server_says_so_in_one_line(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "paper.pdf").write_bytes((RAW / "dermine2019_review.pdf").read_bytes())
    env = {**os.environ, "LITCURATE_HOME": str(tmp_path / "home"),
           "PREFECT_API_URL": "http://127.0.0.1:9/api"}
    done = subprocess.run([sys.executable, "-m", "litcurate.pipeline.cli.app", "run", "--raw",
                           str(raw), "--curated", str(tmp_path / "curated")], env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    assert done.stderr.strip().splitlines()[-1].startswith(
        "error: cannot reach the Prefect API at http://127.0.0.1:9/api")
    assert not (tmp_path / "curated" / "LATEST").exists()
