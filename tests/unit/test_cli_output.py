"""What the command line prints and where it writes: whole lines as they happen, no name
cut to 80 columns, --version and -h, output files under out/, Prefect's telemetry off."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from litcurate import __version__
from litcurate.pipeline.cli.app import app
from tests.conftest import ROOT

LONG_NAME = "a-review-whose-file-name-is-much-longer-than-eighty-columns-of-a-log-file-2019.pdf"
CURATED = ROOT / "data" / "curated"


def test_version_and_short_help() -> None:
    runner = CliRunner()
    version = runner.invoke(app, ["--version"])
    assert version.exit_code == 0 and version.output.strip() == f"litcurate {__version__}"
    for arguments in (["-h"], ["diff", "-h"], ["correct", "-h"]):
        shown = runner.invoke(app, arguments)
        assert shown.exit_code == 0 and "Usage:" in shown.output, arguments


def test_progress_off_a_terminal_is_one_line_per_event_as_it_happens() -> None:
    from litcurate.pipeline.cli.live import live_progress
    from litcurate.pipeline.progress import emit

    out = io.StringIO()
    console = Console(file=out, width=80, force_terminal=False)
    with live_progress(console, [LONG_NAME, "other.pdf"]):
        emit(LONG_NAME, "read")
        assert out.getvalue() == f"{LONG_NAME}: read\n"  # already there, not at the end
        emit("other.pdf", "failed", "not a PDF (no %PDF- header)")
        emit("unlisted.pdf", "read")
        assert out.getvalue().splitlines() == [
            f"{LONG_NAME}: read", "other.pdf: failed not a PDF (no %PDF- header)"]


def test_progress_bars_on_a_narrow_terminal_fold_names_and_never_cut_them() -> None:
    from litcurate.pipeline.cli.live import progress_bars

    console = Console(file=io.StringIO(), width=80, record=True, force_terminal=True,
                      color_system=None)
    progress, _ = progress_bars(console, [LONG_NAME, "other.pdf"])
    for row in progress.task_ids:
        progress.start_task(row)
    progress.update(progress.task_ids[0], completed=6,
                    status="done 3 tables, 285 outcomes, 39 statements, 57 issues")
    console.print(progress.make_tasks_table(progress.tasks))
    lines = console.export_text().splitlines()
    bar = lines[0].index("━")  # where the name column ends
    assert "".join(line[:bar].strip() for line in lines) == LONG_NAME + "other.pdf"
    status = " ".join(line[bar:].replace("━", " ").split("0:00:00")[0].strip()
                      for line in lines)
    assert "done 3 tables, 285 outcomes, 39 statements, 57 issues" in " ".join(status.split())
    assert sum("0:00:00" in line for line in lines) == 2  # the elapsed time of both rows


def test_a_papers_clock_runs_from_its_first_stage_until_it_is_done_or_failed() -> None:
    import logging

    from litcurate.pipeline.cli.live import progress_bars
    from litcurate.pipeline.progress import ProgressEvent

    console = Console(file=io.StringIO(), width=120, force_terminal=True, color_system=None)
    progress, handler = progress_bars(console, ["waiting.pdf", "broken.pdf", "good.pdf"])

    def event(paper: str, stage: str) -> None:
        record = logging.LogRecord("p", logging.INFO, "", 0, "", None, None)
        record.event = ProgressEvent(paper, stage)
        handler.emit(record)

    event("broken.pdf", "read")
    event("broken.pdf", "failed")
    event("good.pdf", "read")
    event("good.pdf", "done")
    waiting, broken, good = progress.tasks
    assert not waiting.started and waiting.elapsed is None  # shown as -:--:--
    assert broken.started and broken.stop_time is not None  # its clock has stopped
    assert good.started and good.finished


def test_a_paper_read_ahead_shows_it_is_extracted_until_the_flow_records_it() -> None:
    import logging

    from litcurate.pipeline.cli.live import progress_bars
    from litcurate.pipeline.progress import STAGES, ProgressEvent

    console = Console(file=io.StringIO(), width=120, force_terminal=True, color_system=None)
    progress, handler = progress_bars(console, ["ahead.pdf"])

    def event(stage: str) -> None:
        record = logging.LogRecord("p", logging.INFO, "", 0, "", None, None)
        record.event = ProgressEvent("ahead.pdf", stage, "1 table")
        handler.emit(record)

    event("validate")
    event("extracted")
    (ahead,) = progress.tasks
    assert ahead.fields["status"] == "extracted"
    assert STAGES.index("validate") < ahead.completed < len(STAGES) and not ahead.finished
    event("done")
    assert ahead.finished


def test_a_paper_read_ahead_of_the_flow_never_moves_back() -> None:
    """The flow's fingerprint of a paper the command read ahead comes after its stages."""
    from litcurate.pipeline.cli.live import live_progress
    from litcurate.pipeline.progress import emit

    out = io.StringIO()
    console = Console(file=out, width=80, force_terminal=False)
    with live_progress(console, ["ahead.pdf", "later.pdf"]):
        for stage in ("read", "tables", "validate"):
            emit("ahead.pdf", stage)  # the command's head start
        emit("ahead.pdf", "extracted", "3 tables")
        for paper in ("ahead.pdf", "later.pdf"):
            emit(paper, "fingerprint")  # the flow plans every paper
        emit("ahead.pdf", "read")
        emit("ahead.pdf", "done", "3 tables")
        emit("later.pdf", "read")
    assert out.getvalue().splitlines() == [
        "ahead.pdf: read", "ahead.pdf: tables", "ahead.pdf: validate",
        "ahead.pdf: extracted 3 tables", "later.pdf: fingerprint", "ahead.pdf: done 3 tables",
        "later.pdf: read"]


def test_run_summary_off_a_terminal_keeps_whole_names_and_paths(
        capsys: pytest.CaptureFixture[str]) -> None:
    from litcurate.extractors.stage_chain import PaperExtraction
    from litcurate.pipeline.cli.common import console
    from litcurate.pipeline.cli.report import print_summary
    from litcurate.pipeline.flow import RunSummary
    from litcurate.pipeline.release.publish import PublishResult
    from litcurate.pipeline.release.versioning import Bump
    from litcurate.schemas import Paper

    summary = RunSummary()
    summary.extractions.append(PaperExtraction(paper=Paper(
        paper_id="p", file_name=LONG_NAME, sha256="a" * 64, pages=3, extractor_version="t")))
    where = Path("/data") / ("very-long-dataset-home-" * 4) / "releases" / "1.0.0"
    summary.publish = PublishResult("1.0.0", None, Bump.MAJOR, where)
    print_summary(console, summary, where.parent.parent)
    lines = capsys.readouterr().out.splitlines()
    assert f"{LONG_NAME}: 3 pages, 0 tables, 0 outcomes, 0 statements, 0 issues" in lines
    assert f"published release 1.0.0 (major) -> {where}" in lines


def test_pages_and_pictures_go_under_out_by_default(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    review = runner.invoke(app, ["review", "dermine2019_review.pdf", "--curated", str(CURATED),
                                 "--raw", str(tmp_path)])  # no PDF: the page says so
    assert review.exit_code == 0, review.output
    diff = runner.invoke(app, ["diff", "5.0.0", "6.0.0", "--format", "html",
                               "--curated", str(CURATED), "--raw", str(tmp_path)])
    assert diff.exit_code == 0, diff.output
    pdf = ROOT / "tests" / "fixtures" / "tables" / "chromium" / "borderless.pdf"
    inspect = runner.invoke(app, ["inspect", str(pdf), "--resolution", "30"])
    assert inspect.exit_code == 0, inspect.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "borderless.page1.png", "diff-5.0.0-6.0.0.html", "review-dermine2019_review.html"]
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "/out/" in ignored and "`out/`" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_prefect_telemetry_is_off() -> None:
    from litcurate.pipeline.environment import configure_prefect

    env: dict[str, str] = {"LITCURATE_HOME": "/nonexistent-home-for-a-test"}
    env["PREFECT_HOME"] = str(Path(io.__file__).parent)  # exists: nothing is created
    configure_prefect(env)
    assert env["DO_NOT_TRACK"] == "1"  # the client's telemetry and first-run notice
    assert env["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"


@pytest.mark.parametrize("published", [False, True])
def test_ctrl_c_during_a_run_says_whether_anything_was_published(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, published: bool) -> None:
    from litcurate.pipeline.cli import run_commands

    raw, curated = tmp_path / "raw", tmp_path / "curated"
    raw.mkdir()
    curated.mkdir()
    (curated / "LATEST").write_text("1.0.0\n")

    def interrupted(*_: object) -> None:
        if published:  # the interrupt came after the release was out
            (curated / "LATEST").write_text("1.1.0\n")
        raise KeyboardInterrupt

    monkeypatch.setattr(run_commands, "_run", interrupted)
    result = CliRunner().invoke(app, ["run", "--raw", str(raw), "--curated", str(curated)])
    assert result.exit_code == 130
    said = " ".join(result.output.split())
    if published:
        assert "interrupted: release 1.1.0 had already been published" in said
    else:
        assert "interrupted: nothing was published; LATEST is still 1.0.0" in said
    assert "Traceback" not in result.output


def test_progress_lists_the_sources_still_to_be_pulled_and_the_missing(tmp_path: Path) -> None:
    from litcurate.pipeline.cli.run_commands import paper_names

    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4\n")
    (tmp_path / "sources.yaml").write_text(
        "papers:\n- file: b.pdf\n  url: https://example.org/b.pdf\n"
        "- file: gone.pdf\n  title: Listed, but neither here nor to be pulled\n")
    assert paper_names(tmp_path) == ["a.pdf", "b.pdf", "gone.pdf"]  # gone.pdf fails as missing


def test_a_folder_given_for_a_pdf_is_named_as_a_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["extract", str(tmp_path), "--out", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert f"{tmp_path}: is a folder; give one PDF file" in " ".join(result.output.split())
    missing = CliRunner().invoke(app, ["extract", str(tmp_path / "gone.pdf"), "--out",
                                       str(tmp_path / "x")])
    assert missing.exit_code == 2 and "gone.pdf: no such file" in missing.output


def test_a_failed_paper_whose_records_are_kept_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    from litcurate.pipeline.cli.common import console
    from litcurate.pipeline.cli.report import print_summary
    from litcurate.pipeline.execution.paper_job import PaperFailure
    from litcurate.pipeline.flow import RunSummary

    summary = RunSummary()
    summary.failures = [PaperFailure("b.pdf", "listed in sources.yaml but not in raw/",
                                     "missing-file"), PaperFailure("c.pdf", "not a PDF",
                                                                   "not-a-pdf")]
    summary.carried_over = ["b.pdf"]
    print_summary(console, summary, Path("curated"))
    said = " ".join(capsys.readouterr().out.split())
    assert ("failed b.pdf: listed in sources.yaml but not in raw/; its records from the last "
            "release are kept") in said
    assert "failed c.pdf: not a PDF no release" in said  # nothing kept for c.pdf


@pytest.mark.parametrize(("arguments", "said"), [
    (["extract", "PDF", "--out", "FILE"], "is a file; give a folder for the CSV files"),
    (["inspect", "PDF", "--resolution", "-5"], "Invalid value for '--resolution'"),
    (["inspect", "PDF", "--out", "page.jpg"], "inspect writes a PNG; give a .png name"),
    (["add", "file:///tmp/x.pdf"], "not a file: URL; give the file's path"),
    (["add", "ftp://host/x.pdf"], "add takes an http(s) URL or a local file path, not a ftp:"),
])
def test_options_that_cannot_work_are_refused_in_one_line(tmp_path: Path, arguments: list[str],
                                                          said: str) -> None:
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    (tmp_path / "taken").write_text("x")
    named = [{"PDF": str(pdf), "FILE": str(tmp_path / "taken")}.get(a, a) for a in arguments]
    result = CliRunner().invoke(app, [*named, *(["--raw", str(tmp_path / "raw")]
                                                if arguments[0] == "add" else [])])
    assert result.exit_code == 2, result.output
    assert said in " ".join(result.output.split())
    assert "Traceback" not in result.output and not (tmp_path / "raw").exists()


def test_a_corrections_file_not_applied_is_a_warning_in_the_summary(
        capsys: pytest.CaptureFixture[str]) -> None:
    from litcurate.pipeline.cli.common import console
    from litcurate.pipeline.cli.report import print_summary
    from litcurate.pipeline.flow import RunSummary
    from litcurate.schemas.issue_catalogue import make_issue

    summary = RunSummary()
    summary.orphaned = [make_issue("orphan-corrections", record_id="corrections/x.yml",
                                   file="corrections/x.yml",
                                   why="corrections files are named PAPER_ID.yaml")]
    print_summary(console, summary, Path("curated"))
    said = " ".join(capsys.readouterr().out.split())
    assert ("warning corrections/x.yml was not applied: corrections files are named "
            "PAPER_ID.yaml") in said
    assert "issues: 1" in said  # counted with the run's own issues
