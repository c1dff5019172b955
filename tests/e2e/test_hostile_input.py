"""Hostile and broken PDFs: each is reported by name with its reason, the rest of the
batch is extracted and published, and no file can hang or exhaust the run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from litcurate.schemas.loader import load_release
from tests import hostile_pdfs as build

if TYPE_CHECKING:
    from litcurate.pipeline.flow import RunSummary

pytestmark = pytest.mark.e2e

TIME_LIMIT = 10.0  # the tiny-objects page needs about 3 times this; every other file far less
MEMORY_LIMIT_MB = 512  # the bomb inflates to 3 GiB

# file name -> (builder, expected failure slug and reason fragment, or None if it must open)
CASES: dict[str, tuple[Callable[[Path], Path], tuple[str, str] | None]] = {
    "zero-byte.pdf": (build.build_zero_byte, ("empty-file", "empty file (0 bytes)")),
    "not-a-pdf.pdf": (build.build_not_a_pdf, ("not-a-pdf", "not a PDF")),
    "truncated.pdf": (build.build_truncated, ("corrupt-pdf", "corrupt PDF")),
    "xref-repairable.pdf": (build.build_broken_xref_repairable, None),
    "xref-unrepairable.pdf": (build.build_broken_xref_unrepairable,
                              ("corrupt-pdf", "corrupt PDF (no pages)")),
    "encrypted-empty-password.pdf": (build.build_encrypted_empty_password, None),
    "encrypted-password.pdf": (build.build_encrypted_with_password,
                               ("encrypted-pdf", "a password is needed")),
    "scanned.pdf": (build.build_image_only,
                    ("no-text-layer", "no text layer (scanned or image-only PDF); "
                                      "OCR not supported")),
    "tiny-objects.pdf": (lambda p: build.build_many_tiny_objects(p, count=1_500_000),
                         ("time-limit", f"exceeded the time limit of {TIME_LIMIT:g} s")),
    "bomb.pdf": (build.build_decompression_bomb,
                 ("memory-limit", f"exceeded the memory limit of {MEMORY_LIMIT_MB} MB")),
    "500-pages.pdf": (build.build_many_pages, None),
    "good.pdf": (build.build_text_pdf, None),
}


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[RunSummary, Path]:
    root = tmp_path_factory.mktemp("hostile")
    raw, curated = root / "raw", root / "curated"
    raw.mkdir()
    for name, (builder, _) in CASES.items():
        builder(raw / name)
    build.build_text_pdf(raw / "good_copy.pdf")  # same bytes under a later name
    from litcurate.pipeline.flow import curate

    summary = curate(raw_dir=raw, curated_dir=curated, time_limit=TIME_LIMIT,
                     memory_limit_mb=MEMORY_LIMIT_MB)
    return summary, curated


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_file_is_extracted_or_reported(batch: tuple[RunSummary, Path], name: str) -> None:
    summary, _ = batch
    failures = {f.file_name: f for f in summary.failures}
    extracted = {e.paper.file_name: e for e in summary.extractions}
    expected = CASES[name][1]
    if expected is None:
        assert name in extracted, failures.get(name)
        assert extracted[name].paper.pages >= 1
    else:
        slug, reason = expected
        assert name in failures, f"{name} was not reported"
        assert failures[name].slug == slug
        assert reason in failures[name].reason
        assert "\n" not in failures[name].reason


def test_readable_files_keep_their_text(batch: tuple[RunSummary, Path]) -> None:
    summary, _ = batch
    papers = {e.paper.file_name: e.paper for e in summary.extractions}
    assert papers["500-pages.pdf"].pages == 500
    assert papers["xref-repairable.pdf"].title == build.DEFAULT_TITLE
    assert papers["encrypted-empty-password.pdf"].title == build.DEFAULT_TITLE


def test_release_holds_the_rest_and_lists_every_failure(batch: tuple[RunSummary, Path]) -> None:
    summary, curated = batch
    assert summary.publish is not None and summary.publish.version == "1.0.0"
    release = load_release(curated)
    published = set(release.frame("papers")["file_name"])
    assert published == {n for n, (_, expected) in CASES.items() if expected is None}
    issues = release.frame("issues")
    failed = issues[issues["severity"] == "error"]
    assert set(failed["record_id"]) >= {n for n, (_, e) in CASES.items() if e is not None}


def test_same_file_twice_is_processed_once_and_both_names_recorded(
        batch: tuple[RunSummary, Path]) -> None:
    summary, curated = batch
    assert summary.duplicates == {"good_copy.pdf": "good.pdf"}
    copy, original = "good_copy.pdf", "good.pdf"
    names = [e.paper.file_name for e in summary.extractions]
    assert original in names and copy not in names
    issues = load_release(curated).frame("issues")
    duplicate = issues[issues["rule"] == "duplicate-file"]
    assert list(duplicate["record_id"]) == [copy]
    assert original in duplicate["message"].iloc[0]
