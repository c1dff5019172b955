"""A publish killed mid-write leaves the previous release intact and nothing half-written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from litcurate.pipeline.release.publish import latest_version, publish_release
from litcurate.schemas.loader import load_release
from tests.unit.test_release_format import outcome, records

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
WRITER = """
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
from litcurate.pipeline.release.publish import publish_release
from tests.unit.test_release_format import outcome, records
many = [outcome(float(i % 100), f"p:o{{i}}") for i in range(200_000)]
publish_release(records(*many), Path({curated!r}))
"""


def test_killed_publish_leaves_the_previous_release(tmp_path: Path) -> None:
    first = publish_release(records(outcome()), tmp_path)
    assert first.version == "1.0.0"
    writer = subprocess.Popen([sys.executable, "-c", WRITER.format(root=str(ROOT),
                                                                    curated=str(tmp_path))])
    releases = tmp_path / "releases"
    deadline = time.monotonic() + 120
    while not list(releases.glob(".staging-*/outcomes.csv")):
        assert writer.poll() is None, "the writer finished before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    assert latest_version(tmp_path) == "1.0.0"
    assert sorted(p.name for p in releases.iterdir() if not p.name.startswith(".")) == ["1.0.0"]
    assert load_release(tmp_path).version == "1.0.0"
    again = publish_release(records(outcome(), outcome(12.0, "p:new")), tmp_path)
    assert again.version == "1.1.0"
    assert not list(releases.glob(".staging-*"))


def test_a_run_while_another_publishes_says_so_and_keeps_latest(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from litcurate.pipeline.cli.app import app
    from litcurate.pipeline.release import publish_lock
    from tests import hostile_pdfs as build

    raw, curated = tmp_path / "raw", tmp_path / "curated"
    raw.mkdir()
    build.build_text_pdf(raw / "a.pdf", title="Alpha trial of gargling")
    monkeypatch.setattr(publish_lock, "LOCK_WAIT", 0.3)
    with publish_lock.publishing(curated):  # another run, publishing right now
        result = CliRunner().invoke(app, ["run", "--raw", str(raw), "--curated", str(curated)])
    assert result.exit_code == 1, result.output
    assert "another run is publishing" in " ".join(result.output.split())
    assert latest_version(curated) is None and not (curated / "releases").exists()


def test_a_run_whose_disk_fills_while_publishing_says_so_in_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from typer.testing import CliRunner

    from litcurate.pipeline.cli.app import app
    from litcurate.pipeline.release import publish as publish_module
    from tests import hostile_pdfs as build

    raw, curated = tmp_path / "raw", tmp_path / "curated"
    raw.mkdir()
    build.build_text_pdf(raw / "a.pdf", title="Alpha trial of gargling")
    real = publish_module.write_synced

    def disk_full(path: Path, data: bytes) -> None:
        if path.suffix == ".parquet":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real(path, data)

    monkeypatch.setattr(publish_module, "write_synced", disk_full)
    result = CliRunner().invoke(app, ["run", "--raw", str(raw), "--curated", str(curated)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    said = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert said == ["error: nothing published: could not write the new release (No space "
                    "left on device: papers.parquet); LATEST still names no release"]
    assert "a.pdf: 1 page, " in result.output  # the papers are reported all the same
    assert latest_version(curated) is None
    assert list((curated / "releases").iterdir()) == []
