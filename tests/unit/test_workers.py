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


# A stand-in worker: ready, takes a paper, reports a stage, then runs out of memory where
# it can no longer say so (its output closes first, its status comes a moment later).
_OUT_OF_MEMORY = """
import os, pickle, struct, sys, time
out = os.fdopen(os.dup(1), "wb")
def frame(message):
    data = pickle.dumps(message)
    out.write(struct.pack(">Q", len(data)) + data)
    out.flush()
frame(("ready", os.getpid()))
size = struct.unpack(">Q", sys.stdin.buffer.read(8))[0]
sys.stdin.buffer.read(size)
frame(("stage", "read", ""))
out.close()
os.close(1)
time.sleep(0.5)
os._exit(EXIT)
"""


def test_a_worker_out_of_memory_past_speech_is_reported_over_its_limit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess
    import sys

    from litcurate.pipeline.execution import workers

    child = tmp_path / "child.py"
    child.write_text(_OUT_OF_MEMORY.replace("EXIT", str(workers.MEMORY_EXIT)))
    start = subprocess.Popen

    def stand_in(_: list[str], **options: object) -> subprocess.Popen[bytes]:
        return start([sys.executable, str(child)], **options)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(workers.subprocess, "Popen", stand_in)
    pool = WorkerPool(Limits(seconds=60, memory_mb=64))
    try:
        with pytest.raises(MemoryLimitError, match="exceeded the memory limit of 64 MB"):
            pool.run(_job(tmp_path / "any.pdf"), lambda *_: None)
    finally:
        pool.close()
