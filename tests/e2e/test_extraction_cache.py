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
