"""Every committed release stays readable and verifiable by today's package.

An app pinned to an older release must not break when litcurate upgrades: ``verify``
and ``litcurate.load`` read each release through the schema its own datapackage.json
declares (6.0.0 renamed ``statements.line_of_therapy`` to ``setting``; older releases
keep their column).
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

import litcurate
from litcurate.pipeline.release.files import read_csv_rows
from litcurate.pipeline.release.verify import verify_release
from tests.conftest import ROOT

CURATED = ROOT / "data" / "curated"
VERSIONS = sorted((p.name for p in (CURATED / "releases").iterdir() if p.is_dir()),
                  key=lambda v: tuple(int(x) for x in v.split(".")))


def declared_columns(version: str, name: str) -> list[str]:
    manifest = json.loads((CURATED / "releases" / version / "datapackage.json").read_text())
    entry = next(r for r in manifest["resources"] if r["name"] == name)
    return [f["name"] for f in entry["schema"]["fields"]]


def test_the_committed_releases_are_all_here() -> None:
    latest = (CURATED / "LATEST").read_text(encoding="utf-8").strip()
    assert VERSIONS[0] == "1.0.0" and VERSIONS[-1] == latest and len(VERSIONS) >= 10


@pytest.mark.parametrize("version", VERSIONS)
def test_a_committed_release_verifies(version: str) -> None:
    problems, path = verify_release(CURATED, version)
    assert problems == [] and path is not None and path.name == version


@pytest.mark.parametrize("version", VERSIONS)
def test_a_committed_release_loads_with_its_own_columns(version: str) -> None:
    release = litcurate.load(CURATED, version)
    assert release.version == version
    assert {"papers", "outcomes", "statements", "issues"} <= set(release.resource_names)
    for name in release.resource_names:
        frame = release.frame(name)
        assert list(frame.columns) == declared_columns(version, name), name
        assert len(list(release.records(name))) == len(frame), name
    renamed_in = (6, 0, 0)  # statements.line_of_therapy became setting
    setting = ("setting" if tuple(int(x) for x in version.split(".")) >= renamed_in
               else "line_of_therapy")
    statement = next(iter(release.records("statements")))
    assert hasattr(statement, setting) and setting in release.frame("statements").columns


def test_an_old_release_is_still_checked_value_by_value(tmp_path: Path) -> None:
    shutil.copytree(CURATED / "releases" / "1.0.0", tmp_path / "releases" / "1.0.0")
    statements = tmp_path / "releases" / "1.0.0" / "statements.csv"
    columns, rows = read_csv_rows(statements)
    rows[0]["char_start"] = "-1"
    with statements.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    problems, _ = verify_release(tmp_path, "1.0.0")
    assert "statements.csv:2: ('char_start',): Input should be greater than or equal to 0" in (
        problems)
