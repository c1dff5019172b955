"""What a run tells about itself: the Markdown report a run attaches in the Prefect UI,
the one line a served deployment prints, and the logging that sends the run summary to
the API instead of over the terminal."""

from __future__ import annotations

from pathlib import Path

from litcurate.pipeline.execution.paper_job import PaperFailure
from litcurate.pipeline.flow import RunSummary
from litcurate.pipeline.release.publish import PublishResult
from litcurate.pipeline.release.versioning import Bump
from litcurate.pipeline.run_report import markdown_report, one_line, summary_lines


def _summary(tmp_path: Path) -> RunSummary:
    release = tmp_path / "releases" / "1.1.0"
    release.mkdir(parents=True)
    (release / "CHANGELOG.md").write_text(
        "# dataset 1.1.0\n\nChanges against 1.0.0 (minor release).\n\n| resource | rows |\n"
        "|---|---|\n| papers | 3 |\n", encoding="utf-8")
    summary = RunSummary()
    summary.failures = [PaperFailure("broken|name.pdf", "not a PDF (no %PDF- header)",
                                     "not-a-pdf"),
                        PaperFailure("slow.pdf", "took longer than 600 s", "time-limit")]
    summary.carried_over = ["slow.pdf"]
    summary.duplicates = {"copy.pdf": "slow.pdf"}
    summary.notices = ["slow.pdf: failed; its records from the last release are carried over"]
    summary.publish = PublishResult(version="1.1.0", previous="1.0.0", bump=Bump.MINOR,
                                    path=release)
    return summary


def test_the_report_lists_every_file_its_failures_and_the_release(tmp_path: Path) -> None:
    report = markdown_report(_summary(tmp_path))
    assert "| broken\\|name.pdf | failed | - | - | - | - |" in report  # the pipe escaped
    assert "| slow.pdf | failed (last release's records kept) |" in report
    assert "| copy.pdf | same file as slow.pdf |" in report
    assert "- **broken\\|name.pdf** (not-a-pdf): not a PDF (no %PDF- header)" in report
    assert "- **slow.pdf** (time-limit): took longer than 600 s" in report
    assert f"published release 1.1.0 (minor) -> {tmp_path / 'releases' / '1.1.0'}" in report
    # the release's CHANGELOG, its headings below the report's own
    assert "### CHANGELOG\n\n### dataset 1.1.0\n\nChanges against 1.0.0 (minor release)." in report
    assert "| papers | 3 |" in report


def test_a_run_that_published_nothing_says_so(tmp_path: Path) -> None:
    summary = _summary(tmp_path)
    summary.publish = PublishResult(version=None, previous="1.0.0", bump=Bump.NONE, path=None)
    report = markdown_report(summary)
    assert "nothing to publish: the extraction equals release 1.0.0" in report
    assert "CHANGELOG" not in report
    summary.publish = None
    assert "no release published" in markdown_report(summary)


def test_the_summary_and_the_served_line_name_the_failures(tmp_path: Path) -> None:
    summary = _summary(tmp_path)
    lines = summary_lines(summary)
    assert lines[0].startswith("papers: 0 ok, 2 failed;")
    assert lines[0].endswith("issues: 3")  # the two failures and the copy, as in issues.csv
    assert "failed slow.pdf: took longer than 600 s" in lines
    assert lines[-1].startswith("published release 1.1.0 (minor)")
    line = one_line(summary, "witty-fox")
    assert "\n" not in line
    assert line.startswith("run witty-fox: 0 papers ok, 2 failed (broken|name.pdf, slow.pdf); "
                           "published release 1.1.0 (minor)")


def test_run_logs_go_to_the_api_at_info_and_stay_off_the_terminal() -> None:
    from prefect.logging.configuration import load_logging_config

    from litcurate.pipeline.environment import LOGGING_CONFIG, PREFECT_DEFAULTS

    assert PREFECT_DEFAULTS["PREFECT_LOGGING_SETTINGS_PATH"] == str(LOGGING_CONFIG)
    config = load_logging_config(LOGGING_CONFIG)  # as Prefect reads it, settings filled in
    loggers = config["loggers"]
    assert loggers["prefect.flow_runs"] == {"level": "INFO", "handlers": ["api"],
                                            "propagate": False}
    assert loggers["prefect.task_runs"]["handlers"] == ["api"]
    assert loggers["prefect.task_runs"]["propagate"] is False
    assert config["handlers"]["api"]["class"] == "prefect.logging.handlers.APILogHandler"
    assert config["handlers"]["console"]["level"] == "WARNING"
    # a served run process that ends badly is still reported on the serve terminal
    assert loggers["prefect.flow_runs.runner"]["handlers"] == ["console"]
    # Prefect's senders' backlog notices stay off the terminal, their errors do not
    assert loggers["EventsWorker"]["level"] == loggers["APILogWorker"]["level"] == "ERROR"


def test_counts_read_as_words() -> None:
    from litcurate.pipeline.run_report import counted

    assert [counted(n, "table") for n in (0, 1, 2)] == ["0 tables", "1 table", "2 tables"]
