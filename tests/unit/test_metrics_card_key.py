"""The metrics card's cache key follows what the card is measured on, and nothing else."""

from __future__ import annotations

import json
from pathlib import Path

from litcurate.evaluation.metrics_card import corpus_key


def _annotation(path: Path, pdf: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"pdf": pdf, "statements": []}), encoding="utf-8")


def test_held_out_statement_gold_leaves_the_key_alone(tmp_path: Path) -> None:
    _annotation(tmp_path / "statements" / "a.statements.expected.json", "a.pdf")
    before = corpus_key(tmp_path)
    _annotation(tmp_path / "statements" / "heldout" / "b.statements.expected.json", "b.pdf")
    assert corpus_key(tmp_path) == before


def test_statement_gold_the_card_scores_changes_the_key(tmp_path: Path) -> None:
    _annotation(tmp_path / "statements" / "a.statements.expected.json", "a.pdf")
    before = corpus_key(tmp_path)
    _annotation(tmp_path / "statements" / "c.statements.expected.json", "c.pdf")
    assert corpus_key(tmp_path) != before
