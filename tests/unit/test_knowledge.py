"""The packaged data files: one loader, each file documented and parseable."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from litcurate.extractors.knowledge import DATA_DIR, DATA_PACKAGE, data_file_names, load_data_file

EXPECTED = {"bodies.yaml", "clinical_settings.yaml", "criteria.yaml", "interventions.yaml",
            "measures.yaml", "sections.yaml", "spellings.yaml", "statement_triggers.yaml"}


def test_every_data_file_is_listed() -> None:
    assert set(data_file_names()) >= EXPECTED


@pytest.mark.parametrize("name", data_file_names())
def test_data_file_opens_with_a_header_and_loads(name: str) -> None:
    text = (resources.files(DATA_PACKAGE) / DATA_DIR / name).read_text(encoding="utf-8")
    header = [line for line in text.splitlines()[:12] if line.startswith("#")]
    assert text.startswith("# ") and len(header) >= 2, f"{name} needs a header comment"
    assert "extend" in text.lower()[:2000], f"{name}'s header should say how to extend it"
    assert isinstance(load_data_file(name), dict)


def test_loader_caches_one_parse() -> None:
    assert load_data_file("measures.yaml") is load_data_file("measures.yaml")


@pytest.mark.parametrize("name", data_file_names())
def test_fast_loader_reads_every_data_file_as_the_python_loader_does(name: str) -> None:
    text = (resources.files(DATA_PACKAGE) / DATA_DIR / name).read_text(encoding="utf-8")
    assert load_data_file(name) == yaml.load(text, Loader=yaml.SafeLoader)
