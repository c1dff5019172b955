"""An unchanged corpus is not extracted again; a changed PDF alone is."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from litcurate.pipeline.cli import app
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
