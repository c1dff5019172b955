"""Content-addressed cache of whole-paper extractions: unchanged papers are not re-read.

A paper's extraction depends on its bytes (sha256), the extraction code (its versions
and a digest of its source), its manifest entry and the curators' corrections; the
cache key hashes all of them, so changing one PDF (or its corrections, or the code)
re-extracts only what it affects. Entries are pickled ``PaperExtraction`` objects
written atomically under the litcurate home; a damaged entry is ignored and rewritten.

A paper that fails because of the file itself (corrupt, encrypted, scanned, over its
time or memory limit) is remembered too, under a key that adds the limits: a served
deployment must not spend its time limit again on every run for a file that has not
changed. Failures that may be transient (a worker that died) are never remembered.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
from dataclasses import dataclass
from pathlib import Path

from litcurate import __version__
from litcurate.atomic import atomic_writer
from litcurate.code_digest import code_digest
from litcurate.extractors import EXTRACTOR_VERSION
from litcurate.extractors.stage_chain import PaperExtraction
from litcurate.pipeline.bounded_yaml import MAX_YAML_BYTES
from litcurate.pipeline.corrections import CORRECTIONS_DIR
from litcurate.pipeline.execution.paper_job import PaperFailure
from litcurate.pipeline.execution.planning import PlannedPaper
from litcurate.pipeline.execution.workers import Limits
from litcurate.pipeline.sources.manifest import SourceEntry

CACHE_FORMAT = "1"
# Failures that the same bytes under the same limits will always repeat.
REPEATABLE_FAILURES = frozenset({"empty-file", "not-a-pdf", "corrupt-pdf", "encrypted-pdf",
                                 "no-text-layer", "time-limit", "memory-limit"})


def corrections_digest(curated_dir: Path | None) -> str:
    """sha256 over every corrections file: a change there invalidates cached papers.

    Read as the corrections reader reads them: only regular files, and no further than
    its size limit (a link to an endless device is refused there, not read here)."""
    digest = hashlib.sha256()
    folder = curated_dir / CORRECTIONS_DIR if curated_dir is not None else None
    if folder is not None and folder.is_dir():
        for path in sorted(folder.glob("*.yaml")):
            digest.update(path.name.encode())
            if not path.is_file():
                digest.update(b"\0not a file")
                continue
            with path.open("rb") as handle:
                digest.update(handle.read(MAX_YAML_BYTES + 1))
    return digest.hexdigest()


# What an extraction is computed with: the extraction code and vocabularies, so an edited
# rule is never served stale from the cache even before EXTRACTOR_VERSION is bumped.
EXTRACTION_CODE = ("extractors/**/*.py", "schemas/**/*.py", "schemas/**/*.yaml",
                   "extractors/statements/parser_model/**/*",
                   "pipeline/corrections.py", "pipeline/execution/paper_job.py")


def extraction_key(pdf_sha256: str, file_name: str, entry: SourceEntry | None,
                   corrections: str) -> str:
    """The cache key of one paper's extraction (the file name is part of its records)."""
    parts = [CACHE_FORMAT, __version__, EXTRACTOR_VERSION, code_digest(EXTRACTION_CODE),
             pdf_sha256, file_name,
             entry.model_dump_json() if entry is not None else "", corrections]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def failure_key(key: str, seconds: float, memory_mb: int) -> str:
    """Where a paper's repeatable failure is kept: its extraction key plus the limits."""
    return hashlib.sha256(f"{key}|failure|{seconds:g}|{memory_mb}".encode()).hexdigest()


@dataclass(frozen=True)
class CacheKeys:
    """Where one paper's extraction is kept, and where its repeatable failure is."""

    extraction: str
    failure: str


def cache_keys(papers: list[PlannedPaper], curated_dir: Path, limits: Limits
               ) -> dict[str, CacheKeys]:
    """Every planned paper's keys, by file name, for this run's corrections and limits."""
    corrections = corrections_digest(curated_dir)
    keys: dict[str, CacheKeys] = {}
    for paper in papers:
        key = extraction_key(paper.sha256, paper.name, paper.entry, corrections)
        keys[paper.name] = CacheKeys(key, failure_key(key, limits.seconds, limits.memory_mb))
    return keys


def discovered_papers(raw_dir: Path) -> list[PlannedPaper]:
    """Every PDF in ``raw_dir`` with its fingerprint and manifest entry, in discovery
    order: what the command knows before the run plans (no source pulled, no copy set
    aside)."""
    from litcurate.pipeline.sources.manifest import discover_pdfs, load_manifest
    from litcurate.schemas.loader import file_sha256

    manifest = load_manifest(raw_dir)
    return [PlannedPaper(path, file_sha256(path), manifest.entry_for(path.name))
            for path in discover_pdfs(raw_dir)]


def papers_to_read(papers: list[PlannedPaper], curated_dir: Path, limits: Limits,
                   cache_dir: Path, retry_failed: bool = False) -> list[PlannedPaper]:
    """The ``papers`` the cache holds no outcome for."""
    held = {path.stem for path in cache_dir.glob("*.pickle")} if cache_dir.is_dir() else set()
    keys = cache_keys(papers, curated_dir, limits)
    return [paper for paper in papers
            if keys[paper.name].extraction not in held
            and (retry_failed or keys[paper.name].failure not in held)]


def find_cached(cache_dir: Path, keys: CacheKeys, *, retry_failed: bool = False
                ) -> PaperExtraction | PaperFailure | None:
    """The paper's cached extraction, else its remembered failure (unless ``retry_failed``)."""
    cached = load_cached(cache_dir, keys.extraction)
    if cached is None and not retry_failed:
        cached = load_cached(cache_dir, keys.failure)
    return cached


def keep(cache_dir: Path, keys: CacheKeys, outcome: PaperExtraction | PaperFailure) -> None:
    """Cache an extraction, or a failure the same file would repeat; forget the others.
    An entry that cannot be written (a full disk) is skipped: the cache only saves time,
    and the paper's outcome must still reach the release."""
    with contextlib.suppress(OSError):
        if isinstance(outcome, PaperExtraction):
            store(cache_dir, keys.extraction, outcome)
        elif outcome.slug in REPEATABLE_FAILURES:
            store(cache_dir, keys.failure, outcome)


def load_cached(cache_dir: Path, key: str) -> PaperExtraction | PaperFailure | None:
    """The cached extraction (or failure) for ``key``, or None (missing or unreadable)."""
    path = cache_dir / f"{key}.pickle"
    if not path.is_file():
        return None
    try:
        with path.open("rb") as handle:
            value = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    return value if isinstance(value, PaperExtraction | PaperFailure) else None


def store(cache_dir: Path, key: str, extraction: PaperExtraction | PaperFailure) -> None:
    """Write an entry atomically, so a crash never leaves half a pickle under its key."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    with atomic_writer(cache_dir / f"{key}.pickle", prefix=f".{key[:12]}.", suffix="") as out:
        pickle.dump(extraction, out, protocol=pickle.HIGHEST_PROTOCOL)
