"""The scale-out path: the same flow on a Dask cluster of two worker processes gives the
same release as the local run."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from litcurate.pipeline.cli.app import app
from tests import hostile_pdfs as build

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("dask") / "raw"
    raw.mkdir()
    for n, title in enumerate(["Alpha trial of gargling", "Beta review of octreotide",
                               "Gamma cohort of embolisation"]):
        build.build_text_pdf(raw / f"paper{n}.pdf", title=title, paragraphs=2 + n)
    build.build_zero_byte(raw / "empty.pdf")
    return raw


def _csvs(release: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(release.glob("*.csv"))}


def test_local_dask_cluster_matches_the_local_run(corpus: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    local = runner.invoke(app, ["run", "--raw", str(corpus), "--curated",
                                str(tmp_path / "local"), "--workers", "1"])
    assert local.exit_code == 1, local.output  # empty.pdf is reported...
    assert "empty.pdf: empty file" in " ".join(local.output.split())
    _forget_extractions()
    dask = runner.invoke(app, ["run", "--raw", str(corpus), "--curated",
                               str(tmp_path / "dask"), "--dask", "--workers", "2"])
    assert dask.exit_code == 1, dask.output
    assert "papers: 3 ok, 1 failed" in " ".join(dask.output.split())
    assert _csvs(tmp_path / "dask" / "releases" / "1.0.0") == _csvs(
        tmp_path / "local" / "releases" / "1.0.0")


def _forget_extractions() -> None:
    """Empty the extraction cache, so the next run really extracts."""
    shutil.rmtree(Path(os.environ["LITCURATE_HOME"]) / "extractions", ignore_errors=True)


def test_existing_cluster_runs_the_papers_on_its_workers(corpus: Path, tmp_path: Path) -> None:
    from distributed import LocalCluster

    from litcurate.pipeline.execution.runners import dask_runner, shared_prefect_api
    from litcurate.pipeline.flow import curate

    _forget_extractions()
    with shared_prefect_api() as api_url:
        assert os.environ["PREFECT_API_URL"] == api_url  # what the cluster's workers inherit
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster:
            address = cluster.scheduler_address
            worker_pids = {w.pid for w in cluster.workers.values() if w.pid}
            summary = curate.with_options(task_runner=dask_runner(2, address))(
                raw_dir=corpus, curated_dir=tmp_path / "curated")
    assert "PREFECT_API_URL" not in os.environ
    assert sorted(summary.stats) == ["paper0.pdf", "paper1.pdf", "paper2.pdf"]
    hosts = {s.host_pid for s in summary.stats.values()}
    assert os.getpid() not in hosts
    assert hosts <= worker_pids  # every paper ran under one of the cluster's workers
    assert [f.file_name for f in summary.failures] == ["empty.pdf"]
    assert summary.publish is not None and summary.publish.version == "1.0.0"
