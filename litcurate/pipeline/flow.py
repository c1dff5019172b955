"""The corpus flow: every PDF in data/raw/ -> one validated, published release.

``curate`` reads like a table of contents: pull the sources, plan the papers, extract
them (cached papers at once, the rest on the task runner; a failure is reported and
the batch goes on), carry over the failed papers' last records, publish. Each step
is a short function here over the modules that own its work.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger
from prefect.states import Failed
from prefect.task_runners import ThreadPoolTaskRunner

from litcurate.evaluation.metrics_card import metrics_card
from litcurate.extractors.errors import ExtractionError
from litcurate.extractors.stage_chain import PaperExtraction
from litcurate.pipeline import tasks
from litcurate.pipeline.corrections import orphaned_corrections
from litcurate.pipeline.environment import extraction_cache_dir, litcurate_home, worker_log_dir
from litcurate.pipeline.execution import head_start
from litcurate.pipeline.execution.extraction_cache import (
    CacheKeys,
    cache_keys,
    find_cached,
    keep,
)
from litcurate.pipeline.execution.paper_job import JobStats, PaperFailure, PaperJob
from litcurate.pipeline.execution.planning import (
    PlannedPaper,
    manifest_issues,
    plan_papers,
    source_for,
)
from litcurate.pipeline.execution.run_memo import publish_unless_unchanged, run_digest
from litcurate.pipeline.execution.workers import Limits, close_pools, default_workers
from litcurate.pipeline.progress import emit
from litcurate.pipeline.release.carry_over import CarriedOver, carry_over
from litcurate.pipeline.release.publish import PublishError, PublishResult, publish_release
from litcurate.pipeline.release.publish_lock import publishing
from litcurate.pipeline.release.records import duplicate_issues, failure_issues, release_records
from litcurate.pipeline.run_report import (
    REPORT_KEY,
    markdown_report,
    one_line,
    record_counts,
    summary_lines,
    totals_line,
)
from litcurate.pipeline.sources.manifest import (
    SourceEntry,
    SourcesManifest,
    load_manifest,
    save_manifest,
    today,
)
from litcurate.pipeline.sources.pull import DEADLINE, RUN_DEADLINE, PullError, PullResult
from litcurate.schemas import Issue

Outcome = PaperExtraction | PaperFailure


class RunSummary:
    """What a run did, for the CLI's closing summary and for tests.

    A plain class on purpose: Prefect walks a flow's return value looking for futures,
    and walking a dataclass holding every extracted record took seconds per run.
    """

    def __init__(self) -> None:
        self.extractions: list[PaperExtraction] = []
        self.failures: list[PaperFailure] = []
        self.publish: PublishResult | None = None
        self.publish_error: PublishError | None = None  # why nothing (or no LATEST) was published
        self.notices: list[str] = []  # e.g. a source pulled from a local copy
        self.cached: list[str] = []  # file names served by the cache
        self.stats: dict[str, JobStats] = {}  # worker measurements per file
        self.duplicates: dict[str, str] = {}  # copy -> file processed
        self.carried_over: list[str] = []  # failed files kept from LATEST
        self.orphaned: list[Issue] = []  # corrections files naming no paper of the release

    def count(self, resource: str) -> int:
        return sum(len(e.resources()[resource]) for e in self.extractions)


@flow(name="litcurate-run", log_prints=False, validate_parameters=False,
      task_runner=ThreadPoolTaskRunner(max_workers=default_workers()))  # type: ignore[arg-type]
def curate(raw_dir: Path, curated_dir: Path, publish: bool = True,
           time_limit: float = Limits.seconds, memory_limit_mb: int = Limits.memory_mb,
           retry_failed: bool = False, metrics_corpus: Path | None = None,
           metrics_pdfs: list[Path] | None = None,
           allow_schemes: tuple[str, ...] = ()) -> RunSummary:
    """Extract every paper in ``raw_dir`` and publish a release under ``curated_dir``.

    Papers run concurrently on the flow's task runner, each in a bounded worker process;
    unchanged papers come from the extraction cache without being read, and so do the
    repeatable failures of unchanged files unless ``retry_failed``. The release's
    metrics card is the one the package ships when it was measured for this code and
    ``metrics_corpus`` (its annotated PDFs found in ``metrics_pdfs``, default ``raw_dir``,
    or in the corpus), and is measured on that corpus otherwise; without a corpus it is
    the shipped card if measured for this code, else "not measured".
    Sources are pulled over http(s), and over the ``allow_schemes`` the operator allows.
    """
    raw_dir, curated_dir = Path(raw_dir), Path(curated_dir)
    limits = Limits(seconds=float(time_limit), memory_mb=int(memory_limit_mb))
    summary = RunSummary()
    # Pull
    manifest, unavailable = pull_sources(load_manifest(raw_dir), raw_dir, summary,
                                         allow_schemes=tuple(allow_schemes))
    report_unreadable_entries(raw_dir, summary)
    # Plan
    plan = plan_papers(raw_dir, manifest, unavailable, tasks.fingerprint_all)
    summary.duplicates = plan.duplicates
    summary.notices.extend(plan.notices())
    keys = cache_keys(plan.papers, curated_dir, limits)
    # Extract: cached papers first, the rest on the task runner
    done = from_cache(plan.papers, keys, retry_failed, summary)
    rest = [paper for paper in plan.papers if paper.name not in done]
    done.update(on_task_runner(rest, keys, curated_dir, limits, summary))
    collect(plan.papers, done, summary)
    # Carry over
    carried = carry_over_failures(curated_dir, summary)
    summary.orphaned = orphaned_corrections(curated_dir, {
        *(e.paper.paper_id for e in summary.extractions),
        *(p.paper_id for p in carried.records.get("papers", []))})
    # Publish
    if publish and (summary.extractions or carried.papers):
        card = release_metrics(metrics_corpus, metrics_pdfs or [raw_dir])
        publish_reported(summary, carried, keys, manifest, card, curated_dir)
    # Report
    report_run(summary)
    return summary


@flow(name="litcurate-run", log_prints=False, validate_parameters=False,
      task_runner=ThreadPoolTaskRunner(max_workers=default_workers()))  # type: ignore[arg-type]
def curate_served(raw_dir: Path, curated_dir: Path, time_limit: float = Limits.seconds,
                  memory_limit_mb: int = Limits.memory_mb, metrics_corpus: Path | None = None,
                  allow_schemes: tuple[str, ...] = ()) -> Any:
    """The run ``litcurate serve`` schedules: ``curate``'s steps, under the same flow
    name, ending Failed when nothing could be published.

    A served run has no terminal to say so: its state is what an operator watches.
    Papers that failed do not fail the run (the batch goes on and the release carries
    their last records); a release that could not be written does. ``curate`` itself
    returns its summary either way, for the command line to report.
    """
    summary = curate.fn(raw_dir=raw_dir, curated_dir=curated_dir, time_limit=time_limit,
                        memory_limit_mb=memory_limit_mb, metrics_corpus=metrics_corpus,
                        allow_schemes=tuple(allow_schemes))
    if summary.publish_error is not None:
        return Failed(message=f"publish failed: {summary.publish_error}")
    return summary


def pull_sources(manifest: SourcesManifest, raw_dir: Path, summary: RunSummary,
                 deadline: float = RUN_DEADLINE, allow_schemes: tuple[str, ...] = ()
                 ) -> tuple[SourcesManifest, set[str]]:
    """Pull every manifest entry with a URL; record first hashes and pull dates.

    A source that cannot be pulled (a URL of a scheme the run does not allow among them)
    is reported as a failed paper and its file (an old copy, if any) is left alone and
    not extracted. All the pulls of a run share one ``deadline`` (seconds), besides each
    source's own.
    """
    unavailable: set[str] = set()
    updated: list[SourceEntry] = []
    changed = False
    end = time.monotonic() + deadline
    for entry in manifest.papers:
        if not entry.url:
            if not (raw_dir / entry.file).is_file():  # an unmounted folder is no retraction
                reason = f"listed in sources.yaml but not in {raw_dir.name}/, and no url to pull"
                summary.failures.append(PaperFailure(entry.file, reason, "missing-file"))
                emit(entry.file, "failed", reason)
                unavailable.add(entry.file)
            updated.append(entry)
            continue
        try:
            result = pull_one(entry, raw_dir, end - time.monotonic(), allow_schemes)
        except PullError as error:  # filed under the file's name: the reason need not repeat it
            reason = error.reason.removeprefix(f"{entry.file}: ")
            summary.failures.append(PaperFailure(entry.file, reason, error.slug))
            emit(entry.file, "failed", reason)
            unavailable.add(entry.file)
            updated.append(entry)
            continue
        emit(entry.file, "pulled", result.message)
        if result.from_local_copy:
            summary.notices.append(f"{entry.file}: {result.message}")
        if result.downloaded or not entry.sha256:
            entry = entry.model_copy(update={
                "sha256": result.sha256,
                "pulled": entry.pulled if not result.downloaded else today()})
            changed = True
        updated.append(entry)
    manifest = manifest.model_copy(update={"papers": updated})
    if changed:
        save_manifest(raw_dir, manifest)
    return manifest, unavailable


def report_unreadable_entries(raw_dir: Path, summary: RunSummary) -> None:
    """A ".pdf" in the input folder that is no file (a folder, a link to nothing or to a
    device) fails by name like any bad input, instead of being passed over unseen."""
    failed = {failure.file_name for failure in summary.failures}
    for path in sorted(raw_dir.iterdir(), key=lambda p: p.name):
        if path.suffix.lower() != ".pdf" or path.is_file() or path.name in failed:
            continue
        reason = ("a folder, not a PDF file" if path.is_dir() else
                  "a link to nothing" if not path.exists() else "not a regular file")
        summary.failures.append(PaperFailure(path.name, reason, "not-a-pdf"))
        emit(path.name, "failed", reason)


def pull_one(entry: SourceEntry, raw_dir: Path, left: float = DEADLINE,
             allow_schemes: tuple[str, ...] = ()) -> PullResult:
    """Pull one source within ``left`` seconds (its own deadline at most); anything it
    raises is that paper's ``PullError``, never the run's."""
    if left <= 0:
        raise PullError("pull-deadline", f"{entry.file}: not pulled: the run's pull deadline "
                        "has passed")
    try:
        return tasks.pull(entry, raw_dir, min(left, DEADLINE), allow_schemes)
    except PullError:
        raise
    except Exception as error:  # a pull bug or an unforeseen failure must not sink the batch
        raise PullError("source-unreachable", f"{entry.file}: could not be pulled "
                        f"({type(error).__name__}: {error})") from error


def from_cache(papers: list[PlannedPaper], keys: dict[str, CacheKeys], retry_failed: bool,
               summary: RunSummary) -> dict[str, Outcome]:
    """The papers the extraction cache already has (results or repeatable failures)."""
    done: dict[str, Outcome] = {}
    for paper in papers:
        cached = find_cached(extraction_cache_dir(), keys[paper.name], retry_failed=retry_failed)
        if cached is None:
            continue
        summary.cached.append(paper.name)
        if isinstance(cached, PaperFailure):
            emit(paper.name, "failed", f"{cached.reason} (cached: the file has not changed)")
        else:
            emit(paper.name, "done", record_counts(cached) + " (cached)")
        done[paper.name] = cached
    return done


def on_task_runner(papers: list[PlannedPaper], keys: dict[str, CacheKeys], curated_dir: Path,
                   limits: Limits, summary: RunSummary) -> dict[str, Outcome]:
    """Extract the papers concurrently, one ``extract-paper`` task each; cache the results.
    From here the flow extracts its papers: the command's head start, if any, hands over."""
    head_start.hand_over()
    running = {paper.name: tasks.extract_paper.submit(
        PaperJob(source_for(paper.path, paper.entry, paper.sha256), curated_dir), limits,
        worker_log_dir()) for paper in papers}
    try:
        return {name: _finish(name, future, keys[name], summary)
                for name, future in running.items()}
    finally:
        head_start.close()
        close_pools()


def _finish(name: str, future: Any, keys: CacheKeys, summary: RunSummary) -> Outcome:
    """Wait for one paper; cache a success (or a repeatable failure), report a failure.

    A paper that could not be extracted failed its task with an ``ExtractionError``.
    """
    try:
        result: tasks.PaperResult = future.result()
    except Exception as error:  # a bug in the orchestration must not sink the batch either
        failure = error if isinstance(error, ExtractionError) else ExtractionError(
            f"internal error: {type(error).__name__}: {error}")
        emit(name, "failed", failure.reason)
        reported = PaperFailure(name, failure.reason, failure.slug)
        keep(extraction_cache_dir(), keys, reported)
        return reported
    keep(extraction_cache_dir(), keys, result.extraction)
    if result.stats is not None:
        summary.stats[name] = result.stats
    emit(name, "done", record_counts(result.extraction))
    return result.extraction


def collect(papers: list[PlannedPaper], done: dict[str, Outcome], summary: RunSummary) -> None:
    """File each paper's outcome in the summary, in discovery order (whatever order the
    papers finished in); a manifest hash the file no longer has becomes an issue."""
    for paper in papers:
        outcome = done[paper.name]
        if isinstance(outcome, PaperFailure):
            summary.failures.append(outcome)
        else:
            outcome.issues.extend(i.model_copy(update={"paper_id": outcome.paper.paper_id})
                                  for i in manifest_issues(paper.entry, outcome.paper))
            summary.extractions.append(outcome)


def carry_over_failures(curated_dir: Path, summary: RunSummary) -> CarriedOver:
    """The failed papers' records from LATEST, noted in the summary."""
    carried = carry_over(curated_dir, [(f.file_name, f.reason) for f in summary.failures])
    summary.carried_over = carried.papers
    summary.notices.extend(f"{name}: failed; its records from the last release are carried over"
                           for name in carried.papers)
    return carried


def release_metrics(corpus: Path | str | None, pdf_folders: list[Path]) -> dict[str, Any]:
    """The metrics card for the release (the shipped one, or measured once per code and
    corpus, then cached)."""
    return metrics_card(litcurate_home() / "metrics", Path(corpus) if corpus else None,
                        [Path(folder) for folder in pdf_folders])


def publish_reported(summary: RunSummary, carried: CarriedOver, keys: dict[str, CacheKeys],
                     manifest: SourcesManifest, card: dict[str, Any], curated_dir: Path) -> None:
    """Publish the run, filing a publish that failed (another publisher, a full disk, a
    LATEST that cannot be trusted) in the summary with its one-line reason: the papers'
    outcomes are reported all the same, and no traceback buries the reason."""
    try:
        summary.publish = publish_run(summary, carried, keys, manifest, card, curated_dir)
    except PublishError as error:
        summary.publish_error = error
    if summary.publish_error is not None:  # a served run's log says so too
        get_run_logger().error("not published: %s", summary.publish_error)


def publish_run(summary: RunSummary, carried: CarriedOver, keys: dict[str, CacheKeys],
                manifest: SourcesManifest, card: dict[str, Any], curated_dir: Path
                ) -> PublishResult:
    """Publish the run's records, unless these same inputs already gave LATEST."""
    dates = [e.added for e in manifest.papers if e.added]
    digest = run_digest(
        papers=sorted(keys[e.paper.file_name].extraction for e in summary.extractions),
        failures=sorted((f.file_name, f.slug, f.reason) for f in summary.failures),
        carried=carried.papers, duplicates=summary.duplicates, metrics=card, dates=dates,
        orphans=tuple(issue.message for issue in summary.orphaned))
    paper_ids = {e.paper.file_name: e.paper.paper_id for e in summary.extractions}
    run_issues = [*failure_issues(summary.failures),
                  *duplicate_issues(summary.duplicates, paper_ids), *summary.orphaned]
    with publishing(curated_dir):  # the memo's check and the publish, as one publisher
        return publish_unless_unchanged(
            litcurate_home(), curated_dir, digest,
            lambda: publish_release(release_records(summary.extractions, carried.records,
                                                    run_issues),
                                    curated_dir, source_dates=dates, metrics=card,
                                    locked=True))


def report_run(summary: RunSummary) -> None:
    """Tell what the run did where Prefect shows it: the summary at INFO on the run logger,
    a Markdown report attached to the run, and one line on a served deployment's terminal
    (a served run's output is that terminal; ``litcurate run`` prints its own summary)."""
    from prefect import runtime
    from prefect.artifacts import create_markdown_artifact
    from prefect.logging import get_run_logger

    logger = get_run_logger()
    for line in summary_lines(summary):
        logger.info(line)
    try:
        create_markdown_artifact(markdown=markdown_report(summary), key=REPORT_KEY,
                                 description=totals_line(summary))
    except Exception as error:  # the release is out: a report not filed is only a warning
        logger.warning("run report not attached: %s: %s", type(error).__name__, error)
    if runtime.deployment.id:
        print(one_line(summary, runtime.flow_run.name), flush=True)
    _send_logs()


def _send_logs() -> None:
    """Send the run's logs now rather than in the background after the run ends, so a
    run that shows as finished in the UI already shows its summary."""
    from prefect.logging.handlers import APILogWorker

    try:
        APILogWorker.drain_all(timeout=10)
    except Exception as error:  # logs not sent are Prefect's to retry, never a failed run
        print(f"run logs not sent yet: {type(error).__name__}", flush=True)
