"""Release diffs: records matched by id, fields old -> new, the bump they imply."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from litcurate.pipeline.cli.app import app
from litcurate.pipeline.release.diffing import diff_release_dirs, to_json, to_markdown
from litcurate.pipeline.release.publish import publish_release
from litcurate.pipeline.release.versioning import Bump
from tests.unit.test_release_format import outcome, records


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
    assert text.startswith("## Dataset changes: 1.0.0 -> 1.0.1")
    assert "Implied bump: **patch**" in text
    assert "| outcomes | 0 | 0 | 1 |" in text
    assert "| `p:table-1:ho-2007:tae:tumour_response` | value | `45` | `54` |" in text


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
    for fmt, needle in (("markdown", "| value | `45` | `54` |"), ("json", '"new": "54"'),
                        ("terminal", "patch change")):
        result = runner.invoke(app, ["diff", "1.0.0", "1.0.1", "--curated", str(tmp_path),
                                     "--format", fmt])
        assert result.exit_code == 0, result.output
        assert needle in result.output
    missing = runner.invoke(app, ["diff", "1.0.0", "9.9.9", "--curated", str(tmp_path)])
    assert missing.exit_code == 2 and "9.9.9" in missing.output
