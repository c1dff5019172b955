"""The same paper gives the same bytes: twice in one process, and in fresh processes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from litcurate.extractors.stage_chain import PaperSource, extract_paper
from litcurate.pipeline.release.files import records_to_rows, rows_to_csv_bytes
from litcurate.schemas.loader import file_sha256
from litcurate.schemas.resources import RESOURCES_BY_NAME
from tests.conftest import SAMPLE_PDF

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def resource_bytes(pdf: Path) -> dict[str, bytes]:
    """Every resource of one extraction of ``pdf``, as the release's CSV bytes."""
    extraction = extract_paper(PaperSource(path=pdf, sha256=file_sha256(pdf)))
    return {name: rows_to_csv_bytes(RESOURCES_BY_NAME[name],
                                    records_to_rows(RESOURCES_BY_NAME[name], records))
            for name, records in extraction.resources().items()}


def test_extracting_a_paper_twice_in_one_process_gives_the_same_bytes() -> None:
    first, second = resource_bytes(SAMPLE_PDF), resource_bytes(SAMPLE_PDF)
    assert first["glossary"].count(b"\n") > 5  # the resource whose order once varied
    assert [name for name in first if first[name] != second[name]] == []


def test_fresh_processes_extract_the_same_bytes(tmp_path: Path) -> None:
    outputs = []
    for run in ("a", "b"):
        out = tmp_path / run
        subprocess.run([sys.executable, "-m", "litcurate.pipeline.cli.app", "extract",
                        str(SAMPLE_PDF), "--out", str(out)], cwd=ROOT, check=True,
                       capture_output=True)
        outputs.append({p.name: p.read_bytes() for p in sorted(out.glob("*.csv"))})
    assert outputs[0].keys() == outputs[1].keys() and len(outputs[0]) > 5
    assert [name for name in outputs[0] if outputs[0][name] != outputs[1][name]] == []
