"""A datapackage.json of the wrong shape, or LATEST holding nonsense, is refused in one
line by ``load`` and ``verify``: never an AttributeError, a RecursionError or an OSError
(cases the inputs fuzzer found, benchmarks/fuzz_inputs.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from litcurate.pipeline.cli.app import app
from litcurate.pipeline.release.verify import verify_release
from litcurate.schemas.loader import ReleaseError, load_release
from tests.unit.test_release_integrity import Manifest, edit_manifest, published


def assert_refused_in_one_line(curated: Path, says: str) -> None:
    """``load`` raises a one-line ReleaseError and ``verify`` (the command too) fails,
    each saying ``says``."""
    with pytest.raises(ReleaseError) as raised:
        load_release(curated)
    assert says in str(raised.value) and str(raised.value).isprintable(), raised.value
    problems, _ = verify_release(curated, None)
    assert any(says in problem for problem in problems), problems
    assert all(problem.isprintable() for problem in problems), problems
    command = CliRunner().invoke(app, ["verify", "--curated", str(curated)])
    assert command.exit_code == 1 and isinstance(command.exception, SystemExit), command.output


def set_field(resource: int, index: int, value: Any) -> Any:
    def change(manifest: Manifest) -> None:
        manifest["resources"][resource]["schema"]["fields"][index] = value
    return change


@pytest.mark.parametrize(("value", "says"), [
    ("", "resources.0.schema.fields.2: Input should be an object"),
    (None, "resources.0.schema.fields.2: Input should be an object"),
    ([[[]]], "resources.0.schema.fields.2: Input should be an object"),
    ({"type": "string"}, "resources.0.schema.fields.2.name: Field required"),
    ({"name": "sha256", "type": "x" * 500}, "resources.0.schema.fields.2.type: Input should be"),
])
def test_a_schema_field_of_the_wrong_shape_is_refused(tmp_path: Path, value: Any,
                                                      says: str) -> None:
    edit_manifest(published(tmp_path), set_field(0, 2, value))
    assert_refused_in_one_line(tmp_path, says)


@pytest.mark.parametrize(("change", "says"), [
    (lambda m: m.update(resources="papers.csv"), "resources: Input should be a valid list"),
    (lambda m: m.update(litcurate=[1]), "litcurate: Input should be an object"),
    (lambda m: m["litcurate"].update(parquet={"a": 1}), "litcurate.parquet: Input should be"),
    (lambda m: m["resources"][0].update(schema=[]), "resources.0.schema: Input should be an"),
    (lambda m: m["resources"][0].update(name=["papers"]), "resources.0.name: Input should be"),
    (lambda m: m.pop("version"), "version: Field required"),
])
def test_a_manifest_part_of_the_wrong_type_is_refused(tmp_path: Path, change: Any,
                                                      says: str) -> None:
    edit_manifest(published(tmp_path), change)
    assert_refused_in_one_line(tmp_path, says)


def test_a_manifest_nested_too_deeply_to_parse_is_refused(tmp_path: Path) -> None:
    release = published(tmp_path)
    text = (release / "datapackage.json").read_text(encoding="utf-8")
    deep = "[" * 100_000 + "]" * 100_000
    (release / "datapackage.json").write_text(text.replace('"version": ', f'"x": {deep}, '
                                                          '"version": ', 1), encoding="utf-8")
    assert_refused_in_one_line(tmp_path, "cannot be read (nested too deeply)")


@pytest.mark.parametrize("path", ["cells.csv\t", "x" * 300 + ".csv", "a\x00.csv"])
def test_an_odd_resource_path_is_refused_without_touching_the_disk(tmp_path: Path,
                                                                   path: str) -> None:
    edit_manifest(published(tmp_path), lambda m: m["resources"][2].update(path=path))
    assert_refused_in_one_line(tmp_path, "")


def test_a_size_the_file_does_not_have_is_refused_by_load_as_by_verify(tmp_path: Path) -> None:
    edit_manifest(published(tmp_path), lambda m: m["litcurate"]["parquet"][3].update(bytes=1))
    assert_refused_in_one_line(tmp_path, "size differs from datapackage.json")


@pytest.mark.parametrize(("latest", "says"), [
    ("x" * 10_000, "is not a release version"),
    ("1.0.0\x00", "is not a release version"),
    ("1.0.0\n2.0.0", "is not a release version"),
])
def test_latest_holding_nonsense_is_refused(tmp_path: Path, latest: str, says: str) -> None:
    published(tmp_path)
    (tmp_path / "LATEST").write_text(latest, encoding="utf-8")
    assert_refused_in_one_line(tmp_path, says)


def test_a_field_without_a_type_is_a_string_as_table_schema_says(tmp_path: Path) -> None:
    def untyped(manifest: Manifest) -> None:
        (cells,) = [r for r in manifest["resources"] if r["name"] == "cells"]
        del next(f for f in cells["schema"]["fields"] if f["name"] == "x0")["type"]

    edit_manifest(published(tmp_path), untyped)  # x0 is a number in cells.parquet
    assert_refused_in_one_line(tmp_path, "cells.parquet: column x0 is double, declared string")


def test_a_huge_field_name_is_quoted_short(tmp_path: Path) -> None:
    def renamed(manifest: Manifest) -> None:
        (papers,) = [r for r in manifest["resources"] if r["name"] == "papers"]
        papers["schema"]["fields"][0]["name"] = "x" * 1_000_000

    edit_manifest(published(tmp_path), renamed)
    with pytest.raises(ReleaseError) as raised:
        load_release(tmp_path)
    assert len(str(raised.value)) < 1000 and "declared but not in it: xxx" in str(raised.value)


def test_publish_refuses_a_previous_release_whose_manifest_is_damaged(
        tmp_path: Path) -> None:
    """A LATEST whose datapackage.json is not a manifest is never compared against nor
    published on top of: the run says so in one line and LATEST stays."""
    from litcurate.pipeline.release.publish import PublishError, publish_release
    from tests.unit.test_release_format import outcome, records

    first = published(tmp_path)
    (first / "datapackage.json").write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(PublishError, match="which fails verification") as refused:
        publish_release(records(outcome(), outcome(12.0, "p:new")), tmp_path)
    assert "\n" not in str(refused.value)
    assert sorted(p.name for p in (tmp_path / "releases").iterdir()) == [first.name]
    assert (tmp_path / "LATEST").read_text(encoding="utf-8").strip() == first.name
