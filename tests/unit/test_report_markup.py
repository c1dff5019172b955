"""Text from PDFs, URLs and servers is printed as it is, never read as console markup."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from litcurate.pipeline.cli.report import print_summary
from litcurate.pipeline.execution.paper_job import PaperFailure
from litcurate.pipeline.flow import RunSummary


def test_brackets_in_a_failure_and_a_notice_are_printed_literally() -> None:
    summary = RunSummary()
    reason = "x[/].pdf: http://h/[/]x[bold].pdf unreachable"
    summary.failures.append(PaperFailure("x[/].pdf", reason, "source-unreachable"))
    summary.notices.append("y[/red].pdf: went on with the local copy")
    out = io.StringIO()
    print_summary(Console(file=out, width=300, color_system=None), summary, Path("curated"))
    printed = out.getvalue()
    assert f"failed x[/].pdf: {reason}" in printed
    assert "note y[/red].pdf: went on with the local copy" in printed


def test_a_command_failing_on_a_name_with_brackets_says_so_without_a_traceback(
        tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from litcurate.pipeline.cli.app import app

    (tmp_path / "sources.yaml").write_text('papers:\n  - file: "[/]x.pdf"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["run", "--raw", str(tmp_path), "--curated",
                                      str(tmp_path / "curated")])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output
    said = " ".join(result.output.split())
    assert "papers.0.file: file name '[/]x.pdf' contains a path separator" in said
    assert not (tmp_path / "curated").exists()  # refused before Prefect started


def test_verify_prints_a_problem_with_brackets_as_it_is(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from litcurate.pipeline.cli.app import app
    from litcurate.pipeline.release.publish import publish_release
    from tests.unit.test_release_format import outcome, records

    release = publish_release(records(outcome()), tmp_path).path
    assert release is not None
    manifest = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    manifest["resources"][0]["path"] = "[/]papers[bold].csv"
    (release / "datapackage.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = CliRunner().invoke(app, ["verify", "--curated", str(tmp_path)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "FAIL [/]papers[bold].csv" in result.output
