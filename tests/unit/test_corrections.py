"""Curators' corrections: applied by stable id, stale ones reported, bad files named."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from litcurate.extractors.stage_chain import PaperExtraction
from litcurate.pipeline.corrections import (
    CorrectionEntry,
    CorrectionsError,
    apply_corrections,
    load_corrections,
)
from litcurate.schemas import Paper
from tests.unit.test_release_format import SHA, outcome

ID = "p:table-1:ho-2007:tae:tumour_response"


def extraction() -> PaperExtraction:
    paper = Paper(paper_id="p", file_name="p.pdf", sha256=SHA, pages=3, extractor_version="t")
    return PaperExtraction(paper=paper, outcomes=[outcome(45.0), outcome(30.0, "p:other")])


def entry(**fields: object) -> CorrectionEntry:
    base = {"resource": "outcomes", "id": ID, "action": "set", "field": "value", "to": "54",
            "by": "A. Curator", "reason": "misread digit", "date": dt.date(2026, 11, 24)}
    return CorrectionEntry.model_validate({**base, **fields})


def test_a_set_is_applied_and_recorded() -> None:
    result = apply_corrections(extraction(), [entry(**{"from": "45"})])
    assert next(o for o in result.outcomes if o.outcome_id == ID).value == 54.0
    (record,) = result.corrections
    assert (record.status, record.old_value, record.value, record.author) == (
        "applied", "45", "54", "A. Curator")


def test_a_changed_source_value_makes_the_correction_stale() -> None:
    result = apply_corrections(extraction(), [entry(**{"from": "44"})])
    assert next(o for o in result.outcomes if o.outcome_id == ID).value == 45.0
    assert result.corrections[0].status == "stale"
    (issue,) = [i for i in result.issues if i.rule == "stale-correction"]
    assert "value is now '45', not '44'" in issue.message


def test_a_vanished_target_is_stale_not_dropped() -> None:
    result = apply_corrections(extraction(), [entry(id="p:gone")])
    assert result.corrections[0].status == "stale"
    assert any("no longer exists" in i.message for i in result.issues)


def test_exclude_removes_and_add_inserts_a_record() -> None:
    added = outcome(12.0, "p:added").model_dump(mode="json")
    result = apply_corrections(extraction(), [
        entry(action="exclude", field="", to=""),
        entry(action="add", id="", field="", to="", record=added)])
    ids = sorted(o.outcome_id for o in result.outcomes)
    assert ids == ["p:added", "p:other"]
    assert [c.status for c in result.corrections] == ["applied", "applied"]


def test_an_invalid_value_is_stale_and_changes_nothing() -> None:
    result = apply_corrections(extraction(), [entry(to="forty-five")])
    assert result.corrections[0].status == "stale"
    assert next(o for o in result.outcomes if o.outcome_id == ID).value == 45.0


def test_a_bad_file_is_named_with_the_entry_and_field(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("- resource: outcomes\n  id: x\n  action: set\n  field: nope\n"
                    "  to: '1'\n  by: me\n  reason: r\n  date: 2026-11-24\n", encoding="utf-8")
    with pytest.raises(CorrectionsError, match=r"p.yaml: correction 1: .*'nope'"):
        load_corrections(path)
    assert load_corrections(tmp_path / "missing.yaml") == []


def test_cli_correct_appends_a_validated_entry(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from litcurate.pipeline.cli.app import app

    runner = CliRunner()
    base = ["correct", "p", "--id", ID, "--by", "A. Curator", "--reason", "misread",
            "--curated", str(tmp_path)]
    ok = runner.invoke(app, [*base, "--set", "value=54", "--from", "45"])
    assert ok.exit_code == 0, ok.output
    again = runner.invoke(app, [*base, "--exclude"])
    assert again.exit_code == 0, again.output
    entries = load_corrections(tmp_path / "corrections" / "p.yaml")
    assert [(e.action, e.field, e.to, e.from_) for e in entries] == [
        ("set", "value", "54", "45"), ("exclude", "", "", None)]
    bad = runner.invoke(app, [*base, "--set", "nope=1"])
    assert bad.exit_code == 2 and "not added" in bad.output
