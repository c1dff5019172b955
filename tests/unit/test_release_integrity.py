"""A forged or malformed release is refused by ``load`` and failed by ``verify``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from litcurate.pipeline.release.publish import publish_release
from litcurate.pipeline.release.verify import verify_release
from litcurate.schemas.loader import ReleaseError, file_sha256, load_release
from tests.unit.test_release_format import outcome, records

Manifest = dict[str, Any]


def published(tmp_path: Path) -> Path:
    result = publish_release(records(outcome()), tmp_path)
    assert result.path is not None
    return result.path


def edit_manifest(release: Path, change: Callable[[Manifest], None]) -> None:
    path = release / "datapackage.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    change(manifest)
    path.write_text(json.dumps(manifest), encoding="utf-8")


def parquet_entry(manifest: Manifest, name: str) -> dict[str, Any]:
    return next(e for e in manifest["litcurate"]["parquet"] if e["name"] == name)


def assert_refused(tmp_path: Path, says: str) -> None:
    """``load`` raises and ``verify`` fails, both saying ``says``."""
    with pytest.raises(ReleaseError, match=says):
        load_release(tmp_path)
    problems, _ = verify_release(tmp_path, None)
    assert any(says in problem for problem in problems), problems


def test_a_forged_parquet_whose_hash_entry_was_removed_is_refused(tmp_path: Path) -> None:
    release = published(tmp_path)
    table = pq.read_table(release / "outcomes.parquet")
    forged = table.set_column(table.schema.get_field_index("value"), "value",
                              pa.array([99.0], pa.float64()))
    pq.write_table(forged, release / "outcomes.parquet")
    edit_manifest(release, lambda m: m["litcurate"]["parquet"].remove(
        parquet_entry(m, "outcomes")))
    assert_refused(tmp_path, "outcomes.parquet: not listed with a sha256")


def test_a_file_path_outside_the_release_is_refused(tmp_path: Path) -> None:
    release = published(tmp_path)
    (tmp_path / "elsewhere.csv").write_text("x\n", encoding="utf-8")

    def escape(manifest: Manifest) -> None:
        manifest["resources"][0]["path"] = "../../elsewhere.csv"
        manifest["resources"][0]["hash"] = f"sha256:{file_sha256(tmp_path / 'elsewhere.csv')}"

    edit_manifest(release, escape)
    assert_refused(tmp_path, "outside the release folder")


def test_a_parquet_column_of_another_type_is_refused(tmp_path: Path) -> None:
    release = published(tmp_path)
    table = pq.read_table(release / "outcomes.parquet")
    retyped = table.set_column(table.schema.get_field_index("value"), "value",
                               pa.array(["99"], pa.string()))
    pq.write_table(retyped, release / "outcomes.parquet")

    def rehash(manifest: Manifest) -> None:
        entry = parquet_entry(manifest, "outcomes")
        entry["hash"] = f"sha256:{file_sha256(release / 'outcomes.parquet')}"
        entry["bytes"] = (release / "outcomes.parquet").stat().st_size

    edit_manifest(release, rehash)
    assert_refused(tmp_path, "column value is string, declared number")


def test_a_resource_without_a_hash_is_refused(tmp_path: Path) -> None:
    release = published(tmp_path)
    edit_manifest(release, lambda m: m["resources"][0].pop("hash"))
    assert_refused(tmp_path, "no sha256 in datapackage.json")


def test_verify_reports_a_malformed_datapackage(tmp_path: Path) -> None:
    release = published(tmp_path)
    (release / "datapackage.json").write_text("{not json", encoding="utf-8")
    problems, _ = verify_release(tmp_path, None)
    assert problems and problems[0].startswith("datapackage.json: cannot be read")


def test_latest_reaching_outside_the_releases_is_refused(tmp_path: Path) -> None:
    published(tmp_path / "curated")
    planted = tmp_path / "planted"
    planted.mkdir()
    (planted / "datapackage.json").write_text("{}", encoding="utf-8")
    (tmp_path / "curated" / "LATEST").write_text("../../planted\n", encoding="utf-8")
    with pytest.raises(ReleaseError, match="is not a release version"):
        load_release(tmp_path / "curated")
    problems, path = verify_release(tmp_path / "curated", None)
    assert path is None and "is not a release version" in problems[0]


def test_load_refuses_a_malformed_datapackage_with_a_release_error(tmp_path: Path) -> None:
    release = published(tmp_path)
    (release / "datapackage.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ReleaseError, match=r"datapackage\.json: cannot be read"):
        load_release(tmp_path)


def test_releases_lists_versions_and_skips_stray_folders(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from litcurate.pipeline.cli.app import app

    published(tmp_path)
    (tmp_path / "releases" / "backup-old").mkdir()
    listed = CliRunner().invoke(app, ["releases", "--curated", str(tmp_path)])
    assert listed.exit_code == 0, listed.output
    assert listed.output.split() == ["1.0.0", "(LATEST)"]
    (tmp_path / "empty").mkdir()
    empty = CliRunner().invoke(app, ["releases", "--curated", str(tmp_path / "empty")])
    assert empty.exit_code == 0 and "no releases yet in" in empty.output
    missing = CliRunner().invoke(app, ["releases", "--curated", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "no folder" in missing.output


def test_latest_by_name_and_a_missing_folder(tmp_path: Path) -> None:
    """Apps and the command line name LATEST as "latest" or "LATEST"; a dataset home
    that is not there is named as such, not as a folder without LATEST."""
    publish_release(records(outcome()), tmp_path)
    for name in ("latest", "LATEST", None):
        assert load_release(tmp_path, name).version == "1.0.0"
    with pytest.raises(ReleaseError, match=r"^no folder .*nowhere$"):
        load_release(tmp_path / "nowhere")


def test_releases_says_when_latest_names_no_release(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from litcurate.pipeline.cli.app import app

    published(tmp_path)
    (tmp_path / "LATEST").write_text("9.9.9\n")
    listed = CliRunner().invoke(app, ["releases", "--curated", str(tmp_path)])
    assert listed.exit_code == 1
    assert "LATEST names '9.9.9', which is not a release" in " ".join(listed.output.split())


def test_nothing_is_published_on_top_of_a_damaged_latest_nor_what_fails_verify(
        tmp_path: Path) -> None:
    from litcurate.pipeline.release.publish import PublishError
    from litcurate.schemas import Paper

    publish_release(records(outcome()), tmp_path)
    latest = tmp_path / "releases" / "1.0.0"
    good = (latest / "outcomes.csv").read_bytes()
    (latest / "outcomes.csv").write_bytes(good[: len(good) // 2])
    with pytest.raises(PublishError, match=r"LATEST names release 1\.0\.0, which fails "
                                           r"verification: outcomes\.csv: sha256 differs"):
        publish_release(records(outcome(54.0)), tmp_path)
    (latest / "outcomes.csv").write_bytes(good)
    # two papers' records under one key: the staged release fails verify, so it stays out
    twin = Paper(paper_id="q", file_name="q.pdf", sha256="1" * 64, pages=1,
                 extractor_version="t")
    clash = {"papers": [*records()["papers"], twin], "outcomes": [outcome(54.0), outcome(55.0)]}
    with pytest.raises(PublishError, match=r"release 1\.1\.0 not published: it fails "
                                           r"verification: .*LATEST still names 1\.0\.0"):
        publish_release(clash, tmp_path)
    assert sorted(p.name for p in (tmp_path / "releases").iterdir()) == ["1.0.0"]
    assert (tmp_path / "LATEST").read_text().strip() == "1.0.0"
