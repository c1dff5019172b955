"""Commands that run the flow: ``run`` once, ``serve`` on a schedule.

Prefect is configured (offline, isolated home, ephemeral API) before it is first
imported, which is why flow imports happen inside the commands.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from litcurate.pipeline.cli.common import (
    FAILED,
    INTERRUPTED,
    AllowSchemes,
    CuratedDir,
    MemoryLimit,
    MetricsCorpus,
    RawDir,
    TimeLimit,
    console,
    errors,
    fail,
    require_folder,
    require_manifest,
    schemes_option,
)
from litcurate.pipeline.environment import configure_prefect

if TYPE_CHECKING:
    from collections.abc import Callable
    from contextlib import AbstractContextManager

    from litcurate.pipeline.execution.workers import Limits


def run(
    raw: RawDir = Path("data/raw"),
    curated: CuratedDir = Path("data/curated"),
    publish: Annotated[bool, typer.Option(help="Publish a release at the end.")] = True,
    workers: Annotated[int | None, typer.Option(
        "--workers", "-w", min=1, help="Papers processed at once.",
        show_default="one per core")
    ] = None,
    time_limit: TimeLimit = 600,
    memory_limit: MemoryLimit = 2048,
    retry_failed: Annotated[bool, typer.Option(
        "--retry-failed", help="Read again the unchanged files that failed last time.")
    ] = False,
    dask: Annotated[bool, typer.Option(
        "--dask", help="Run the papers on a local Dask cluster of --workers processes.")
    ] = False,
    dask_address: Annotated[str | None, typer.Option(
        "--dask-address", help="Run the papers on an existing Dask cluster (tcp://host:8786).")
    ] = None,
    metrics_corpus: MetricsCorpus = None,
    allow_scheme: AllowSchemes = None,
) -> None:
    """Extract every PDF in data/raw/ and publish a release (the main job)."""
    require_folder(raw)
    schemes = schemes_option(allow_scheme)
    require_manifest(raw)
    configure_prefect()
    from litcurate.pipeline.release.latest import latest_version

    before = latest_version(curated)
    try:
        _run(raw, curated, publish, workers, time_limit, memory_limit, retry_failed, dask,
             dask_address, metrics_corpus, schemes)
    except KeyboardInterrupt:  # what was published is whole: say whether anything was
        after = latest_version(curated)
        if after != before:
            said = f"release {after} had already been published"
        else:
            said = "nothing was published" + (f"; LATEST is still {before}" if before else "")
        errors.print(f"interrupted: {escape(said)}")
        raise typer.Exit(INTERRUPTED) from None


def _run(raw: Path, curated: Path, publish: bool, workers: int | None, time_limit: float,
         memory_limit: int, retry_failed: bool, dask: bool, dask_address: str | None,
         metrics_corpus: Path | None, schemes: tuple[str, ...]) -> None:
    from litcurate.pipeline.cli.live import live_progress
    from litcurate.pipeline.execution.workers import Limits, default_workers
    from litcurate.pipeline.sources.manifest import ManifestError

    on_dask = dask or dask_address is not None
    n_workers = workers or default_workers()
    # The papers are listed at once: Prefect takes seconds to start, the first papers
    # are read meanwhile, and the curator should not face a blank terminal.
    with live_progress(console, paper_names(raw)):
        api_started = start_up(raw, curated, Limits(float(time_limit), memory_limit),
                               0 if on_dask else n_workers, retry_failed)
        from litcurate.pipeline.execution.runners import (
            dask_runner,
            shared_prefect_api,
            thread_runner,
        )
        from litcurate.pipeline.flow import curate

        runner = dask_runner(n_workers, dask_address) if on_dask else thread_runner(n_workers)
        try:
            with shared_prefect_api() if on_dask else api_started():
                summary = curate.with_options(task_runner=runner)(
                    raw_dir=raw, curated_dir=curated, publish=publish, time_limit=time_limit,
                    memory_limit_mb=memory_limit, retry_failed=retry_failed,
                    metrics_corpus=metrics_corpus, allow_schemes=schemes)
        except ManifestError as error:
            fail(str(error))
    from litcurate.pipeline.cli.report import print_summary
    from litcurate.pipeline.release.publish import LatestNotUpdatedError

    print_summary(console, summary, curated)
    refused = summary.publish_error  # another publisher, an untrusted LATEST, a full disk
    if isinstance(refused, LatestNotUpdatedError):  # published; the next run finishes LATEST
        fail(str(refused), FAILED)
    if refused is not None:
        fail(f"nothing published: {refused}", FAILED)
    if summary.failures:
        raise typer.Exit(FAILED)


def paper_names(raw: Path) -> list[str]:
    """The papers a run reports on: the PDFs in ``raw``, and every paper the manifest
    lists (one pulled during the run has no file yet; one that cannot be pulled, or whose
    file is missing, fails)."""
    from litcurate.pipeline.sources.manifest import ManifestError, discover_pdfs, load_manifest

    names = {path.name for path in discover_pdfs(raw)}
    with contextlib.suppress(ManifestError):
        names.update(entry.file for entry in load_manifest(raw).papers)
    return sorted(names)


def start_up(raw: Path, curated: Path, limits: Limits, local_workers: int,
             retry_failed: bool) -> Callable[[], AbstractContextManager[None]]:
    """Start what the run waits for at once: its first papers on a worker (none on
    Dask), then the temporary Prefect API (in this process; it dies with this run, even
    on SIGKILL). Returns what waits for the API and gives the block to run the flow in."""
    import contextlib

    if local_workers:
        send_papers_ahead(raw, curated, limits, local_workers, retry_failed)
    from litcurate.pipeline.execution.in_process_api import start_local_api
    from litcurate.pipeline.execution.temporary_server import guard_temporary_server

    guard_temporary_server()  # Prefect's own temporary server, if the run falls back to it
    return start_local_api() if local_workers else contextlib.nullcontext


def send_papers_ahead(raw: Path, curated: Path, limits: Limits, workers: int,
                      retry_failed: bool) -> None:
    """Give the run's first papers to a worker now, while Prefect starts on the other
    core (``head_start``). The run's other workers start when the flow needs them:
    started now, they would load while Prefect starts and slow it down, and a small
    batch is often done ahead before the flow gets to it. With nothing to send ahead
    (a first source with a URL), the workers are started now, without waiting for them.

    An estimate: what it cannot read (a bad manifest, an unreadable file) the run
    itself reports, and a worker started for nothing is stopped with the pool.
    """
    from litcurate.pipeline.environment import extraction_cache_dir, worker_log_dir
    from litcurate.pipeline.execution.extraction_cache import discovered_papers, papers_to_read
    from litcurate.pipeline.execution.head_start import jobs_ahead, send_ahead
    from litcurate.pipeline.execution.workers import shared_pool
    from litcurate.pipeline.sources.manifest import ManifestError

    try:
        papers = discovered_papers(raw)
        unread = papers_to_read(papers, curated, limits, extraction_cache_dir(), retry_failed)
    except (ManifestError, OSError, ValueError):
        return
    jobs = jobs_ahead(papers, unread, curated)
    if jobs:
        send_ahead(jobs, limits, worker_log_dir())
    else:
        shared_pool(limits, worker_log_dir()).prestart(min(workers, len(unread)))


def serve(
    raw: RawDir = Path("data/raw"),
    curated: CuratedDir = Path("data/curated"),
    interval: Annotated[int, typer.Option(
        min=10, help="Seconds between scheduled runs.")] = 3600,
    name: Annotated[str, typer.Option(help="The deployment's name.")] = "litcurate",
    time_limit: TimeLimit = 600,
    memory_limit: MemoryLimit = 2048,
    metrics_corpus: MetricsCorpus = None,
    allow_scheme: AllowSchemes = None,
) -> None:
    """Serve the run as a Prefect deployment: every --interval, process new or changed PDFs.

    Needs a Prefect server (``prefect server start``) and PREFECT_API_URL pointing at
    it. Unchanged papers come from the extraction cache, so a scheduled run over an
    unchanged folder reads nothing and publishes nothing. Runs never overlap. Each run
    prints one line here; its summary, failed papers and report are in the Prefect UI.
    SIGTERM or Ctrl-C stops serving.
    """
    if not os.environ.get("PREFECT_API_URL"):
        fail("litcurate serve needs a Prefect server: run `prefect server start`, then set "
             "PREFECT_API_URL (e.g. http://127.0.0.1:4200/api) and try again")
    require_folder(raw)
    schemes = schemes_option(allow_scheme)
    configure_prefect()
    from litcurate.pipeline.execution.serving import serve_flow
    from litcurate.pipeline.flow import curate_served

    serve_flow(
        curate_served, name=name, interval=interval,
        parameters={"raw_dir": str(raw.resolve()), "curated_dir": str(curated.resolve()),
                    "time_limit": time_limit, "memory_limit_mb": memory_limit,
                    "metrics_corpus": str(metrics_corpus.resolve()) if metrics_corpus else None,
                    "allow_schemes": list(schemes)},
        description="Extract new or changed PDFs and publish a release when the data change.")


def working_release(raw: Path, scratch: Path, curated: Path,
                    metrics_corpus: Path | None = None,
                    allow_schemes: tuple[str, ...] = ()) -> Path:
    """Extract --raw into a scratch dataset home and return the release it published.

    The curators' corrections are copied in first, so the working extraction is what
    the next ``litcurate run`` would publish.
    """
    import shutil

    configure_prefect()
    from litcurate.pipeline.corrections import CORRECTIONS_DIR
    from litcurate.pipeline.execution.workers import Limits, default_workers

    if (curated / CORRECTIONS_DIR).is_dir():
        shutil.copytree(curated / CORRECTIONS_DIR, scratch / CORRECTIONS_DIR)
    api_started = start_up(raw, scratch, Limits(), default_workers(), retry_failed=False)
    from litcurate.pipeline.flow import curate

    with api_started():
        summary = curate(raw_dir=raw, curated_dir=scratch, publish=True,
                         metrics_corpus=metrics_corpus, allow_schemes=allow_schemes)
    if summary.publish_error is not None:
        raise ValueError(f"the working extraction could not be published: "
                         f"{summary.publish_error}")
    if summary.publish is None or summary.publish.path is None:
        raise ValueError("the working extraction published nothing")
    return Path(summary.publish.path)
