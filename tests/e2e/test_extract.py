"""`litcurate extract` writes one paper's resources as CSV, publishing nothing."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from litcurate.pipeline.cli.app import app
from tests.conftest import BMC_PDF, ROOT, SAMPLE_PDF

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


# Runs the command line, then prints the Prefect modules the process imported.
EXTRACT_THEN_LIST_PREFECT = """
import sys
from litcurate.pipeline.cli.app import app
try:
    app(sys.argv[1:])
except SystemExit as done:
    assert not done.code, done.code
print(sorted(name for name in sys.modules if name.split(".")[0] == "prefect"))
"""


def test_extract_needs_no_prefect_api(tmp_path: Path) -> None:
    """A quick look at one paper imports no Prefect, so it starts no API: with the API
    pointed at an address where nothing listens, it still works."""
    env = {**os.environ, "PREFECT_API_URL": "http://127.0.0.1:9/api",
           "LITCURATE_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-c", EXTRACT_THEN_LIST_PREFECT, "extract",
                           str(BMC_PDF), "--out", str(tmp_path / "out")],
                          cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
    assert (tmp_path / "out" / "outcomes.csv").stat().st_size > 100
    assert not (tmp_path / "home" / "prefect").exists()
