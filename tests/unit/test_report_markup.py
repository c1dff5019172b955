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
