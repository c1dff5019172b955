"""What a run extracts: every PDF in the input folder, once per distinct content.

Planning joins each file with its fingerprint and its manifest entry, so the flow
knows each paper's cache key and what the extractors are told about it before any
paper is read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from litcurate.extractors.stage_chain import PaperSource
from litcurate.pipeline.progress import emit
from litcurate.pipeline.sources.manifest import SourceEntry, SourcesManifest, discover_pdfs
from litcurate.schemas import Issue, Paper
from litcurate.schemas.issue_catalogue import make_issue

Fingerprint = Callable[[list[Path]], dict[str, str]]  # paths -> sha256 by file name


@dataclass(frozen=True)
class PlannedPaper:
    """A file to process, its fingerprint and manifest entry."""

    path: Path
    sha256: str
    entry: SourceEntry | None

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class Plan:
    """The papers to process, in discovery order, and the copies left out."""

    papers: list[PlannedPaper] = field(default_factory=list)
    duplicates: dict[str, str] = field(default_factory=dict)  # copy -> file processed

    def notices(self) -> list[str]:
        return [f"{copy} is the same file as {original}; processed once"
                for copy, original in self.duplicates.items()]


def plan_papers(raw_dir: Path, manifest: SourcesManifest, skip: set[str],
                fingerprint: Fingerprint) -> Plan:
    """Every PDF to process, once per distinct content.

    A file with the same bytes as another is processed once: the copy listed in
    sources.yaml wins, then the first by name. The run notes both names and the
    release lists the other copy in its issues.
    """
    paths = [p for p in discover_pdfs(raw_dir) if p.name not in skip]
    hashes = fingerprint(paths)
    plan = Plan()
    kept: dict[str, Path] = {}
    for path in sorted(paths, key=lambda p: (manifest.entry_for(p.name) is None, p.name)):
        sha256 = hashes[path.name]
        if sha256 in kept and path.stat().st_size > 0:
            original = kept[sha256].name
            plan.duplicates[path.name] = original
            emit(path.name, "done", f"same file as {original}")
        else:
            kept.setdefault(sha256, path)
    chosen = {p.name for p in kept.values()}
    plan.papers = [PlannedPaper(p, hashes[p.name], manifest.entry_for(p.name))
                   for p in paths if p.name in chosen]
    return plan


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
    return [make_issue("manifest-sha256-mismatch", record_id=paper.file_name,
                       file_name=paper.file_name, expected=entry.sha256[:12],
                       found=paper.sha256[:12])]
