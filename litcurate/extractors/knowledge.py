"""Packaged data files -> parsed YAML: the one place the extractors read field knowledge from.

What belongs to a clinical field (treatments, issuing bodies, measures, criteria, the
words that make a sentence a recommendation, section names) is data in
``litcurate/schemas/vocabularies/*.yaml``, so a curator adapts litcurate to a new field
by editing those files, never the code. Every consumer goes through ``load_data_file``:
files are read with importlib.resources (the wheel and the source tree behave alike),
parsed with the safe YAML loader (libyaml's, when PyYAML has it: the same objects,
parsed ten times faster), and cached for the process.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

DATA_PACKAGE = "litcurate.schemas"
DATA_DIR = "vocabularies"
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DataFileError(ValueError):
    """A packaged data file is missing its mapping at the top level."""


@cache
def load_data_file(name: str) -> dict[str, Any]:
    """Given a data file's name ("measures.yaml"), return its top-level mapping, parsed once.

    The result is shared by every caller: read it, never modify it.
    """
    path = resources.files(DATA_PACKAGE) / DATA_DIR / name
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    if not isinstance(data, dict):
        raise DataFileError(f"{DATA_DIR}/{name} must hold a mapping at the top level")
    return data


def data_file_names() -> tuple[str, ...]:
    """The packaged data files, sorted: for checks that every file loads and is documented."""
    folder = resources.files(DATA_PACKAGE) / DATA_DIR
    return tuple(sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".yaml")))
