"""A paper that fails keeps its previous records in the next release, flagged, and loses
the flag as soon as it extracts again."""

from __future__ import annotations

from pathlib import Path

import pytest

from litcurate.schemas.loader import load_release
from tests import hostile_pdfs as build

pytestmark = pytest.mark.e2e


def _rows(curated: Path, resource: str, paper_id: str) -> list[dict[str, object]]:
    frame = load_release(curated).frame(resource)
    return frame[frame["paper_id"] == paper_id].astype(str).to_dict(orient="records")


def test_failed_paper_is_carried_over_never_deleted(tmp_path: Path) -> None:
    from litcurate.pipeline.flow import curate

    raw, curated = tmp_path / "raw", tmp_path / "curated"
    raw.mkdir()
    build.build_text_pdf(raw / "a.pdf", title="Alpha trial of gargling")
    build.build_text_pdf(raw / "b.pdf", title="Beta review of octreotide")
    first = curate(raw_dir=raw, curated_dir=curated)
    assert first.publish is not None and first.publish.version == "1.0.0"
    b_id = next(e.paper.paper_id for e in first.extractions if e.paper.file_name == "b.pdf")
    before = {name: _rows(curated, name, b_id) for name in ("papers", "glossary")}
    assert before["papers"]

    good = (raw / "b.pdf").read_bytes()
    (raw / "b.pdf").write_bytes(good[: len(good) // 2])  # b.pdf is now broken
    second = curate(raw_dir=raw, curated_dir=curated)
    assert [f.file_name for f in second.failures] == ["b.pdf"]
    assert second.carried_over == ["b.pdf"]
    assert second.publish is not None and second.publish.version not in {None, "1.0.0"}
    for name, rows in before.items():
        assert _rows(curated, name, b_id) == rows  # unchanged, not deleted
    issues = load_release(curated).frame("issues")
    flags = issues[issues["rule"] == "carried-over"]
    assert list(flags["record_id"]) == ["b.pdf"]
    assert "release 1.0.0" in flags["message"].iloc[0]
    assert "corrupt PDF" in flags["message"].iloc[0]

    (raw / "b.pdf").write_bytes(good)
    third = curate(raw_dir=raw, curated_dir=curated)
    assert third.failures == [] and third.carried_over == []
    issues = load_release(curated).frame("issues")
    assert "carried-over" not in set(issues["rule"])
    assert _rows(curated, "papers", b_id) == before["papers"]


def test_a_listed_paper_whose_file_is_missing_fails_and_keeps_its_records(
        tmp_path: Path) -> None:
    """A file the manifest lists but the folder lacks (an unmounted volume, a file moved
    away) is no retraction: it fails with its reason and its records are carried over."""
    from litcurate.pipeline.flow import curate

    raw, curated = tmp_path / "raw", tmp_path / "curated"
    raw.mkdir()
    build.build_text_pdf(raw / "a.pdf", title="Alpha trial of gargling")
    build.build_text_pdf(raw / "b.pdf", title="Beta review of octreotide")
    (raw / "sources.yaml").write_text("papers:\n- file: b.pdf\n  title: Beta review\n",
                                      encoding="utf-8")
    first = curate(raw_dir=raw, curated_dir=curated)
    b_id = next(e.paper.paper_id for e in first.extractions if e.paper.file_name == "b.pdf")
    before = _rows(curated, "papers", b_id)

    (raw / "b.pdf").unlink()
    second = curate(raw_dir=raw, curated_dir=curated)
    assert [(f.file_name, f.slug) for f in second.failures] == [("b.pdf", "missing-file")]
    assert "listed in sources.yaml but not in raw/" in second.failures[0].reason
    assert second.carried_over == ["b.pdf"]
    assert _rows(curated, "papers", b_id) == before


def test_a_corrections_file_naming_no_paper_is_reported(tmp_path: Path) -> None:
    """A paper without a DOI takes its id from its file name: renamed, its corrections
    file names no paper any more, and the run says so instead of dropping it quietly."""
    from litcurate.pipeline.corrections import corrections_path, save_corrections
    from litcurate.pipeline.flow import curate

    raw, curated = tmp_path / "raw", tmp_path / "curated"
    raw.mkdir()
    build.build_text_pdf(raw / "a.pdf", title="Alpha trial of gargling")
    first = curate(raw_dir=raw, curated_dir=curated)
    a_id = first.extractions[0].paper.paper_id
    save_corrections(corrections_path(curated, a_id), [
        {"resource": "statements", "id": f"{a_id}:s:0", "action": "exclude", "by": "me",
         "reason": "r", "date": "2026-12-06"}])
    (raw / "a.pdf").rename(raw / "a renamed.pdf")
    second = curate(raw_dir=raw, curated_dir=curated)
    assert second.extractions[0].paper.paper_id != a_id
    (orphan,) = second.orphaned
    assert orphan.message == (f"corrections/{a_id}.yaml was not applied: it names paper "
                              f"'{a_id}', which is not in this release")
    issues = load_release(curated).frame("issues")
    assert list(issues[issues["rule"] == "orphan-corrections"]["record_id"]) == [
        f"corrections/{a_id}.yaml"]


def test_corrections_files_that_cannot_be_read_are_reported_not_read(tmp_path: Path) -> None:
    """A .yml name, a folder named like a file and a link to an endless device: each is
    reported, none stops the run or is read without end."""

    from litcurate.pipeline.flow import curate

    raw, curated = tmp_path / "raw", tmp_path / "curated"
    raw.mkdir()
    build.build_text_pdf(raw / "a.pdf", title="Alpha trial of gargling")
    folder = curated / "corrections"
    folder.mkdir(parents=True)
    (folder / "a.yml").write_text("[]\n", encoding="utf-8")
    (folder / "b.yaml").mkdir()
    (folder / "c.yaml").symlink_to("/dev/zero")
    summary = curate(raw_dir=raw, curated_dir=curated)
    assert summary.publish is not None and summary.publish.version == "1.0.0"
    assert sorted(i.message for i in summary.orphaned) == [
        "corrections/a.yml was not applied: corrections files are named PAPER_ID.yaml",
        "corrections/b.yaml was not applied: it is not a regular file",
        "corrections/c.yaml was not applied: it is not a regular file"]


def test_a_pdf_name_that_is_no_file_fails_by_name(tmp_path: Path) -> None:
    from litcurate.pipeline.flow import curate

    raw, curated = tmp_path / "raw", tmp_path / "curated"
    raw.mkdir()
    build.build_text_pdf(raw / "a.pdf", title="Alpha trial of gargling")
    (raw / "folder.pdf").mkdir()
    (raw / "dangling.pdf").symlink_to(tmp_path / "gone.pdf")
    (raw / "device.pdf").symlink_to("/dev/zero")
    summary = curate(raw_dir=raw, curated_dir=curated)
    assert sorted((f.file_name, f.reason) for f in summary.failures) == [
        ("dangling.pdf", "a link to nothing"), ("device.pdf", "not a regular file"),
        ("folder.pdf", "a folder, not a PDF file")]
    assert [e.paper.file_name for e in summary.extractions] == ["a.pdf"]
    assert summary.publish is not None and summary.publish.version == "1.0.0"
