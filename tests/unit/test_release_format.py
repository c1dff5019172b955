"""Resources round-trip, versions bump by the Frictionless rules, releases are reproducible."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from litcurate.pipeline.release.publish import PublishError, latest_version, publish_release
from litcurate.pipeline.release.versioning import Bump, next_version
from litcurate.schemas import Outcome, Paper, ValueKind
from litcurate.schemas.loader import ReleaseError, file_sha256, load_release
from litcurate.schemas.resources import (
    RESOURCES_BY_NAME,
    format_number,
    record_to_row,
    row_to_record,
)

SHA = "a" * 64


def outcome(value: float = 45.0, outcome_id: str = "p:table-1:ho-2007:tae:tumour_response"
            ) -> Outcome:
    return Outcome(outcome_id=outcome_id, paper_id="p", table_id="p:table-1",
                   study_label="Ho, 2007", author="Ho", year=2007, n=46, group="TAE",
                   measure_id="tumour_response", value=value, kind=ValueKind.NUMBER, unit="%",
                   raw_text=f"{value:g}", row=14, col=8, flags=("mark:$", "pooled"),
                   page=7, x0=1.5, top=2.25, x1=3.0, bottom=4.0)


def records(*outcomes: Outcome) -> dict[str, list]:
    paper = Paper(paper_id="p", file_name="p.pdf", sha256=SHA, pages=3, extractor_version="t")
    return {"papers": [paper], "outcomes": list(outcomes)}


def test_record_round_trips_through_a_row() -> None:
    resource = RESOURCES_BY_NAME["outcomes"]
    original = outcome()
    row = record_to_row(resource, original)
    assert row["flags"] == "mark:$;pooled"
    assert row["value"] == "45"
    assert row_to_record(resource, row) == original


@pytest.mark.parametrize(("value", "text"), [(16.0, "16"), (22.5, "22.5"), (0.1 + 0.2, "0.3")])
def test_numbers_have_one_spelling(value: float, text: str) -> None:
    assert format_number(value) == text


@pytest.mark.parametrize(
    ("previous", "bump", "expected"),
    [(None, Bump.MAJOR, "1.0.0"), ("1.2.3", Bump.PATCH, "1.2.4"), ("1.2.3", Bump.MINOR, "1.3.0"),
     ("1.2.3", Bump.MAJOR, "2.0.0"), ("1.2.3", Bump.NONE, None)],
)
def test_next_version(previous: str | None, bump: Bump, expected: str | None) -> None:
    assert next_version(previous, bump) == expected


def test_first_release_is_1_0_0(tmp_path: Path) -> None:
    first = publish_release(records(outcome()), tmp_path)
    assert first.version == "1.0.0" and latest_version(tmp_path) == "1.0.0"


def test_no_change_publishes_nothing(tmp_path: Path) -> None:
    publish_release(records(outcome()), tmp_path)
    same = publish_release(records(outcome()), tmp_path)
    assert same.version is None and same.bump == Bump.NONE
    assert latest_version(tmp_path) == "1.0.0"


def test_corrected_values_only_are_a_patch(tmp_path: Path) -> None:
    publish_release(records(outcome()), tmp_path)
    corrected = publish_release(records(outcome(value=46.0)), tmp_path)
    assert corrected.version == "1.0.1" and corrected.bump == Bump.PATCH


def test_a_release_that_only_applies_a_correction_is_a_patch(tmp_path: Path) -> None:
    from litcurate.schemas import Correction, Issue, Severity

    flagged = Issue(record_id=outcome().outcome_id, paper_id="p", severity=Severity.WARNING,
                    rule="percentage-out-of-range", message="45 looks misread")
    publish_release({**records(outcome(45.0)), "issues": [flagged]}, tmp_path)
    fix = Correction(correction_id="p:correction:1", paper_id="p", resource="outcomes",
                     target=outcome().outcome_id, field="value", action="set",
                     old_value="45", value="54", author="A. Curator", reason="misread")
    corrected = publish_release({**records(outcome(54.0)), "corrections": [fix]}, tmp_path)
    assert corrected.version == "1.0.1" and corrected.bump == Bump.PATCH
    by_name = {d.name: d for d in corrected.diffs}  # a log row added, a warning cleared
    assert len(by_name["corrections"].added) == 1 and len(by_name["issues"].removed) == 1


def test_issues_that_come_and_go_without_a_correction_are_records(tmp_path: Path) -> None:
    from litcurate.schemas import Issue, Severity

    failed = Issue(record_id="broken.pdf", severity=Severity.ERROR, rule="not-a-pdf",
                   message="broken.pdf: not a PDF")
    publish_release({**records(outcome()), "issues": [failed]}, tmp_path)
    fixed = publish_release(records(outcome()), tmp_path)  # the file was removed
    assert fixed.version == "1.1.0" and fixed.bump == Bump.MINOR


def test_new_or_removed_records_are_a_minor(tmp_path: Path) -> None:
    publish_release(records(outcome()), tmp_path)
    grown = publish_release(records(outcome(), outcome(10.0, "p:t:x:y:z")), tmp_path)
    assert grown.version == "1.1.0" and grown.bump == Bump.MINOR
    shrunk = publish_release(records(outcome()), tmp_path)
    assert shrunk.version == "1.2.0" and shrunk.bump == Bump.MINOR


def test_a_schema_change_is_a_major(tmp_path: Path) -> None:
    first = publish_release(records(outcome()), tmp_path)
    assert first.path is not None
    csv_path = first.path / "outcomes.csv"  # as if an older version had one field fewer
    header, *rest = csv_path.read_text(encoding="utf-8").splitlines()
    csv_path.write_text("\n".join([header.replace(",reference", ",ref_old"), *rest]) + "\n",
                        encoding="utf-8")
    manifest_path = first.path / "datapackage.json"  # its own hash, as published then
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    entry = next(r for r in manifest["resources"] if r["path"] == "outcomes.csv")
    entry["hash"] = f"sha256:{file_sha256(csv_path)}"
    entry["bytes"] = csv_path.stat().st_size
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    changed = publish_release(records(outcome()), tmp_path)
    assert changed.version == "2.0.0" and changed.bump == Bump.MAJOR
    assert any("field added: reference" in c for d in changed.diffs for c in d.schema_changes)


def test_release_is_byte_identical_when_rebuilt(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1573084800")
    a = publish_release(records(outcome()), tmp_path / "a")
    b = publish_release(records(outcome()), tmp_path / "b")
    assert a.path and b.path
    files = sorted(p.name for p in a.path.iterdir())
    assert "outcomes.parquet" in files and "datapackage.json" in files
    for name in files:
        assert (a.path / name).read_bytes() == (b.path / name).read_bytes(), name


def test_existing_version_is_never_overwritten(tmp_path: Path) -> None:
    publish_release(records(outcome()), tmp_path)
    (tmp_path / "LATEST").unlink()
    with pytest.raises(PublishError, match="already exists"):
        publish_release(records(outcome()), tmp_path)
    assert not [p for p in (tmp_path / "releases").iterdir() if p.name.startswith(".")]


def test_loader_returns_typed_records_and_checks_hashes(tmp_path: Path) -> None:
    publish_release(records(outcome()), tmp_path)
    release = load_release(tmp_path)
    assert release.version == "1.0.0"
    loaded = list(release.records("outcomes"))
    assert loaded == [outcome()]
    manifest = json.loads((release.path / "datapackage.json").read_text())
    assert {r["name"] for r in manifest["resources"]} >= {"outcomes", "papers"}
    assert {r["path"] for r in manifest["litcurate"]["parquet"]} >= {"outcomes.parquet"}
    (release.path / "outcomes.csv").write_text("tampered\n")
    with pytest.raises(ReleaseError, match=r"outcomes\.csv"):
        load_release(tmp_path)


def test_loader_refuses_a_release_of_another_schema(tmp_path: Path) -> None:
    import json as _json

    import litcurate

    result = publish_release(records(outcome()), tmp_path)
    assert result.path is not None
    manifest_path = result.path / "datapackage.json"
    manifest = _json.loads(manifest_path.read_text(encoding="utf-8"))
    entry = next(r for r in manifest["resources"] if r["name"] == "outcomes")
    entry["schema"]["fields"] = entry["schema"]["fields"][:-1]  # as if a field were added since
    manifest_path.write_text(_json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ReleaseError, match="outcomes has the fields of another dataset schema"):
        litcurate.load(tmp_path, "latest")


def test_datapackage_is_a_valid_frictionless_package(tmp_path: Path) -> None:
    from frictionless import validate

    result = publish_release(records(outcome(), outcome(30.0, "p:other")), tmp_path)
    assert result.path is not None
    report = validate(result.path / "datapackage.json")
    assert report.valid, report.flatten(["title", "message"])


def test_tampered_parquet_copy_is_refused(tmp_path: Path) -> None:
    result = publish_release(records(outcome()), tmp_path)
    assert result.path is not None
    (result.path / "outcomes.parquet").write_bytes(b"not parquet")
    with pytest.raises(ReleaseError, match=r"outcomes.parquet: sha256"):
        load_release(tmp_path)


def test_verify_names_a_tampered_file_and_fails(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from litcurate.pipeline.cli.app import app

    result = publish_release(records(outcome()), tmp_path)
    assert result.path is not None
    runner = CliRunner()
    assert runner.invoke(app, ["verify", "--curated", str(tmp_path)]).exit_code == 0
    rows = (result.path / "outcomes.csv").read_text(encoding="utf-8").replace(",45,", ",54,")
    (result.path / "outcomes.csv").write_text(rows, encoding="utf-8")
    checked = runner.invoke(app, ["verify", "1.0.0", "--curated", str(tmp_path)])
    assert checked.exit_code != 0
    assert "outcomes.csv: sha256 differs from datapackage.json" in checked.output


def test_release_publishes_the_issue_catalogue(tmp_path: Path) -> None:
    published = publish_release(records(outcome()), tmp_path)
    assert published.path is not None
    manifest = json.loads((published.path / "datapackage.json").read_text())
    rules = {rule["slug"]: rule for rule in manifest["litcurate"]["issue_rules"]}
    assert rules["percentage-out-of-range"]["severity"] == "error"
    assert rules["duplicate-file"]["description"].startswith("The same PDF")


def test_verify_names_a_repeated_primary_key_and_its_rows(tmp_path: Path) -> None:
    from litcurate.pipeline.release.verify import check_csv

    result = publish_release(records(outcome(), outcome(30.0, "p:other")), tmp_path)
    assert result.path is not None
    csv_path = result.path / "outcomes.csv"
    text = csv_path.read_text(encoding="utf-8")  # as a hand edit or a colliding id would do
    csv_path.write_text(text.replace("p:other,", f"{outcome().outcome_id},"), encoding="utf-8")
    problems = check_csv("outcomes.csv", csv_path, RESOURCES_BY_NAME["outcomes"])
    assert problems == [f"outcomes.csv: primary key (outcome_id='{outcome().outcome_id}') "
                        "repeats on rows 2, 3"]


def test_verify_names_the_columns_that_differ(tmp_path: Path) -> None:
    from litcurate.pipeline.release.verify import check_csv

    result = publish_release(records(outcome()), tmp_path)
    assert result.path is not None
    csv_path = result.path / "outcomes.csv"
    header, *rest = csv_path.read_text(encoding="utf-8").splitlines()
    csv_path.write_text("\n".join([header.replace(",unit,", ",units,"), *rest]) + "\n",
                        encoding="utf-8")
    (problem,) = check_csv("outcomes.csv", csv_path, RESOURCES_BY_NAME["outcomes"])
    assert problem == "outcomes.csv: columns differ from the schema (missing unit; " \
                      "not in the schema units)"


def test_the_package_lists_the_licences_its_papers_carry(tmp_path: Path) -> None:
    from frictionless import validate

    papers = [Paper(paper_id=f"p{n}", file_name=f"p{n}.pdf", sha256=SHA, pages=1,
                    extractor_version="t", licence=licence)
              for n, licence in enumerate(["CC-BY-4.0", "CC-BY-NC-ND-4.0", "", "CC BY-NC"])]
    result = publish_release({"papers": papers}, tmp_path)
    assert result.path is not None
    manifest = json.loads((result.path / "datapackage.json").read_text())
    assert manifest["licenses"] == [
        {"name": "LicenseRef-CC-BY-NC", "title": "CC BY-NC"},
        {"name": "CC-BY-4.0", "path": "https://spdx.org/licenses/CC-BY-4.0.html"},
        {"name": "CC-BY-NC-ND-4.0", "path": "https://spdx.org/licenses/CC-BY-NC-ND-4.0.html"}]
    assert manifest["litcurate"]["unlicensed_sources"] == ["p2.pdf"]
    assert [s.get("licence") for s in manifest["sources"]] == [
        "CC-BY-4.0", "CC-BY-NC-ND-4.0", None, "CC BY-NC"]
    report = validate(result.path / "datapackage.json")
    assert report.valid, report.flatten(["title", "message"])


def test_each_release_has_its_own_created(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from litcurate.schemas import Correction

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)

    def created(path: Path | None) -> str:
        assert path is not None
        return str(json.loads((path / "datapackage.json").read_text())["created"])

    first = publish_release(records(outcome()), tmp_path, source_dates=["2026-11-24"]).path
    assert created(first) == "2026-11-24T00:00:00Z"  # the newest input date
    fix = Correction(correction_id="p:correction:1", paper_id="p", resource="outcomes",
                     target=outcome().outcome_id, field="value", action="set", value="54",
                     date="2026-12-03")
    second = publish_release({**records(outcome(54.0)), "corrections": [fix]}, tmp_path,
                             source_dates=["2026-11-24"]).path
    assert created(second) == "2026-12-03T00:00:00Z"  # the correction's date
    third = publish_release(records(outcome(55.0)), tmp_path, source_dates=["2026-11-24"]).path
    assert created(third) > created(second)  # no newer input: when it was published
