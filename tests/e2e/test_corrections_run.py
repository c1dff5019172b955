"""Corrections survive re-extraction: a real run applies them and lists stale ones."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from litcurate.pipeline.cli.app import app
from tests.conftest import SAMPLE_PDF

pytestmark = pytest.mark.e2e

PAPER = "10.3390_jcm8111907"
CORRECTIONS = f"""\
- resource: outcomes
  id: "{PAPER}:table-1:ho-2007:tae:pfs"
  action: set
  field: value
  from: "23"
  to: "24"
  by: A. Curator
  reason: checked against the primary study
  date: 2026-11-24
- resource: outcomes
  id: "{PAPER}:table-1:ho-2007:tace:pfs"
  action: set
  field: value
  from: "99"
  to: "17"
  by: A. Curator
  reason: written against an older extraction
  date: 2026-11-20
"""


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_run_applies_corrections_and_reports_stale_ones(tmp_path: Path) -> None:
    raw, curated = tmp_path / "raw", tmp_path / "curated"
    raw.mkdir()
    shutil.copy(SAMPLE_PDF, raw / SAMPLE_PDF.name)
    (curated / "corrections").mkdir(parents=True)
    (curated / "corrections" / f"{PAPER}.yaml").write_text(CORRECTIONS, encoding="utf-8")
    result = CliRunner().invoke(app, ["run", "--raw", str(raw), "--curated", str(curated)])
    assert result.exit_code == 0, result.output
    printed = " ".join(result.output.split())
    assert "corrections: 1 applied, 1 stale" in printed
    assert "stale correction dermine2019_review.pdf" in printed
    release = curated / "releases" / "1.0.0"
    pfs = {r["group"]: r["value"] for r in rows(release / "outcomes.csv")
           if r["author"] == "Ho" and r["measure_id"] == "pfs"}
    assert pfs == {"TAE": "24", "TACE": "16"}
    statuses = {r["target"].rsplit(":", 2)[1]: r["status"]
                for r in rows(release / "corrections.csv")}
    assert statuses == {"tae": "applied", "tace": "stale"}
    stale = [r for r in rows(release / "issues.csv") if r["rule"] == "stale-correction"]
    assert len(stale) == 1 and "not '99'" in stale[0]["message"]


def test_a_corrected_cell_corrects_its_outcome(tmp_path: Path) -> None:
    raw, curated = tmp_path / "raw", tmp_path / "curated"
    raw.mkdir()
    shutil.copy(SAMPLE_PDF, raw / SAMPLE_PDF.name)
    (curated / "corrections").mkdir(parents=True)
    (curated / "corrections" / f"{PAPER}.yaml").write_text(f"""\
- resource: cells
  id: "{PAPER}:table-1 | 2 | 7"
  action: set
  field: text
  from: "87"
  to: "88"
  by: A. Curator
  reason: symptom response misread
  date: 2026-11-24
""", encoding="utf-8")
    result = CliRunner().invoke(app, ["run", "--raw", str(raw), "--curated", str(curated)])
    assert result.exit_code == 0, result.output
    release = curated / "releases" / "1.0.0"
    carrasco = [r for r in rows(release / "outcomes.csv")
                if r["author"] == "Carrasco" and r["measure_id"] == "symptom_response"]
    assert [(r["value"], r["raw_text"]) for r in carrasco] == [("88", "88")]
    assert [r["status"] for r in rows(release / "corrections.csv")] == ["applied"]
