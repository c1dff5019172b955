"""Shared fixtures: the sample papers and an isolated Prefect/litcurate home per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
SAMPLE_PDF = RAW / "dermine2019_review.pdf"
BMC_PDF = RAW / "bmcpublichealth2016_ide_tea_gargling_influenza_meta.pdf"


@pytest.fixture(scope="session", autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Tests never touch the user's ~/.prefect or ~/.cache/litcurate."""
    home = tmp_path_factory.mktemp("litcurate-home")
    os.environ["LITCURATE_HOME"] = str(home)
    os.environ["PREFECT_HOME"] = str(home / "prefect")
    os.environ.pop("PREFECT_API_URL", None)
    return home


@pytest.fixture(scope="session")
def sample_document():  # type: ignore[no-untyped-def]
    from litcurate.extractors.reader import read_pdf

    return read_pdf(SAMPLE_PDF)
