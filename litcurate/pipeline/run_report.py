"""What a run did, as text: the lines of its summary, one line for a terminal, and the
Markdown report a served run attaches to itself in the Prefect UI.

Pure functions over a ``RunSummary``, so the terminal summary of ``litcurate run``,
the run logger and the artifact all say the same thing in the same words.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from litcurate.pipeline.release.publish import PublishResult

if TYPE_CHECKING:  # the flow module imports this one
    from litcurate.extractors.stage_chain import PaperExtraction
    from litcurate.pipeline.flow import RunSummary

REPORT_KEY = "litcurate-run-report"  # the artifact's key: the UI lists its versions together


def counted(number: int, noun: str) -> str:
    """``number`` and ``noun`` ("table"), plural unless there is exactly one."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def record_counts(extraction: PaperExtraction) -> str:
    """A paper's tables, outcomes and statements as words ("3 tables, 1 outcome, ...")."""
    return ", ".join(counted(len(records), noun) for records, noun in (
        (extraction.tables, "table"), (extraction.outcomes, "outcome"),
        (extraction.statements, "statement")))


def totals_line(summary: RunSummary) -> str:
    """Papers ok and failed, and the records this run found, on one line. Its issues are
    the papers' and the run's own (a failed file, a copy of another, a corrections file
    naming no paper), as the release lists them; records carried over from the last
    release are not this run's."""
    issues = (summary.count("issues") + len(summary.failures) + len(summary.duplicates)
              + len(summary.orphaned))
    return (f"papers: {len(summary.extractions)} ok, {len(summary.failures)} failed; "
            f"tables: {summary.count('tables')}; outcome records: {summary.count('outcomes')}; "
            f"statements: {summary.count('statements')}; issues: {issues}")


def release_line(result: PublishResult | None) -> str:
    """What became of the release: published (version, bump, folder), unchanged, or none."""
    if result is None:
        return "no release published"
    if result.version is None:
        return f"nothing to publish: the extraction equals release {result.previous}"
    return f"published release {result.version} ({result.bump.value}) -> {result.path}"


def summary_lines(summary: RunSummary) -> list[str]:
    """The run summary, one complete statement per line (for the run logger)."""
    lines = [totals_line(summary)]
    lines += [f"failed {f.file_name}: {f.reason}" for f in summary.failures]
    lines += [f"note {notice}" for notice in summary.notices]
    lines.append(release_line(summary.publish))
    return lines


def one_line(summary: RunSummary, run_name: str) -> str:
    """The whole run in one line: what a served deployment prints per run."""
    failed = ", ".join(f.file_name for f in summary.failures)
    papers = (f"{len(summary.extractions)} papers ok, {len(summary.failures)} failed"
              + (f" ({failed})" if failed else ""))
    return f"run {run_name}: {papers}; {release_line(summary.publish)}"


def _cell(text: object) -> str:
    """A Markdown table cell: pipes escaped, on one line."""
    return " ".join(str(text).split()).replace("|", "\\|")


def paper_rows(summary: RunSummary) -> list[tuple[str, str, str, str, str, str]]:
    """(paper, status, tables, outcomes, statements, issues) for every file of the run."""
    rows = []
    for extraction in summary.extractions:
        name = extraction.paper.file_name
        rows.append((name, "cached" if name in summary.cached else "extracted",
                     str(len(extraction.tables)), str(len(extraction.outcomes)),
                     str(len(extraction.statements)), str(len(extraction.issues))))
    for failure in summary.failures:
        status = ("failed (last release's records kept)"
                  if failure.file_name in summary.carried_over else "failed")
        rows.append((failure.file_name, status, "-", "-", "-", "-"))
    for copy, original in sorted(summary.duplicates.items()):
        rows.append((copy, f"same file as {original}", "-", "-", "-", "-"))
    return rows


def _changelog(result: PublishResult | None) -> list[str]:
    """The published release's CHANGELOG, its headings one level down."""
    if result is None or result.path is None or result.version is None:
        return []
    path = Path(result.path) / "CHANGELOG.md"
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8").strip()
    return ["", "### CHANGELOG", "",
            *("##" + line if line.startswith("#") else line for line in text.splitlines())]


def markdown_report(summary: RunSummary) -> str:
    """Per-paper table, failures with their reasons, notes, the release and its CHANGELOG."""
    lines = ["# litcurate run", "", _cell(totals_line(summary)), "",
             "| paper | status | tables | outcomes | statements | issues |",
             "|---|---|---|---|---|---|"]
    lines += ["| " + " | ".join(_cell(value) for value in row) + " |"
              for row in paper_rows(summary)]
    if summary.failures:
        lines += ["", "## Failures", ""]
        lines += [f"- **{_cell(f.file_name)}** ({f.slug}): {_cell(f.reason)}"
                  for f in summary.failures]
    if summary.notices:
        lines += ["", "## Notes", "", *(f"- {_cell(notice)}" for notice in summary.notices)]
    lines += ["", "## Release", "", _cell(release_line(summary.publish))]
    lines += _changelog(summary.publish)
    return "\n".join(lines) + "\n"
