"""One publisher at a time, staging owned by its run, LATEST repaired or refused."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from litcurate.pipeline.release import publish as publish_module
from litcurate.pipeline.release.publish import (
    LatestNotUpdatedError,
    PublishError,
    latest_version,
    publish_release,
)
from litcurate.pipeline.release.publish_lock import PublishBusyError, publishing
from litcurate.pipeline.release.verify import verify_release
from tests.unit.test_release_format import outcome, records


def versions(curated: Path) -> list[str]:
    return sorted(p.name for p in (curated / "releases").iterdir())


def test_a_second_publisher_waits_then_says_another_run_is_publishing(tmp_path: Path) -> None:
    with publishing(tmp_path), pytest.raises(PublishBusyError) as raised:
        publish_release(records(outcome()), tmp_path, lock_wait=0.2)
    assert "another run is publishing" in str(raised.value)
    assert f"process {os.getpid()}" in str(raised.value)
    assert latest_version(tmp_path) is None
    assert publish_release(records(outcome()), tmp_path).version == "1.0.0"  # lock released


def test_a_staging_folder_of_a_live_run_is_left_alone(tmp_path: Path) -> None:
    releases = tmp_path / "releases"
    releases.mkdir(parents=True)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    live = releases / f".staging-{os.getppid()}-abc"  # a process that is running
    dead = releases / f".staging-{gone.pid}-abc"
    for folder in (live, dead):
        folder.mkdir()
        (folder / "outcomes.csv").write_text("half", encoding="utf-8")
    assert publish_release(records(outcome()), tmp_path).version == "1.0.0"
    assert live.is_dir() and (live / "outcomes.csv").read_text(encoding="utf-8") == "half"
    assert not dead.exists()


def power_cut(curated: Path, version: str) -> None:
    """Where LATEST would be written: the machine stops."""
    raise OSError("power cut")


def test_a_crash_between_the_rename_and_latest_is_finished_next_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    publish_release(records(outcome()), tmp_path)
    real = publish_module.write_latest
    monkeypatch.setattr(publish_module, "write_latest", power_cut)
    with pytest.raises(LatestNotUpdatedError, match="power cut"):
        publish_release(records(outcome(), outcome(12.0, "p:new")), tmp_path)
    assert latest_version(tmp_path) == "1.0.0" and versions(tmp_path) == ["1.0.0", "1.1.0"]
    monkeypatch.setattr(publish_module, "write_latest", real)
    again = publish_release(records(outcome(), outcome(12.0, "p:new")), tmp_path)
    assert again.version is None and latest_version(tmp_path) == "1.1.0"  # nothing new
    after = publish_release(records(outcome(), outcome(13.0, "p:new")), tmp_path)
    assert (after.previous, after.version) == ("1.1.0", "1.1.1")
    assert verify_release(tmp_path, None)[0] == []


def test_the_very_first_release_crashing_before_latest_is_finished(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = publish_module.write_latest
    monkeypatch.setattr(publish_module, "write_latest", power_cut)
    with pytest.raises(LatestNotUpdatedError, match="power cut"):
        publish_release(records(outcome()), tmp_path)
    monkeypatch.setattr(publish_module, "write_latest", real)
    assert latest_version(tmp_path) is None and versions(tmp_path) == ["1.0.0"]
    assert publish_release(records(outcome()), tmp_path).version is None
    assert latest_version(tmp_path) == "1.0.0"


def test_a_latest_left_behind_a_newer_release_is_repaired(tmp_path: Path) -> None:
    publish_release(records(outcome()), tmp_path)
    publish_release(records(outcome(), outcome(12.0, "p:new")), tmp_path)
    (tmp_path / "LATEST").write_text("1.0.0\n", encoding="utf-8")  # as an older run left it
    result = publish_release(records(outcome(), outcome(12.0, "p:new")), tmp_path)
    assert result.version is None and latest_version(tmp_path) == "1.1.0"


@pytest.mark.parametrize(("latest", "says"), [
    ("9.9.9", "names release 9.9.9, which is not in"),
    ("not a version", "which is not a release version"),
])
def test_a_latest_naming_no_release_is_refused(tmp_path: Path, latest: str, says: str) -> None:
    publish_release(records(outcome()), tmp_path)
    (tmp_path / "LATEST").write_text(f"{latest}\n", encoding="utf-8")
    with pytest.raises(PublishError, match=says):
        publish_release(records(outcome(), outcome(12.0, "p:new")), tmp_path)
    assert versions(tmp_path) == ["1.0.0"]  # never a bogus 10.0.0
    assert latest_version(tmp_path) == latest


PUBLISHER = """
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
from litcurate.pipeline.release.publish import publish_release
from tests.unit.test_release_format import outcome, records
for round in range(6):
    publish_release(records(outcome(), outcome(float({offset} + round), "p:o")), Path({curated!r}))
"""


def test_two_publishers_at_once_both_publish_every_change_set(tmp_path: Path) -> None:
    root = str(Path(__file__).resolve().parents[2])
    runs = [subprocess.Popen([sys.executable, "-c", PUBLISHER.format(
        root=root, curated=str(tmp_path), offset=offset)], stderr=subprocess.PIPE)
        for offset in (100, 200)]
    outcomes = [(run.wait(timeout=120), run.stderr.read() if run.stderr else b"")
                for run in runs]
    assert [code for code, _ in outcomes] == [0, 0], outcomes
    published = versions(tmp_path)
    assert len(published) == 12 and not [v for v in published if v.startswith(".")]
    assert latest_version(tmp_path) == "1.0.11"
    assert verify_release(tmp_path, None)[0] == []
