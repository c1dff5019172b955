"""An unchanged corpus is not extracted again; a changed PDF alone is."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from litcurate.pipeline.cli.app import app
from tests import hostile_pdfs as build
from tests.conftest import BMC_PDF, SAMPLE_PDF, StageRecorder

pytestmark = pytest.mark.e2e
OTHER = Path(__file__).resolve().parents[1] / "fixtures" / "tables" / "chromium" / "borderless.pdf"


def test_only_changed_papers_are_extracted(tmp_path: Path, stages: StageRecorder,
                                           isolated_home: Path) -> None:
    raw, curated = tmp_path / "raw", tmp_path / "curated"
    raw.mkdir()
    shutil.copy(SAMPLE_PDF, raw / "a.pdf")
    shutil.copy(BMC_PDF, raw / "b.pdf")
    runner = CliRunner()
    first = runner.invoke(app, ["run", "--raw", str(raw), "--curated", str(curated)])
    assert first.exit_code == 0, first.output
    assert stages.papers_at("read") == ["a.pdf", "b.pdf"]  # read in their workers
    stages.events.clear()
    again = runner.invoke(app, ["run", "--raw", str(raw), "--curated", str(curated)])
    assert again.exit_code == 0, again.output
    assert stages.papers_at("read") == []  # nothing re-read, and the release is unchanged
    assert "nothing to publish" in " ".join(again.output.split())
    shutil.copy(OTHER, raw / "b.pdf")
    changed = runner.invoke(app, ["run", "--raw", str(raw), "--curated", str(curated)])
    assert changed.exit_code == 0, changed.output
    assert stages.papers_at("read") == ["b.pdf"]


def test_a_failed_file_is_not_read_again_until_it_changes(
        tmp_path: Path, stages: StageRecorder) -> None:
    from litcurate.pipeline.flow import curate

    raw, curated = tmp_path / "raw", tmp_path / "curated"
    raw.mkdir()
    build.build_text_pdf(raw / "good.pdf", title="Cached failures: a paper of this test only")
    build.build_truncated(raw / "broken.pdf")
    first = curate(raw_dir=raw, curated_dir=curated)
    assert [(f.file_name, f.slug) for f in first.failures] == [("broken.pdf", "corrupt-pdf")]
    assert stages.papers_at("read") == ["broken.pdf", "good.pdf"]
    stages.events.clear()
    again = curate(raw_dir=raw, curated_dir=curated)
    assert stages.papers_at("read") == []  # the failure is reported from the cache
    assert [(f.file_name, f.reason) for f in again.failures] == [
        (f.file_name, f.reason) for f in first.failures]
    assert again.publish is not None and again.publish.version is None  # same release
    retried = curate(raw_dir=raw, curated_dir=curated, retry_failed=True)
    assert stages.papers_at("read") == ["broken.pdf"]
    assert [f.file_name for f in retried.failures] == ["broken.pdf"]
    stages.events.clear()
    build.build_text_pdf(raw / "broken.pdf", title="Repaired at last")
    repaired = curate(raw_dir=raw, curated_dir=curated)
    assert stages.papers_at("read") == ["broken.pdf"]
    assert repaired.failures == []


def test_a_cold_run_takes_over_the_papers_it_sent_ahead(
        tmp_path: Path, stages: StageRecorder, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command hands the papers to a worker before the flow; the flow's tasks take
    them over (none is read twice) and the release is the one a plain run publishes."""
    from litcurate.pipeline.execution import head_start

    monkeypatch.setenv("LITCURATE_HOME", str(tmp_path / "home"))  # nothing cached
    raw = tmp_path / "raw"
    raw.mkdir()
    build.build_text_pdf(raw / "a.pdf")
    build.build_text_pdf(raw / "b.pdf", title="The second paper")
    taken: list[tuple[str, bool]] = []
    claim = head_start.claim

    def spy(*args: object) -> head_start.AheadJob | None:
        ahead = claim(*args)  # type: ignore[arg-type]
        taken.append((args[0].source.path.name, ahead is not None))  # type: ignore[attr-defined]
        return ahead

    monkeypatch.setattr(head_start, "claim", spy)
    result = CliRunner().invoke(app, ["run", "--raw", str(raw), "--curated",
                                      str(tmp_path / "curated"), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "papers: 2 ok, 0 failed" in " ".join(result.output.split())
    assert ("a.pdf", True) in taken  # the first paper is under way as the command starts
    assert sorted(name for name, _ in taken) == ["a.pdf", "b.pdf"]
    assert stages.papers_at("read") == ["a.pdf", "b.pdf"]  # each read once, in order
    monkeypatch.setattr(head_start, "send_ahead", lambda *_: None)  # the flow alone
    monkeypatch.setenv("LITCURATE_HOME", str(tmp_path / "home-plain"))  # nothing cached
    plain = CliRunner().invoke(app, ["run", "--raw", str(raw), "--curated",
                                     str(tmp_path / "plain"), "--workers", "1"])
    assert plain.exit_code == 0, plain.output
    assert [name for name, ahead in taken[2:] if ahead] == []
    ours, theirs = (tmp_path / home / "releases" / "1.0.0" for home in ("curated", "plain"))
    assert sorted(p.name for p in ours.iterdir()) == sorted(p.name for p in theirs.iterdir())
    for path in ours.iterdir():
        assert path.read_bytes() == (theirs / path.name).read_bytes(), path.name
