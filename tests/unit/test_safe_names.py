"""File names and paper ids from outside never reach outside their folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from litcurate.pipeline.cli.app import app
from litcurate.pipeline.corrections import CorrectionsError, corrections_path
from litcurate.pipeline.execution.paper_job import BadCorrectionsError, curated_corrections
from litcurate.pipeline.safe_names import MAX_NAME, UnsafeNameError, check_name
from litcurate.pipeline.sources.manifest import ManifestError, load_manifest
from litcurate.schemas import Paper
from tests.conftest import SAMPLE_PDF

UNSAFE = ["../x.pdf", "../../evil.pdf", "/tmp/abs.pdf", "..", ".", ".hidden.pdf", "a/b.pdf",
          "a\\b.pdf", "a\x00b.pdf", "a\nb.pdf", "x" * (MAX_NAME + 1), ""]


@pytest.mark.parametrize("name", UNSAFE)
def test_a_name_that_is_not_one_plain_component_is_refused(name: str) -> None:
    with pytest.raises(UnsafeNameError):
        check_name(name)


@pytest.mark.parametrize("name", ["dermine2019_review.pdf", "10.3390_jcm8111907",
                                  "a..b.pdf", "x" * MAX_NAME])
def test_plain_names_pass(name: str) -> None:
    assert check_name(name) == name


@pytest.mark.parametrize("field", ["file", "paper_id"])
@pytest.mark.parametrize("value", ["../../evil.pdf", "/etc/evil.pdf"])
def test_a_manifest_entry_reaching_outside_is_refused(tmp_path: Path, field: str,
                                                      value: str) -> None:
    entry = {"file": "a.pdf", field: value}
    lines = "".join(f"    {key}: '{text}'\n" for key, text in entry.items())
    (tmp_path / "sources.yaml").write_text("papers:\n  -\n" + lines, encoding="utf-8")
    with pytest.raises(ManifestError, match="path separator"):
        load_manifest(tmp_path)


def test_a_paper_id_cannot_name_a_corrections_file_outside(tmp_path: Path) -> None:
    with pytest.raises(CorrectionsError, match=r"paper id '\.\./\.\./x'"):
        corrections_path(tmp_path, "../../x")
    paper = Paper(paper_id="../x", file_name="a.pdf", sha256="0" * 64, pages=1,
                  extractor_version="0")
    with pytest.raises(BadCorrectionsError, match="path separator"):
        curated_corrections(tmp_path)(paper)


def test_correct_refuses_a_paper_id_reaching_outside(tmp_path: Path) -> None:
    curated = tmp_path / "a" / "b" / "curated"
    result = CliRunner().invoke(app, ["correct", "../../../x", "--id", "r", "--by", "me",
                                      "--reason", "r", "--exclude", "--curated", str(curated)])
    assert result.exit_code == 2 and "paper id" in result.output
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


@pytest.mark.parametrize("name", ["../x.pdf", "ABSOLUTE"])
def test_add_refuses_a_name_reaching_outside(tmp_path: Path, name: str) -> None:
    raw = tmp_path / "in" / "raw"
    target = str(tmp_path / "abs.pdf") if name == "ABSOLUTE" else name
    result = CliRunner().invoke(app, ["add", str(SAMPLE_PDF), "--name", target,
                                      "--raw", str(raw)])
    assert result.exit_code == 2 and "give another --name" in " ".join(result.output.split())
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_add_never_writes_through_a_link_in_raw(tmp_path: Path) -> None:
    raw, outside = tmp_path / "raw", tmp_path / "precious.pdf"
    raw.mkdir()
    outside.write_bytes(b"%PDF-1.4 precious")
    (raw / "p.pdf").symlink_to(outside)
    result = CliRunner().invoke(app, ["add", str(SAMPLE_PDF), "--name", "p.pdf",
                                      "--raw", str(raw)])
    assert result.exit_code == 2 and "symbolic link" in " ".join(result.output.split())
    assert outside.read_bytes() == b"%PDF-1.4 precious"
    assert not (raw / "sources.yaml").exists()
