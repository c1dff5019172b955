"""The end-of-run summary: papers, tables, records, issues, failures, release."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from litcurate.extractors.stage_chain import PaperExtraction
from litcurate.pipeline.flow import RunSummary
from litcurate.pipeline.run_report import counted, record_counts, release_line, totals_line
from litcurate.schemas import Severity


def _errors(extraction: PaperExtraction) -> int:
    return sum(1 for issue in extraction.issues if issue.severity == Severity.ERROR)


def _paper_counts(extraction: PaperExtraction) -> tuple[str, str, str, str, str]:
    """Pages, tables, outcomes, statements and issues (with errors) of one paper."""
    issues = extraction.issues
    errors = _errors(extraction)
    return (str(extraction.paper.pages), str(len(extraction.tables)),
            str(len(extraction.outcomes)), str(len(extraction.statements)),
            f"{len(issues)} ({errors} errors)" if errors else str(len(issues)))


def _paper_line(extraction: PaperExtraction) -> str:
    """One paper's counts as words ("16 pages, 1 table, ...")."""
    errors = _errors(extraction)
    return (f"{counted(extraction.paper.pages, 'page')}, {record_counts(extraction)}, "
            f"{counted(len(extraction.issues), 'issue')}"
            + (f" ({counted(errors, 'error')})" if errors else ""))


def _papers_table(summary: RunSummary) -> Table:
    """The per-paper table for a terminal; file names fold, never cut."""
    table = Table(title="litcurate run", show_lines=False)
    for column in ("paper", "pages", "tables", "outcomes", "statements", "issues"):
        table.add_column(column, justify="left" if column == "paper" else "right",
                         overflow="fold" if column == "paper" else "ellipsis")
    for extraction in summary.extractions:
        table.add_row(escape(extraction.paper.file_name), *_paper_counts(extraction))
    for failure in summary.failures:
        table.add_row(f"[red]{escape(failure.file_name)}[/]", "-", "-", "-", "-",
                      "[red]failed[/]")
    return table


def print_summary(console: Console, summary: RunSummary, curated: Path) -> None:
    """Print what the run did, one line per paper and the release at the end."""
    if console.is_terminal:
        console.print(_papers_table(summary))
    else:  # a pipe or a log: one whole line per paper, nothing cut to fit 80 columns
        for extraction in summary.extractions:
            console.print(f"{extraction.paper.file_name}: {_paper_line(extraction)}",
                          markup=False)
        for failure in summary.failures:
            console.print(f"{failure.file_name}: failed", markup=False)
    console.print(totals_line(summary), markup=False)
    for failure in summary.failures:
        kept = ("; its records from the last release are kept"
                if failure.file_name in summary.carried_over else "")
        console.print(f"[red]failed[/] {escape(failure.file_name)}: {escape(failure.reason)}"
                      f"{kept}")
    for notice in summary.notices:
        console.print(f"[yellow]note[/] {escape(notice)}", highlight=False)
    for orphan in summary.orphaned:
        console.print(f"[yellow]warning[/] {escape(orphan.message)}",
                      highlight=False)
    corrections = [c for e in summary.extractions for c in e.corrections]
    if corrections:
        stale = [c for c in corrections if c.status == "stale"]
        console.print(f"corrections: {len(corrections) - len(stale)} applied, {len(stale)} stale")
        for extraction in summary.extractions:
            for issue in extraction.issues:
                if issue.rule == "stale-correction":
                    console.print(f"[yellow]stale correction[/] "
                                  f"{escape(extraction.paper.file_name)}: "
                                  f"{escape(issue.message)}", highlight=False, markup=True)
    console.print(release_line(summary.publish), markup=False)
