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
from litcurate.pipeline.release.publish import publish_release
from litcurate.schemas import Paper
from litcurate.schemas.resources import RESOURCES_BY_NAME, record_to_row
from tests.unit.test_release_format import SHA, outcome, records

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

    publish_release(records(outcome(45.0)), tmp_path)  # LATEST, checked against
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
    assert len(bad.output.strip().splitlines()) == 1 and "pydantic" not in bad.output
    # a second correction of the same field would leave one of the two stale
    twice = runner.invoke(app, [*base, "--set", "value=55", "--from", "45"])
    assert twice.exit_code == 2 and "correction 1 in the file already sets value" in " ".join(
        twice.output.split())
    # a forgotten '=' would have blanked the value
    blank = runner.invoke(app, [*base, "--set", "n"])
    assert blank.exit_code == 2 and "--set takes FIELD=VALUE" in blank.output
    assert len(load_corrections(tmp_path / "corrections" / "p.yaml")) == 2


def test_cli_correct_takes_the_papers_file_name(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from litcurate.pipeline.cli.app import app

    publish_release(records(outcome(45.0)), tmp_path)
    ok = CliRunner().invoke(app, ["correct", "p.pdf", "--id", ID, "--set", "value=54",
                                  "--by", "A. Curator", "--reason", "r", "--curated",
                                  str(tmp_path)])
    assert ok.exit_code == 0, ok.output
    assert len(load_corrections(tmp_path / "corrections" / "p.yaml")) == 1


def test_two_corrections_to_one_record_and_field_get_distinct_ids() -> None:
    twice = [entry(by="A. Curator"), entry(by="B. Curator"), entry(by="A. Curator")]
    result = apply_corrections(extraction(), twice)
    ids = [c.correction_id for c in result.corrections]
    assert len(set(ids)) == 3
    assert ids[1:] == [f"{ids[0]}:2", f"{ids[0]}:3"]  # the first keeps its usual id


@pytest.mark.parametrize(("options", "why"), [
    (["--id", "p:nowhere", "--set", "value=54"], "has no outcomes record 'p:nowhere'"),
    (["--id", ID, "--set", "value=54", "--from", "44"], "is '45' in release 1.0.0, not '44'"),
    (["--id", ID, "--set", "value=forty-five"], "value='forty-five' does not validate"),
    (["--id", ID, "--set", "n=-"], "n='-' does not validate"),
    (["--id", ID, "--exclude", "--resource", "statements"], "has no statements record"),
])
def test_cli_correct_refuses_what_would_not_apply_to_latest(
        tmp_path: Path, options: list[str], why: str) -> None:
    from typer.testing import CliRunner

    from litcurate.pipeline.cli.app import app

    publish_release(records(outcome(45.0)), tmp_path)
    refused = CliRunner().invoke(app, ["correct", "p", *options, "--by", "A. Curator",
                                       "--reason", "misread", "--curated", str(tmp_path)])
    assert refused.exit_code == 2
    assert why in " ".join(refused.output.split())
    assert not (tmp_path / "corrections" / "p.yaml").exists()


def test_cli_correct_needs_a_release_to_check_against(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from litcurate.pipeline.cli.app import app

    refused = CliRunner().invoke(app, ["correct", "p", "--id", ID, "--exclude", "--by", "me",
                                       "--reason", "r", "--curated", str(tmp_path)])
    assert refused.exit_code == 2 and "no LATEST" in refused.output


def test_a_stale_correction_is_flagged_on_the_correction_itself() -> None:
    gone = entry(id="p:gone")
    result = apply_corrections(extraction(), [gone])
    (issue,) = [i for i in result.issues if i.rule == "stale-correction"]
    assert issue.record_id == result.corrections[0].correction_id == gone.correction_id("p")


def _with_statements() -> PaperExtraction:
    from litcurate.schemas import Statement
    from litcurate.schemas.issue_catalogue import make_issue

    found = extraction()
    found.statements = [Statement(
        statement_id=f"p:s:{n}", paper_id="p", text=f"It is recommended in case {n}.",
        direction="recommended", char_start=0, char_end=20, page=1, x0=1, top=1, x1=2,
        bottom=2) for n in (1, 2)]
    found.issues = [make_issue("statement-without-intervention", record_id=f"p:s:{n}",
                               paper_id="p", what="no intervention recognised in",
                               text="It is recommended.") for n in (1, 2)]
    return found


def test_a_corrected_intervention_settles_the_statements_flag() -> None:
    """Only the corrected record's flag goes, and only for a field that answers it."""
    fixed = entry(resource="statements", id="p:s:1", field="intervention", to="octreotide")
    result = apply_corrections(_with_statements(), [fixed])
    assert [i.record_id for i in result.issues] == ["p:s:2"]
    assert result.statements[0].intervention == "octreotide"
    other = entry(resource="statements", id="p:s:1", field="strength", to="Grade A")
    assert len(apply_corrections(_with_statements(), [other]).issues) == 2


def test_an_excluded_record_takes_its_flags_with_it() -> None:
    gone = entry(resource="statements", id="p:s:2", action="exclude", field="", to="")
    result = apply_corrections(_with_statements(), [gone])
    assert [s.statement_id for s in result.statements] == ["p:s:1"]
    assert [i.record_id for i in result.issues] == ["p:s:1"]


def test_cli_correct_keeps_the_curators_comments(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from litcurate.pipeline.cli.app import app

    publish_release(records(outcome(45.0), outcome(30.0, "p:other")), tmp_path)
    path = tmp_path / "corrections" / "p.yaml"
    path.parent.mkdir()
    kept = ("# Checked against the primary papers, A. Curator\n"
            "- resource: outcomes\n  id: 'p:other'  # the control arm\n  action: exclude\n"
            "  by: A. Curator\n  reason: duplicate of table 2\n  date: 2026-11-24\n")
    path.write_text(kept, encoding="utf-8")
    ok = CliRunner().invoke(app, ["correct", "p", "--id", ID, "--set", "value=54", "--from",
                                  "45", "--by", "B. Curator", "--reason", "misread",
                                  "--curated", str(tmp_path)])
    assert ok.exit_code == 0 and "added correction 2" in ok.output, ok.output
    text = path.read_text(encoding="utf-8")
    assert text.startswith(kept)  # comments, quoting and order as the curator left them
    assert [e.action for e in load_corrections(path)] == ["exclude", "set"]
    path.write_text("[]\n", encoding="utf-8")  # a flow-style list takes no appended entry
    again = CliRunner().invoke(app, ["correct", "p", "--id", ID, "--set", "value=54",
                                     "--by", "B. Curator", "--reason", "misread",
                                     "--curated", str(tmp_path)])
    assert again.exit_code == 0, again.output
    assert [e.to for e in load_corrections(path)] == ["54"]


def test_a_correction_cannot_move_a_record_or_add_one_for_another_paper() -> None:
    with pytest.raises(ValueError, match="names the record itself"):
        entry(field="outcome_id", to="q:table-1:x:all:n")
    with pytest.raises(ValueError, match="names the record itself"):
        entry(field="paper_id", to="q")
    other = record_to_row(RESOURCES_BY_NAME["outcomes"], outcome(1.0, "q:table-1:x:all:n"))
    foreign = apply_corrections(extraction(), [entry(
        action="add", id="", field="", to="", record={**other, "paper_id": "q"})])
    unprefixed = apply_corrections(extraction(), [entry(
        action="add", id="", field="", to="", record={**other, "paper_id": "p"})])
    assert [c.status for c in (*foreign.corrections, *unprefixed.corrections)] == ["stale"] * 2
    assert "names paper 'q', not 'p'" in foreign.issues[-1].message
    assert "must start with 'p:'" in unprefixed.issues[-1].message
    assert [o.outcome_id for o in foreign.outcomes] == [ID, "p:other"]
