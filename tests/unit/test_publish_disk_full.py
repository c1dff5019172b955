"""A disk that fills up (or any failed write) while publishing: a one-line reason, no
half-written release, LATEST as it was, no staging folder left behind."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from litcurate.pipeline.release import publish as publish_module
from litcurate.pipeline.release.latest import PENDING_FILE
from litcurate.pipeline.release.publish import (
    LatestNotUpdatedError,
    PublishError,
    latest_version,
    publish_release,
)
from litcurate.pipeline.release.verify import verify_release
from tests.unit.test_release_format import outcome, records

CHANGED = records(outcome(), outcome(12.0, "p:new"))


def disk_full_at(name: str, real: Callable[[Path, bytes], None]) -> Callable[[Path, bytes], None]:
    """``write_synced`` that fills the disk when it reaches the file ``name``: half of it
    is written, then ENOSPC, as a real full disk does."""
    def write(path: Path, data: bytes) -> None:
        if path.name == name:
            path.write_bytes(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real(path, data)

    return write


def everything_in(curated: Path) -> list[str]:
    return sorted(str(p.relative_to(curated)) for p in curated.rglob("*"))


@pytest.mark.parametrize("name", ["papers.csv", "outcomes.csv", "outcomes.parquet",
                                  "CHANGELOG.md", "datapackage.json"])
def test_a_full_disk_while_staging_publishes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    publish_release(records(outcome()), tmp_path)
    before = everything_in(tmp_path)
    monkeypatch.setattr(publish_module, "write_synced",
                        disk_full_at(name, publish_module.write_synced))
    with pytest.raises(PublishError) as raised:
        publish_release(CHANGED, tmp_path)
    message = str(raised.value)
    assert "\n" not in message and not isinstance(raised.value, LatestNotUpdatedError)
    assert f"No space left on device: {name}" in message
    assert "LATEST still names 1.0.0" in message
    assert everything_in(tmp_path) == before  # no release, no staging, no pending note
    assert latest_version(tmp_path) == "1.0.0" and verify_release(tmp_path, None)[0] == []
    monkeypatch.undo()
    assert publish_release(CHANGED, tmp_path).version == "1.1.0"  # space again: it publishes


def test_a_full_disk_on_the_very_first_release_leaves_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(publish_module, "write_synced",
                        disk_full_at("datapackage.json", publish_module.write_synced))
    with pytest.raises(PublishError, match="LATEST still names no release"):
        publish_release(records(outcome()), tmp_path)
    assert latest_version(tmp_path) is None
    assert [p.name for p in (tmp_path / "releases").iterdir()] == []


def test_a_full_disk_when_noting_the_pending_release_publishes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    publish_release(records(outcome()), tmp_path)

    def full(curated: Path, version: str) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(curated / PENDING_FILE))

    monkeypatch.setattr(publish_module, "mark_pending", full)
    with pytest.raises(PublishError, match=r"could not move release 1\.1\.0 into place"):
        publish_release(CHANGED, tmp_path)
    assert latest_version(tmp_path) == "1.0.0"
    assert sorted(p.name for p in (tmp_path / "releases").iterdir()) == ["1.0.0"]


def test_a_full_disk_when_writing_latest_says_the_next_run_finishes_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    publish_release(records(outcome()), tmp_path)

    def full(curated: Path, version: str) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(curated / ".LATEST.tmp"))

    monkeypatch.setattr(publish_module, "write_latest", full)
    with pytest.raises(LatestNotUpdatedError) as raised:
        publish_release(CHANGED, tmp_path)
    assert str(raised.value) == ("release 1.1.0 is in place but LATEST could not be pointed "
                                 "at it (No space left on device: .LATEST.tmp); the next run "
                                 "does it")
    monkeypatch.undo()
    assert publish_release(CHANGED, tmp_path).version is None  # finished, nothing new
    assert latest_version(tmp_path) == "1.1.0"


def full_disk(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_run_memo_that_cannot_be_written_is_skipped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from litcurate.pipeline.execution import run_memo

    home, curated = tmp_path / "home", tmp_path / "curated"
    publish_release(records(outcome()), curated)
    monkeypatch.setattr(run_memo, "write_atomic", full_disk)
    run_memo.remember(home, curated, "digest")  # the release is out; the memo only saves time
    assert run_memo.unchanged_since_last_run(home, curated, "digest") is None


def test_a_cache_entry_that_cannot_be_written_is_skipped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from litcurate.pipeline.execution import extraction_cache
    from litcurate.pipeline.execution.extraction_cache import CacheKeys, keep, load_cached
    from litcurate.pipeline.execution.paper_job import PaperFailure

    monkeypatch.setattr(extraction_cache, "atomic_writer", full_disk)
    failure = PaperFailure("a.pdf", "corrupt PDF", "corrupt-pdf")
    keep(tmp_path, CacheKeys("e" * 64, "f" * 64), failure)
    assert load_cached(tmp_path, "f" * 64) is None
