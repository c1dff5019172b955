"""The layering rule: schemas <- extractors <- evaluation <- pipeline, never upward;
the shared helpers beneath them all (atomic writes, the code digest) import no layer."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "litcurate"
FORBIDDEN = {
    "schemas": ("litcurate.extractors", "litcurate.evaluation", "litcurate.pipeline", "prefect",
                "pdfplumber", "spacy"),
    "extractors": ("litcurate.evaluation", "litcurate.pipeline", "prefect"),
    "evaluation": ("litcurate.pipeline", "prefect"),
}
BASE_HELPERS = ("atomic.py", "code_digest.py")


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_does_not_import_upward(layer: str) -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in sorted((PACKAGE / layer).rglob("*.py"))
        for name in imported_modules(path)
        if name.startswith(FORBIDDEN[layer])
    ]
    assert offenders == []


@pytest.mark.parametrize("helper", BASE_HELPERS)
def test_base_helpers_import_no_layer(helper: str) -> None:
    assert [name for name in imported_modules(PACKAGE / helper)
            if name.startswith(("litcurate", "prefect"))] == []


def test_the_rule_would_catch_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from litcurate.pipeline.flow import curate\n", encoding="utf-8")
    assert any(n.startswith(FORBIDDEN["extractors"]) for n in imported_modules(bad))
