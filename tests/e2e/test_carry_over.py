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
