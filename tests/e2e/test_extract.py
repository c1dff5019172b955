"""`litcurate extract` writes one paper's resources as CSV, publishing nothing."""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner

from litcurate.pipeline.cli.app import app
from tests.conftest import BMC_PDF, SAMPLE_PDF

EXPECTED = {"tables", "cells", "outcomes", "populations", "characteristics", "statements",
            "criteria", "glossary", "issues", "papers", "corrections", "references"}


def test_extract_sample_paper(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["extract", str(SAMPLE_PDF), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert {p.stem for p in tmp_path.glob("*.csv")} == EXPECTED
    with (tmp_path / "tables.csv").open(encoding="utf-8") as handle:
        labels = [row["label"] for row in csv.DictReader(handle)]
    assert labels == ["Table 1", "Table 2", "Table 3"]
    assert not (tmp_path / "releases").exists()


def test_extract_second_layout(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["extract", str(BMC_PDF), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    with (tmp_path / "populations.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert any(r["study_label"].startswith("Iwata") for r in rows)


def test_extract_bad_file_fails_clearly(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"")
    result = CliRunner().invoke(app, ["extract", str(bad), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "bad.pdf: empty file" in " ".join(result.output.split())


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("run", "extract", "verify", "releases"):
        assert command in result.output


def test_statement_citations_resolve_to_placed_references(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["extract", str(SAMPLE_PDF), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    with (tmp_path / "references.csv").open(encoding="utf-8") as handle:
        references = {int(r["number"]): r for r in csv.DictReader(handle)}
    with (tmp_path / "statements.csv").open(encoding="utf-8") as handle:
        cited = {int(n) for r in csv.DictReader(handle) for n in r["citations"].split(";") if n}
    assert cited and cited <= set(references)
    assert references[7]["text"].startswith("Pavel")  # ENETS guidelines, cited as [7]
    assert all(int(r["page"]) >= 12 and float(r["x1"]) > float(r["x0"])
               for r in references.values())
