"""The extraction cache key moves with everything an extraction depends on."""

from __future__ import annotations

from pathlib import Path

from litcurate.extractors.stage_chain import PaperExtraction
from litcurate.pipeline.execution.extraction_cache import (
    cache_keys,
    corrections_digest,
    discovered_papers,
    extraction_key,
    load_cached,
    papers_to_read,
    store,
)
from litcurate.pipeline.execution.paper_job import PaperFailure
from litcurate.pipeline.execution.planning import PlannedPaper
from litcurate.pipeline.execution.workers import Limits
from litcurate.pipeline.sources.manifest import SourceEntry
from litcurate.schemas import Paper
from litcurate.schemas.loader import file_sha256

SHA = "b" * 64


def test_key_changes_with_bytes_entry_and_corrections(tmp_path: Path) -> None:
    entry = SourceEntry(file="a.pdf", licence="CC-BY-4.0")
    base = extraction_key(SHA, "a.pdf", entry, corrections_digest(tmp_path))
    assert base == extraction_key(SHA, "a.pdf", entry, corrections_digest(tmp_path))
    assert base != extraction_key("c" * 64, "a.pdf", entry, corrections_digest(tmp_path))
    assert base != extraction_key(SHA, "copy.pdf", entry, corrections_digest(tmp_path))
    assert base != extraction_key(SHA, "a.pdf", entry.model_copy(update={"licence": "CC0"}),
                                  corrections_digest(tmp_path))
    (tmp_path / "corrections").mkdir()
    (tmp_path / "corrections" / "p.yaml").write_text("[]\n", encoding="utf-8")
    assert base != extraction_key(SHA, "a.pdf", entry, corrections_digest(tmp_path))


def test_entries_round_trip_and_damage_is_ignored(tmp_path: Path) -> None:
    paper = Paper(paper_id="p", file_name="a.pdf", sha256=SHA, pages=1, extractor_version="t")
    store(tmp_path, "k", PaperExtraction(paper=paper))
    cached = load_cached(tmp_path, "k")
    assert cached is not None and cached.paper == paper
    (tmp_path / "k.pickle").write_bytes(b"not a pickle")
    assert load_cached(tmp_path, "k") is None
    assert load_cached(tmp_path, "missing") is None


def test_papers_to_read_are_the_files_the_cache_holds_nothing_for(tmp_path: Path) -> None:
    raw, cache, curated = tmp_path / "raw", tmp_path / "cache", tmp_path / "curated"
    raw.mkdir()
    for name in ("a.pdf", "b.pdf", "c.pdf"):
        (raw / name).write_bytes(f"%PDF-1.4 {name}".encode())
    limits = Limits(seconds=60, memory_mb=512)
    assert len(papers_to_read(discovered_papers(raw), curated, limits, cache)) == 3
    papers = [PlannedPaper(raw / n, file_sha256(raw / n), None) for n in ("a.pdf", "b.pdf")]
    keys = cache_keys(papers, curated, limits)
    paper = Paper(paper_id="a", file_name="a.pdf", sha256=SHA, pages=1, extractor_version="t")
    store(cache, keys["a.pdf"].extraction, PaperExtraction(paper=paper))
    store(cache, keys["b.pdf"].failure, PaperFailure("b.pdf", "corrupt", "corrupt-pdf"))
    found = discovered_papers(raw)
    assert [p.name for p in papers_to_read(found, curated, limits, cache)] == ["c.pdf"]
    assert [p.name for p in papers_to_read(found, curated, limits, cache, retry_failed=True)
            ] == ["b.pdf", "c.pdf"]  # b.pdf again
