"""Bounded workers: a dead worker is reported and replaced, never reused."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from litcurate.extractors.errors import ExtractionError, NotAPdfError
from litcurate.extractors.stage_chain import PaperSource
from litcurate.pipeline.execution.paper_job import PaperJob
from litcurate.pipeline.execution.workers import (
    Limits,
    MemoryLimitError,
    WorkerDiedError,
    WorkerPool,
)
from tests import hostile_pdfs as build


def _job(path: Path) -> PaperJob:
    return PaperJob(PaperSource(path=path, sha256="0" * 64))


def test_pool_reuses_a_worker_and_replaces_a_killed_one(tmp_path: Path) -> None:
    good = build.build_text_pdf(tmp_path / "good.pdf")
    pool = WorkerPool(Limits(seconds=60, memory_mb=512))
    stages: list[str] = []
    try:
        extraction, first = pool.run(_job(good), lambda stage, _: stages.append(stage))
        assert extraction.paper.title == build.DEFAULT_TITLE
        assert stages == ["read", "tables", "outcomes", "statements", "validate"]
        assert first.host_pid == os.getpid() and first.peak_rss_mb > 0
        _, second = pool.run(_job(good), lambda *_: None)
        assert second.worker_pid == first.worker_pid  # reused
        assert pool.started == 1
        os.kill(first.worker_pid, signal.SIGKILL)  # dies while idle in the pool
        _, third = pool.run(_job(good), lambda *_: None)
        assert third.worker_pid != first.worker_pid
        assert pool.started == 2
    finally:
        pool.close()


def test_a_prestarted_worker_takes_the_first_paper(tmp_path: Path) -> None:
    good = build.build_text_pdf(tmp_path / "good.pdf")
    pool = WorkerPool(Limits(seconds=60, memory_mb=512))
    try:
        pool.prestart(1)  # returns at once; the worker loads the extractors meanwhile
        assert pool.started == 1
        extraction, stats = pool.run(_job(good), lambda *_: None)
        assert extraction.paper.title == build.DEFAULT_TITLE and stats.worker_pid > 0
        assert pool.started == 1  # the paper went to the worker started ahead
    finally:
        pool.close()


def test_a_bad_file_keeps_the_worker_and_names_the_reason(tmp_path: Path) -> None:
    pool = WorkerPool(Limits(seconds=60, memory_mb=512))
    try:
        with pytest.raises(NotAPdfError, match="not a PDF"):
            pool.run(_job(build.build_not_a_pdf(tmp_path / "notes.pdf")), lambda *_: None)
        _, stats = pool.run(_job(build.build_text_pdf(tmp_path / "ok.pdf")), lambda *_: None)
        assert pool.started == 1 and stats.worker_pid > 0
    finally:
        pool.close()


def test_limit_errors_are_extraction_errors_with_their_own_slugs() -> None:
    assert issubclass(MemoryLimitError, ExtractionError)
    assert MemoryLimitError.slug == "memory-limit"
    assert WorkerDiedError.slug == "worker-died"


def test_a_litcurate_folder_where_the_run_starts_does_not_replace_the_workers_code(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = build.build_text_pdf(tmp_path / "good.pdf")
    decoy = tmp_path / "here" / "litcurate"
    decoy.mkdir(parents=True)
    (decoy / "__init__.py").write_text('raise ImportError("the decoy was imported")\n')
    monkeypatch.chdir(decoy.parent)
    pool = WorkerPool(Limits(seconds=60, memory_mb=512))
    try:
        extraction, _ = pool.run(_job(good), lambda *_: None)
        assert extraction.paper.title == build.DEFAULT_TITLE
    finally:
        pool.close()
