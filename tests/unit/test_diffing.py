"""Release diffs: records matched by id, fields old -> new, the bump they imply."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from litcurate.pipeline.cli.app import app
from litcurate.pipeline.release.diffing import diff_release_dirs, to_json, to_markdown
from litcurate.pipeline.release.publish import publish_release
from litcurate.pipeline.release.versioning import Bump, diff_rows
from litcurate.schemas import Cell, Issue, Severity
from litcurate.schemas.resources import RESOURCES_BY_NAME, record_to_row
from tests.unit.test_release_format import outcome, records

ID = "p:table-1:ho-2007:tae:tumour_response"


def two_releases(tmp_path: Path) -> tuple[Path, Path]:
    first = publish_release(records(outcome(45.0)), tmp_path).path
    second = publish_release(records(outcome(54.0)), tmp_path).path
    assert first is not None and second is not None
    return first, second


def test_a_corrected_value_is_a_patch_shown_old_to_new(tmp_path: Path) -> None:
    old, new = two_releases(tmp_path)
    diff = diff_release_dirs(old, new)
    (outcomes,) = [d for d in diff.diffs if d.changed]
    assert outcomes.name == "outcomes" and diff.bump == Bump.PATCH
    assert list(outcomes.changed.values()) == [{"value": ("45", "54"), "raw_text": ("45", "54")}]
    assert diff.implied_version == "1.0.1"


def test_markdown_reads_as_a_pull_request_comment(tmp_path: Path) -> None:
    text = to_markdown(diff_release_dirs(*two_releases(tmp_path)))
    assert text.startswith("## Dataset changes: `1.0.0` -> `1.0.1`")
    assert "Implied bump: **patch**" in text
    assert "| outcomes | 0 | 0 | 1 |" in text
    assert "| `p:table-1:ho-2007:tae:tumour_response` | `value` | `45` | `54` |" in text


def test_json_lists_every_change(tmp_path: Path) -> None:
    data = json.loads(to_json(diff_release_dirs(*two_releases(tmp_path))))
    outcomes = next(r for r in data["resources"] if r["name"] == "outcomes")
    assert outcomes["changed"] == [{"id": "p:table-1:ho-2007:tae:tumour_response",
                                    "fields": {"value": {"old": "45", "new": "54"},
                                               "raw_text": {"old": "45", "new": "54"}}}]
    assert data["bump"] == "patch"


def test_cli_diff_by_version_in_each_format(tmp_path: Path) -> None:
    two_releases(tmp_path)
    runner = CliRunner()
    for fmt, needle in (("markdown", "| `value` | `45` | `54` |"), ("json", '"new": "54"'),
                        ("terminal", "patch change")):
        result = runner.invoke(app, ["diff", "1.0.0", "1.0.1", "--curated", str(tmp_path),
                                     "--format", fmt])
        assert result.exit_code == 0, result.output
        assert needle in result.output
    missing = runner.invoke(app, ["diff", "1.0.0", "9.9.9", "--curated", str(tmp_path)])
    assert missing.exit_code == 2 and "9.9.9" in missing.output


def cell_rows(table: list[list[str]], table_id: str = "p:table-1") -> list[dict[str, str]]:
    """cells.csv rows of a grid given as texts (one box for all: only the texts matter)."""
    resource = RESOURCES_BY_NAME["cells"]
    return [record_to_row(resource, Cell(table_id=table_id, row=r, col=c, text=text, page=1,
                                         x0=0, top=0, x1=10, bottom=1))
            for r, row in enumerate(table) for c, text in enumerate(row)]


GRID = [["Study", "N", "OS"], ["Ho, 2007", "46", "23"], ["Ruutiainen, 2007", "67", "33"],
        ["Gupta, 2005", "123", "31"]]


def test_a_row_inserted_into_a_table_is_one_row_added_not_every_row_changed() -> None:
    cells = RESOURCES_BY_NAME["cells"]
    new_grid = [*GRID[:2], ["Roche, 2003", "14", "19"], *GRID[2:]]
    new_grid[4] = ["Gupta, 2005", "123", "32"]  # and one value corrected further down
    diff = diff_rows(cells, list(cells.columns), cell_rows(GRID), list(cells.columns),
                     cell_rows(new_grid))
    assert list(diff.added) == ["p:table-1 | 2 | 0", "p:table-1 | 2 | 1", "p:table-1 | 2 | 2"]
    assert diff.added["p:table-1 | 2 | 0"]["text"] == "Roche, 2003"
    assert diff.removed == {}
    assert diff.changed == {"p:table-1 | 4 | 2": {"text": ("31", "32")}}


def test_a_row_deleted_from_a_table_is_one_row_removed() -> None:
    cells = RESOURCES_BY_NAME["cells"]
    diff = diff_rows(cells, list(cells.columns), cell_rows(GRID), list(cells.columns),
                     cell_rows([GRID[0], *GRID[2:]]))
    assert sorted(diff.removed) == ["p:table-1 | 1 | 0", "p:table-1 | 1 | 1",
                                    "p:table-1 | 1 | 2"]
    assert diff.added == {} and diff.changed == {}


def test_an_issue_whose_message_changed_is_changed_not_added_and_removed() -> None:
    issues = RESOURCES_BY_NAME["issues"]
    old = [record_to_row(issues, warning("value 45 looks high"))]
    new = [record_to_row(issues, warning("value 54 looks high"))]
    diff = diff_rows(issues, list(issues.columns), old, list(issues.columns), new)
    assert diff.added == {} and diff.removed == {}
    assert diff.changed == {f"{ID} | percentage-out-of-range": {
        "message": ("value 45 looks high", "value 54 looks high")}}


def test_one_issue_more_of_a_rule_on_a_record_is_one_added_not_every_later_one_changed(
        ) -> None:
    """Prose checks put one issue per outcome on a table: the one that changed verdict is
    the one change, the others pair with their identical selves."""
    issues = RESOURCES_BY_NAME["issues"]
    old = [record_to_row(issues, warning(f"value of {m} looks high")) for m in ("os", "pfs")]
    new = [record_to_row(issues, warning(f"value of {m} looks high"))
           for m in ("dcr", "os", "pfs")]
    diff = diff_rows(issues, list(issues.columns), old, list(issues.columns), new)
    assert diff.changed == {} and diff.removed == {}
    assert [row["message"] for row in diff.added.values()] == ["value of dcr looks high"]
    fewer = diff_rows(issues, list(issues.columns), new, list(issues.columns), new[1:])
    assert fewer.changed == {} and fewer.added == {}
    assert [row["message"] for row in fewer.removed.values()] == ["value of dcr looks high"]


def warning(message: str) -> Issue:
    return Issue(record_id=ID, paper_id="p", severity=Severity.WARNING,
                 rule="percentage-out-of-range", message=message)


def excluded_and_warned(tmp_path: Path) -> tuple[Path, Path]:
    """1.0.0 has two outcomes; 1.1.0 lost one (excluded) and gained a warning."""
    first = publish_release(records(outcome(45.0), outcome(30.0, "p:other")), tmp_path).path
    second = publish_release({**records(outcome(45.0)), "issues": [warning("odd value")]},
                             tmp_path).path
    assert first is not None and second is not None
    return first, second


def test_removed_records_and_new_issues_are_listed_with_values_in_every_format(
        tmp_path: Path) -> None:
    from rich.console import Console

    from litcurate.pipeline.pages.diff_page import to_html
    from litcurate.pipeline.release.diffing import print_terminal

    old, new = excluded_and_warned(tmp_path)
    diff = diff_release_dirs(old, new)
    markdown = to_markdown(diff)
    assert "Removed (1):\n- `p:other`: `paper_id=p, table_id=p:table-1" in markdown
    assert "value=30" in markdown and "message=odd value" in markdown
    data = json.loads(to_json(diff))
    issues = next(r for r in data["resources"] if r["name"] == "issues")
    assert issues["added"][0]["values"]["message"] == "odd value"
    outcomes = next(r for r in data["resources"] if r["name"] == "outcomes")
    assert [(r["id"], r["values"]["value"]) for r in outcomes["removed"]] == [("p:other", "30")]
    console = Console(record=True, width=200)
    print_terminal(diff, console)
    terminal = console.export_text()
    assert "outcomes: 1 removed" in terminal and "issues: 1 added" in terminal
    assert "message=odd value" in terminal
    page = to_html(diff, old, new, [])
    assert "<h2>outcomes: 1 removed</h2>" in page and "<h2>issues: 1 added</h2>" in page
    assert "value=30" in page and "message=odd value" in page


def test_cli_diff_out_html_implies_the_html_format(tmp_path: Path) -> None:
    excluded_and_warned(tmp_path)
    page = tmp_path / "x.html"
    result = CliRunner().invoke(app, ["diff", "1.0.0", "1.1.0", "--curated", str(tmp_path),
                                      "--out", str(page)])
    assert result.exit_code == 0, result.output
    assert page.read_text(encoding="utf-8").startswith("<!doctype html>")
    unknown = CliRunner().invoke(app, ["diff", "1.0.0", "1.1.0", "--curated", str(tmp_path),
                                       "--out", str(tmp_path / "x.txt")])
    assert unknown.exit_code == 2 and not (tmp_path / "x.txt").exists()


def test_markdown_fits_a_pull_request_comment_and_says_where_the_rest_is(
        tmp_path: Path) -> None:
    from litcurate.pipeline.release import diffing

    old, new = excluded_and_warned(tmp_path)
    diff = diff_release_dirs(old, new)
    whole = to_markdown(diff)
    assert "<details><summary><b>outcomes</b>: 1 removed</summary>" in whole
    assert "stops here" not in whole
    head = whole.index("<details>")
    cut = to_markdown(diff, budget=head + 10)  # room for the summary table only
    assert len(cut) < len(whole) and "<details>" not in cut
    assert "`litcurate diff 1.0.0 1.1.0 --format json` lists every change" in cut
    long = diffing._shortened("x" * 1000)
    assert len(long) == diffing.MAX_VALUES and long.endswith("…")


def test_cli_diff_notes_releases_given_newest_first(tmp_path: Path) -> None:
    excluded_and_warned(tmp_path)
    base = ["--curated", str(tmp_path), "--format", "markdown"]
    swapped = CliRunner().invoke(app, ["diff", "1.1.0", "1.0.0", *base])
    assert swapped.exit_code == 0
    assert "1.1.0 is newer than 1.0.0" in " ".join(swapped.output.split())
    in_order = CliRunner().invoke(app, ["diff", "1.0.0", "LATEST", *base])
    assert in_order.exit_code == 0 and "newer" not in in_order.output
    assert "`1.0.0` -> `1.1.0`" in in_order.output
