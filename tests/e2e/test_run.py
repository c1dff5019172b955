"""`litcurate run` end to end: a real Prefect flow over a copy of data/raw/ plus a bad file."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from litcurate.pipeline.cli.app import app
from litcurate.schemas.loader import load_release
from tests.conftest import RAW, ROOT

pytestmark = pytest.mark.e2e
METRICS = ["--metrics-corpus", str(ROOT / "tests" / "fixtures")]  # as `make run` passes it


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("run")
    shutil.copytree(RAW, root / "raw")
    (root / "raw" / "broken.pdf").write_text("this is not a PDF at all\n")
    (root / "raw" / "empty.pdf").write_bytes(b"")
    return root


@pytest.fixture(scope="module")
def first_run(workspace: Path):  # type: ignore[no-untyped-def]
    # --retry-failed: the bad files' bytes fail in other tests too, and a failure of the
    # same bytes would come from the session's extraction cache without a task of its own.
    return CliRunner().invoke(app, ["run", "--raw", str(workspace / "raw"),
                                    "--curated", str(workspace / "curated"), "--retry-failed",
                                    *METRICS])


def test_bad_files_are_reported_by_name_and_the_batch_goes_on(first_run) -> None:  # type: ignore[no-untyped-def]
    output = " ".join(first_run.output.split())
    assert first_run.exit_code == 1, first_run.output
    assert "broken.pdf: not a PDF" in output
    assert "empty.pdf: empty file" in output
    assert "papers: 2 ok, 2 failed" in output
    assert "published release 1.0.0" in output


def test_the_summary_counts_the_issues_the_release_lists(workspace: Path, first_run) -> None:  # type: ignore[no-untyped-def]
    said = re.search(r"issues: (\d+)", first_run.output)
    assert said is not None, first_run.output
    with (workspace / "curated" / "releases" / "1.0.0" / "issues.csv").open() as handle:
        assert int(said.group(1)) == sum(1 for _ in csv.DictReader(handle))


def test_the_run_is_recorded_honestly_in_prefect(workspace: Path, first_run) -> None:  # type: ignore[no-untyped-def]
    """Asked through Prefect's client (this session's temporary API): the bad files'
    tasks Failed with their reasons, the summary is in the run's logs, the report attached."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowFilter,
        FlowFilterName,
        FlowRunFilter,
        FlowRunFilterId,
        LogFilter,
        LogFilterFlowRunId,
    )
    from prefect.client.schemas.sorting import FlowRunSort, TaskRunSort
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=10)  # the run's last logs are sent in the background
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            flow_filter=FlowFilter(name=FlowFilterName(any_=["litcurate-run"])),
            sort=FlowRunSort.START_TIME_ASC, limit=200, offset=0)
        run = next(r for r in runs if r.parameters["raw_dir"] == str(workspace / "raw"))
        tasks = {task.name: task.state for task in client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run.id])),
            sort=TaskRunSort.EXPECTED_START_TIME_ASC, limit=50, offset=0)}
        logs = [log.message for log in client.read_logs(
            log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run.id])), limit=200,
            offset=0)]
        answer = client.request("POST", "/artifacts/filter", json={
            "artifacts": {"flow_run_id": {"any_": [str(run.id)]}},
            "sort": "CREATED_DESC", "limit": 10, "offset": 0})
    assert tasks["extract broken.pdf"].is_failed() and tasks["extract empty.pdf"].is_failed()
    assert "not a PDF" in tasks["extract broken.pdf"].message
    assert "empty file" in tasks["extract empty.pdf"].message
    assert tasks["extract dermine2019_review.pdf"].is_completed()
    assert any(m.startswith("papers: 2 ok, 2 failed;") for m in logs), logs
    assert any(m.startswith("failed empty.pdf: empty file") for m in logs), logs
    [report] = [artifact["data"] for artifact in answer.json()]
    assert "| empty.pdf | failed |" in report and "| dermine2019_review.pdf | extracted |" in report
    assert "- **broken.pdf** (not-a-pdf): not a PDF" in report
    assert "published release 1.0.0 (major)" in report and "First release." in report


def test_release_holds_sample_outcomes_with_provenance(workspace: Path, first_run) -> None:  # type: ignore[no-untyped-def]
    release = workspace / "curated" / "releases" / "1.0.0"
    with (release / "outcomes.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    studies = {(r["author"], r["year"]) for r in rows}
    assert {("Carrasco", "1986"), ("Dhir", "2017"), ("Kennedy", "2008"),
            ("Fidelman", "2016")} <= studies
    ho_pfs = {r["group"]: r for r in rows if r["author"] == "Ho" and r["measure_id"] == "pfs"}
    assert ho_pfs["TAE"]["value"] == "23" and ho_pfs["TAE"]["statistic"] == "mean"
    assert ho_pfs["TACE"]["value"] == "16" and ho_pfs["TACE"]["n"] == "46"
    rhee_os = {r["group"]: r["value"] for r in rows
               if r["author"] == "Rhee" and r["measure_id"] == "os"}
    assert rhee_os == {"SIR-Spheres": "28", "Theraspheres": "22"}
    for row in rows:
        assert row["paper_id"] and int(row["page"]) >= 1
        assert float(row["x1"]) > float(row["x0"]) and float(row["bottom"]) > float(row["top"])
    issues = (release / "issues.csv").read_text(encoding="utf-8")
    assert "broken.pdf" in issues and "not-a-pdf" in issues


def test_release_loads_and_verifies(workspace: Path, first_run) -> None:  # type: ignore[no-untyped-def]
    release = load_release(workspace / "curated")
    assert release.version == "1.0.0"
    papers = {p.file_name: p for p in release.records("papers")}  # type: ignore[attr-defined]
    assert papers["dermine2019_review.pdf"].paper_id == "10.3390_jcm8111907"
    result = CliRunner().invoke(app, ["verify", "--curated", str(workspace / "curated")])
    assert result.exit_code == 0, result.output


def test_every_issue_points_to_a_published_record_or_its_paper(workspace: Path, first_run) -> None:  # type: ignore[no-untyped-def]
    from litcurate.pipeline.release.keyed_rows import row_id
    from litcurate.schemas.resources import RESOURCES

    release = workspace / "curated" / "releases" / "1.0.0"
    known = {"broken.pdf", "empty.pdf"}  # the files that failed are the papers named
    for resource in RESOURCES:
        with (release / f"{resource.name}.csv").open(encoding="utf-8") as handle:
            known |= {row_id(resource, row) for row in csv.DictReader(handle)}
    with (release / "issues.csv").open(encoding="utf-8") as handle:
        issues = list(csv.DictReader(handle))
    assert len(issues) > 20
    assert [(i["rule"], i["record_id"]) for i in issues if i["record_id"] not in known] == []


def test_unchanged_rerun_publishes_nothing(workspace: Path, first_run) -> None:  # type: ignore[no-untyped-def]
    (workspace / "raw" / "broken.pdf").unlink()
    (workspace / "raw" / "empty.pdf").unlink()
    again = CliRunner().invoke(app, ["run", "--raw", str(workspace / "raw"),
                                     "--curated", str(workspace / "curated"), *METRICS])
    assert again.exit_code == 0, again.output
    # The two failure issues are gone: fewer records, so a minor release...
    assert "published release 1.1.0" in " ".join(again.output.split())
    third = CliRunner().invoke(app, ["run", "--raw", str(workspace / "raw"),
                                     "--curated", str(workspace / "curated"), *METRICS])
    # ...and then nothing changes any more.
    assert "nothing to publish" in " ".join(third.output.split())
    assert (workspace / "curated" / "LATEST").read_text().strip() == "1.1.0"


def test_release_carries_the_metrics_card(workspace: Path, first_run) -> None:  # type: ignore[no-untyped-def]
    import json

    manifest = json.loads((workspace / "curated" / "releases" / "1.0.0" / "datapackage.json")
                          .read_text(encoding="utf-8"))
    card = manifest["litcurate"]["metrics"]
    assert card["tables"]["cell_accuracy"] >= 0.99 and card["tables"]["tables"] >= 20
    assert card["statements"]["recall"] >= 0.95 and card["statements"]["precision"] >= 0.90
    evidence = card["evidence_development"]
    assert evidence["papers"] >= 10 and evidence["facts"] >= 900
    assert evidence["typed_recall"] >= 0.95 and evidence["precision"] >= 0.95
    # Held-out papers are reported apart; once studied they join the development set,
    # so their number changes from round to round, but the section is always there.
    assert "papers" in card["evidence_heldout"]
