"""The run's head start: papers sent to a worker before the flow are taken over by the
flow's tasks, with their stages and their verdicts, and nothing is left running."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from litcurate.extractors.errors import NotAPdfError
from litcurate.extractors.stage_chain import PaperSource
from litcurate.pipeline.execution import head_start
from litcurate.pipeline.execution.head_start import jobs_ahead, send_ahead
from litcurate.pipeline.execution.paper_job import PaperJob
from litcurate.pipeline.execution.planning import PlannedPaper
from litcurate.pipeline.execution.workers import Limits, TimeLimitError, close_pools, shared_pool
from litcurate.pipeline.progress import EXTRACTED, STAGES
from litcurate.pipeline.sources.manifest import SourceEntry
from tests import hostile_pdfs as build
from tests.conftest import StageRecorder

LIMITS = Limits(seconds=60, memory_mb=512)
EXTRACTION_STAGES = list(STAGES[1:])  # a worker reports every stage after the fingerprint


def _job(path: Path, sha256: str = "0" * 64) -> PaperJob:
    return PaperJob(PaperSource(path=path, sha256=sha256))


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat.split(") ")[1].startswith("Z")  # a zombie has exited


@pytest.fixture(autouse=True)
def _stopped():  # type: ignore[no-untyped-def]
    yield
    head_start.close()
    close_pools()


def test_papers_sent_ahead_are_taken_over_with_their_stages_and_verdicts(
        tmp_path: Path, stages: StageRecorder) -> None:
    good = build.build_text_pdf(tmp_path / "good.pdf")
    broken = build.build_not_a_pdf(tmp_path / "broken.pdf")
    started = send_ahead([_job(good), _job(broken)], LIMITS, tmp_path / "logs")
    assert started is not None
    ahead = head_start.claim(_job(good), LIMITS, tmp_path / "logs")
    assert ahead is not None
    outcome = ahead.take_over()
    assert outcome is not None
    extraction, stats = outcome
    assert extraction.paper.title == build.DEFAULT_TITLE
    # announced as the worker reported them, before any flow took the paper over; the
    # verdict (done, failed) is left to the flow
    assert [stage for paper, stage in stages.events
            if paper == "good.pdf"] == [*EXTRACTION_STAGES, EXTRACTED]
    assert stats.worker_pid == started.worker_pid
    bad = head_start.claim(_job(broken), LIMITS, tmp_path / "logs")
    assert bad is not None
    with pytest.raises(NotAPdfError, match="not a PDF"):
        bad.take_over()
    assert ("broken.pdf", EXTRACTED) not in stages.events
    # the worker has joined the run's pool: the next paper reuses it, none is started
    pool = shared_pool(LIMITS, tmp_path / "logs")
    _, later = pool.run(_job(good), lambda *_: None)
    assert later.worker_pid == started.worker_pid and pool.started == 0


def test_after_the_hand_over_papers_not_started_are_the_flows(tmp_path: Path) -> None:
    first = build.build_text_pdf(tmp_path / "first.pdf")
    second = build.build_text_pdf(tmp_path / "second.pdf", title="The second paper")
    started = send_ahead([_job(first), _job(second)], LIMITS, None)
    assert started is not None
    head_start.hand_over()
    assert head_start.claim(_job(second), LIMITS, None) is None  # never started
    ahead = head_start.claim(_job(first), LIMITS, None)
    assert ahead is not None and ahead.take_over() is not None
    pool = shared_pool(LIMITS, None)
    extraction, stats = pool.run(_job(second), lambda *_: None)
    assert extraction.paper.title == "The second paper"
    assert stats.worker_pid == started.worker_pid and pool.started == 0


def test_a_paper_stopped_at_its_limit_does_not_sink_the_papers_after_it(
        tmp_path: Path) -> None:
    long = build.build_many_pages(tmp_path / "long.pdf", pages=2000)  # about 1.5 s
    good = build.build_text_pdf(tmp_path / "good.pdf")
    limits = Limits(seconds=0.5, memory_mb=512)
    started = send_ahead([_job(long), _job(good)], limits, None)
    assert started is not None
    stopped = head_start.claim(_job(long), limits, None)
    assert stopped is not None
    with pytest.raises(TimeLimitError):
        stopped.take_over()
    ahead = head_start.claim(_job(good), limits, None)
    assert ahead is not None  # read ahead all the same, by a fresh worker
    outcome = ahead.take_over()
    assert outcome is not None and outcome[0].paper.title == build.DEFAULT_TITLE


def test_only_an_equal_job_is_taken_over_and_the_rest_is_stopped(tmp_path: Path) -> None:
    good = build.build_text_pdf(tmp_path / "good.pdf")
    started = send_ahead([_job(good)], LIMITS, None)
    assert started is not None
    assert head_start.claim(_job(good), Limits(seconds=30, memory_mb=512), None) is None
    assert head_start.claim(_job(good, sha256="1" * 64), LIMITS, None) is None
    assert head_start.claim(_job(good), LIMITS, tmp_path) is None  # another log folder
    head_start.close()  # the flow is done and never took it over
    assert _gone(started.worker_pid)
    assert head_start.claim(_job(good), LIMITS, None) is None


def _planned(name: str, sha: str, url: str = "") -> PlannedPaper:
    entry = SourceEntry(file=name, url=url) if url else None
    return PlannedPaper(Path("raw") / name, sha * 64, entry)


def test_only_papers_the_flow_will_surely_extract_are_sent_ahead() -> None:
    a, b, c = _planned("a.pdf", "a"), _planned("b.pdf", "b"), _planned("c.pdf", "c")
    jobs = jobs_ahead([a, b, c], [a, b, c], Path("curated"))
    assert [job.source.path.name for job in jobs] == ["a.pdf", "b.pdf", "c.pdf"]
    assert all(job.curated_dir == Path("curated") for job in jobs)
    assert jobs[0].source.sha256 == "a" * 64
    # the cache holds b: not read, and the papers after it still go
    assert [j.source.path.name for j in jobs_ahead([a, b, c], [a, c], Path("c"))] == [
        "a.pdf", "c.pdf"]
    # a source with a URL may be pulled anew: nothing from it on
    pulled = _planned("b.pdf", "b", url="https://example.org/b.pdf")
    assert [j.source.path.name for j in jobs_ahead([a, pulled, c], [a, pulled, c],
                                                   Path("c"))] == ["a.pdf"]
    # copies of one file: the flow decides which is read
    copy = _planned("b-copy.pdf", "a")
    assert jobs_ahead([a, copy, c], [a, copy, c], Path("c")) == []
