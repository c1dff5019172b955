"""`litcurate inspect` draws what the table extractor saw on one page."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from litcurate.pipeline.cli.app import app
from tests.conftest import SAMPLE_PDF


def test_inspect_writes_a_png_and_names_the_tables(tmp_path: Path) -> None:
    out = tmp_path / "page7.png"
    result = CliRunner().invoke(app, ["inspect", str(SAMPLE_PDF), "--page", "7", "--out",
                                      str(out), "--resolution", "50"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:4] == b"\x89PNG"
    assert "Table 1 (27x12)" in result.output


def test_inspect_reports_a_page_out_of_range(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["inspect", str(SAMPLE_PDF), "--page", "99", "--out",
                                      str(tmp_path / "x.png")])
    assert result.exit_code == 1
    assert "page 99 out of range 1-16" in result.output
    assert not (tmp_path / "x.png").exists()
