"""The corpus flow: every PDF in data/raw/ -> one validated, published release.

Reads like a table of contents: discover inputs, process each paper (a failure is
reported and the batch goes on), publish what succeeded.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prefect import flow
from prefect.task_runners import ThreadPoolTaskRunner

from litcurate.evaluation.metrics_card import metrics_card
from litcurate.extractors.errors import ExtractionError
from litcurate.extractors.stage_chain import PaperExtraction, PaperSource
from litcurate.pipeline import tasks
from litcurate.pipeline.environment import litcurate_home
from litcurate.pipeline.execution.extraction_cache import (
    REPEATABLE_FAILURES,
    corrections_digest,
    extraction_key,
    failure_key,
    load_cached,
    store,
)
from litcurate.pipeline.execution.paper_job import JobStats, PaperFailure, PaperJob
from litcurate.pipeline.execution.run_memo import (
    inputs_digest,
    package_digest,
    remember,
    unchanged_since_last_run,
)
from litcurate.pipeline.execution.workers import Limits, close_pools
from litcurate.pipeline.progress import emit
from litcurate.pipeline.release.carry_over import carry_over
from litcurate.pipeline.release.publish import RELEASES_DIR, PublishResult, publish_release
from litcurate.pipeline.release.versioning import Bump
from litcurate.pipeline.sources.manifest import (
    SourceEntry,
    SourcesManifest,
    discover_pdfs,
    load_manifest,
    save_manifest,
    today,
)
from litcurate.pipeline.sources.pull import PullError
from litcurate.schemas import Issue, Paper, Severity


def default_workers() -> int:
    """Papers processed at once when not told: one per core."""
    return os.cpu_count() or 1


class RunSummary:
    """What a run did, for the CLI's closing summary and for tests.

    A plain class on purpose: Prefect walks a flow's return value looking for futures,
    and walking a dataclass holding every extracted record took seconds per run.
    """

    def __init__(self) -> None:
        self.extractions: list[PaperExtraction] = []
        self.failures: list[PaperFailure] = []
        self.publish: PublishResult | None = None
        self.notices: list[str] = []  # e.g. a source pulled from a local copy
        self.cached: list[str] = []  # file names served by the cache
        self.stats: dict[str, JobStats] = {}  # worker measurements per file
        self.duplicates: dict[str, str] = {}  # copy -> file processed
        self.carried_over: list[str] = []  # failed files kept from LATEST

    def count(self, resource: str) -> int:
        return sum(len(e.resources()[resource]) for e in self.extractions)


def source_for(path: Path, entry: SourceEntry | None, sha256: str) -> PaperSource:
    """Join a file with its manifest entry (if any) into what the extractors need."""
    if entry is None:
        return PaperSource(path=path, sha256=sha256)
    return PaperSource(path=path, sha256=sha256, paper_id=entry.paper_id, title=entry.title,
                       doi=entry.doi, year=entry.year, citation=entry.citation,
                       licence=entry.licence, source_url=entry.url, pulled_at=entry.pulled)


def manifest_issues(entry: SourceEntry | None, paper: Paper) -> list[Issue]:
    """A manifest hash that no longer matches the file is provenance we cannot vouch for."""
    if entry is None or not entry.sha256 or entry.sha256 == paper.sha256:
        return []
    return [Issue(record_id=paper.file_name, severity=Severity.WARNING, rule="sha256-mismatch",
                  message=f"{paper.file_name}: sha256 differs from sources.yaml "
                          f"({entry.sha256[:12]}... expected, {paper.sha256[:12]}... found)")]


@dataclass(frozen=True)
class PlannedPaper:
    """A file to process, its fingerprint and manifest entry."""

    path: Path
    sha256: str
    entry: SourceEntry | None


def plan_papers(raw_dir: Path, manifest: SourcesManifest, skip: set[str],
                summary: RunSummary) -> list[PlannedPaper]:
    """Every PDF to process, once per distinct content.

    A file with the same bytes as another is processed once: the copy listed in
    sources.yaml wins, then the first by name. The run notes both names and the
    release lists the other copy in its issues.
    """
    paths = [p for p in discover_pdfs(raw_dir) if p.name not in skip]
    hashes = tasks.fingerprint_all(paths)
    kept: dict[str, Path] = {}
    for path in sorted(paths, key=lambda p: (manifest.entry_for(p.name) is None, p.name)):
        sha256 = hashes[path.name]
        if sha256 in kept and path.stat().st_size > 0:
            original = kept[sha256].name
            summary.duplicates[path.name] = original
            summary.notices.append(f"{path.name} is the same file as {original}; processed once")
            emit(path.name, "done", f"same file as {original}")
        else:
            kept.setdefault(sha256, path)
    chosen = {p.name for p in kept.values()}
    return [PlannedPaper(p, hashes[p.name], manifest.entry_for(p.name))
            for p in paths if p.name in chosen]


@flow(name="litcurate-run", log_prints=False, validate_parameters=False,
      task_runner=ThreadPoolTaskRunner(max_workers=default_workers()))  # type: ignore[arg-type]
def curate(raw_dir: Path, curated_dir: Path, publish: bool = True,
           time_limit: float = Limits.seconds, memory_limit_mb: int = Limits.memory_mb,
           retry_failed: bool = False) -> RunSummary:
    """Extract every paper in ``raw_dir`` and publish a release under ``curated_dir``.

    Papers run concurrently on the flow's task runner, each in a bounded worker process;
    unchanged papers come from the extraction cache without being read, and so do the
    repeatable failures of unchanged files unless ``retry_failed``.
    """
    raw_dir, curated_dir = Path(raw_dir), Path(curated_dir)
    limits = Limits(seconds=float(time_limit), memory_mb=int(memory_limit_mb))
    summary = RunSummary()
    # Pull
    manifest = load_manifest(raw_dir)
    manifest, unavailable = pull_sources(manifest, raw_dir, summary)
    # Extract: cached papers at once, the rest on the task runner
    planned = plan_papers(raw_dir, manifest, unavailable, summary)
    cache_dir = litcurate_home() / "extractions"
    corrections = corrections_digest(curated_dir)
    keys = {p.path.name: extraction_key(p.sha256, p.path.name, p.entry, corrections)
            for p in planned}
    done: dict[str, PaperExtraction | PaperFailure] = {}
    running = {}
    failure_keys = {name: failure_key(key, limits.seconds, limits.memory_mb)
                    for name, key in keys.items()}
    for paper in planned:
        name = paper.path.name
        cached = load_cached(cache_dir, keys[name])
        if cached is None and not retry_failed:
            cached = load_cached(cache_dir, failure_keys[name])
        if cached is not None:
            summary.cached.append(name)
            if isinstance(cached, PaperFailure):
                emit(name, "failed", f"{cached.reason} (cached: the file has not changed)")
            else:
                emit(name, "done", _counts(cached) + " (cached)")
            done[name] = cached
            continue
        job = PaperJob(source_for(paper.path, paper.entry, paper.sha256), curated_dir)
        running[paper.path.name] = tasks.extract_paper.submit(job, limits,
                                                              litcurate_home() / "logs")
    try:
        for name, future in running.items():
            done[name] = _finish(name, future, cache_dir, keys[name], failure_keys[name],
                                 summary)
    finally:
        close_pools()
    for paper in planned:  # discovery order, whatever order the papers finished in
        outcome = done[paper.path.name]
        if isinstance(outcome, PaperFailure):
            summary.failures.append(outcome)
        else:
            outcome.issues.extend(i.model_copy(update={"paper_id": outcome.paper.paper_id})
                                  for i in manifest_issues(paper.entry, outcome.paper))
            summary.extractions.append(outcome)
    # Load
    carried = carry_over(curated_dir, [(f.file_name, f.reason) for f in summary.failures])
    summary.carried_over = carried.papers
    summary.notices.extend(f"{name}: failed; its records from the last release are carried over"
                           for name in carried.papers)
    if publish and (summary.extractions or carried.papers):
        dates = [e.added for e in manifest.papers if e.added]
        card = metrics_card(litcurate_home() / "metrics")
        digest = inputs_digest({
            "papers": sorted(keys[e.paper.file_name] for e in summary.extractions),
            "failures": sorted((f.file_name, f.slug, f.reason) for f in summary.failures),
            "carried": carried.papers, "duplicates": summary.duplicates, "metrics": card,
            "dates": dates, "code": package_digest()})
        same = unchanged_since_last_run(litcurate_home(), curated_dir, digest)
        if same is not None:  # these inputs already gave LATEST: nothing to compare
            summary.publish = PublishResult(None, same, Bump.NONE,
                                            curated_dir / RELEASES_DIR / same)
            return summary
        records: dict[str, list] = {}
        for extraction in summary.extractions:
            for name, rows in extraction.resources().items():
                records.setdefault(name, []).extend(rows)
        for name, rows in carried.records.items():
            records.setdefault(name, []).extend(rows)
        records["issues"] = [*records.get("issues", []), *failure_issues(summary.failures),
                             *duplicate_issues(summary)]
        summary.publish = publish_release(records, curated_dir, source_dates=dates, metrics=card)
        remember(litcurate_home(), curated_dir, digest)
    return summary


def _counts(extraction: PaperExtraction) -> str:
    return (f"{len(extraction.tables)} tables, {len(extraction.outcomes)} outcomes, "
            f"{len(extraction.statements)} statements")


def _finish(name: str, future: Any, cache_dir: Path, key: str, on_failure: str,
            summary: RunSummary) -> PaperExtraction | PaperFailure:
    """Wait for one paper; cache a success (or a repeatable failure), report a failure."""
    try:
        result: tasks.PaperResult = future.result()
    except Exception as error:  # a bug in the orchestration must not sink the batch
        result = tasks.PaperResult(error=ExtractionError(
            f"internal error: {type(error).__name__}: {error}"))
    if result.extraction is None:
        failure = result.error or ExtractionError("internal error: no result")
        emit(name, "failed", failure.reason)
        reported = PaperFailure(name, failure.reason, failure.slug)
        if failure.slug in REPEATABLE_FAILURES:
            store(cache_dir, on_failure, reported)
        return reported
    store(cache_dir, key, result.extraction)
    if result.stats is not None:
        summary.stats[name] = result.stats
    emit(name, "done", _counts(result.extraction))
    return result.extraction


def pull_sources(manifest: SourcesManifest, raw_dir: Path, summary: RunSummary
                 ) -> tuple[SourcesManifest, set[str]]:
    """Pull every manifest entry with a URL; record first hashes and pull dates.

    A source that cannot be pulled is reported as a failed paper and its file (an old
    copy, if any) is left alone and not extracted.
    """
    unavailable: set[str] = set()
    updated: list[SourceEntry] = []
    changed = False
    for entry in manifest.papers:
        if not entry.url:
            updated.append(entry)
            continue
        try:
            result = tasks.pull(entry, raw_dir)
        except PullError as error:
            summary.failures.append(PaperFailure(entry.file, error.reason, error.slug))
            emit(entry.file, "failed", error.reason)
            unavailable.add(entry.file)
            updated.append(entry)
            continue
        emit(entry.file, "pulled", result.message)
        if "local copy" in result.message:
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


def duplicate_issues(summary: RunSummary) -> list[Issue]:
    """A copy of a processed file is named in the release, against the paper it duplicates."""
    paper_ids = {e.paper.file_name: e.paper.paper_id for e in summary.extractions}
    return [Issue(record_id=copy, paper_id=paper_ids.get(original, ""), severity=Severity.INFO,
                  rule="duplicate-file",
                  message=f"{copy} is the same file as {original} (same sha256); processed once")
            for copy, original in sorted(summary.duplicates.items())]


def failure_issues(failures: list[PaperFailure]) -> list[Issue]:
    """Failed papers are listed in the release's issues too, not only on the terminal."""
    return [Issue(record_id=f.file_name, severity=Severity.ERROR, rule=f.slug, message=f.reason)
            for f in failures]
