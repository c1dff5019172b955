"""The corpus flow: every PDF in data/raw/ -> one validated, published release.

Reads like a table of contents: discover inputs, process each paper (a failure is
reported and the batch goes on), publish what succeeded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from prefect import flow

from litcurate.extractors.errors import ExtractionError
from litcurate.extractors.paper import PaperExtraction, PaperSource
from litcurate.pipeline import tasks
from litcurate.pipeline.corrections import (
    CorrectionsError,
    apply_cell_corrections,
    corrections_path,
    load_corrections,
)
from litcurate.pipeline.environment import litcurate_home
from litcurate.pipeline.extraction_cache import (
    corrections_digest,
    extraction_key,
    load_cached,
    store,
)
from litcurate.pipeline.metrics import metrics_card
from litcurate.pipeline.progress import emit
from litcurate.pipeline.publish import PublishResult, publish_release
from litcurate.pipeline.pull import PullError
from litcurate.pipeline.sources import (
    SourceEntry,
    SourcesManifest,
    discover_pdfs,
    load_manifest,
    save_manifest,
    today,
)
from litcurate.schemas import Issue, Severity


@dataclass
class PaperFailure:
    """A paper that could not be processed, and the one-line reason why."""

    file_name: str
    reason: str
    slug: str


@dataclass
class RunSummary:
    """What a run did, for the CLI's closing summary and for tests."""

    extractions: list[PaperExtraction] = field(default_factory=list)
    failures: list[PaperFailure] = field(default_factory=list)
    publish: PublishResult | None = None
    notices: list[str] = field(default_factory=list)  # e.g. a source pulled from a local copy

    def count(self, resource: str) -> int:
        return sum(len(e.resources()[resource]) for e in self.extractions)


def source_for(path: Path, entry: SourceEntry | None, sha256: str) -> PaperSource:
    """Join a file with its manifest entry (if any) into what the extractors need."""
    if entry is None:
        return PaperSource(path=path, sha256=sha256)
    return PaperSource(path=path, sha256=sha256, paper_id=entry.paper_id, title=entry.title,
                       doi=entry.doi, year=entry.year, citation=entry.citation,
                       licence=entry.licence, source_url=entry.url, pulled_at=entry.pulled)


def manifest_issues(entry: SourceEntry | None, source: PaperSource) -> list[Issue]:
    """A manifest hash that no longer matches the file is provenance we cannot vouch for."""
    if entry is None or not entry.sha256 or entry.sha256 == source.sha256:
        return []
    return [Issue(record_id=source.path.name, severity=Severity.WARNING, rule="sha256-mismatch",
                  message=f"{source.path.name}: sha256 differs from sources.yaml "
                          f"({entry.sha256[:12]}... expected, {source.sha256[:12]}... found)")]


def process_paper(path: Path, entry: SourceEntry | None,
                  curated_dir: Path | None = None) -> PaperExtraction:
    """One paper through every stage, each a Prefect task; corrections from ``curated_dir``.

    An unchanged paper (same bytes, entry, corrections and code version) comes from the
    extraction cache without being read again.
    """
    name = path.name
    source = source_for(path, entry, tasks.fingerprint(path))
    cache_dir = litcurate_home() / "extractions"
    key = extraction_key(source.sha256, entry, corrections_digest(curated_dir))
    cached = load_cached(cache_dir, key)
    if cached is not None:
        emit(name, "done", f"{len(cached.tables)} tables, {len(cached.outcomes)} outcomes, "
                           f"{len(cached.statements)} statements (cached)")
        return cached
    read = tasks.read(source)
    if isinstance(read, ExtractionError):
        raise read
    document, paper = read
    corrections = (load_corrections(corrections_path(curated_dir, paper.paper_id))
                   if curated_dir is not None else [])
    found = tasks.tables(name, document, paper)
    cell_fixes = apply_cell_corrections(found, corrections, paper.paper_id)
    results = tasks.outcomes(name, paper, found)
    said = tasks.statements(name, paper, document, found)
    extraction = tasks.validate(name, paper, found, results, said, corrections, cell_fixes)
    extraction.issues.extend(
        i.model_copy(update={"paper_id": paper.paper_id}) for i in manifest_issues(entry, source))
    emit(name, "done", f"{len(extraction.tables)} tables, {len(extraction.outcomes)} outcomes, "
                       f"{len(extraction.statements)} statements")
    store(cache_dir, key, extraction)
    return extraction


@flow(name="litcurate-run", log_prints=False, validate_parameters=False)
def curate(raw_dir: Path, curated_dir: Path, publish: bool = True) -> RunSummary:
    """Extract every paper in ``raw_dir`` and publish a release under ``curated_dir``."""
    summary = RunSummary()
    # Pull
    manifest = load_manifest(raw_dir)
    manifest, unavailable = pull_sources(manifest, raw_dir, summary)
    # Extract
    for path in discover_pdfs(raw_dir):
        if path.name in unavailable:
            continue
        try:
            summary.extractions.append(process_paper(path, manifest.entry_for(path.name),
                                                     curated_dir))
        except CorrectionsError as error:
            summary.failures.append(PaperFailure(path.name, str(error), "bad-corrections"))
            emit(path.name, "failed", str(error))
        except ExtractionError as error:
            summary.failures.append(PaperFailure(path.name, error.reason, error.slug))
            emit(path.name, "failed", error.reason)
        except Exception as error:  # a bug on one paper must not sink the batch
            reason = f"internal error: {type(error).__name__}: {error}"
            summary.failures.append(PaperFailure(path.name, reason, "internal-error"))
            emit(path.name, "failed", reason)
    # Load
    if publish and summary.extractions:
        records: dict[str, list] = {}
        for extraction in summary.extractions:
            for name, rows in extraction.resources().items():
                records.setdefault(name, []).extend(rows)
        records["issues"] = [*records.get("issues", []), *failure_issues(summary.failures)]
        dates = [e.added for e in manifest.papers if e.added]
        card = metrics_card(litcurate_home() / "metrics")
        summary.publish = publish_release(records, curated_dir, source_dates=dates, metrics=card)
    return summary


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


def failure_issues(failures: list[PaperFailure]) -> list[Issue]:
    """Failed papers are listed in the release's issues too, not only on the terminal."""
    return [Issue(record_id=f.file_name, severity=Severity.ERROR, rule=f.slug, message=f.reason)
            for f in failures]
