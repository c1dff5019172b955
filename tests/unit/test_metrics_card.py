"""The metrics card the package ships: current for the committed code, read instead of
measured when its key matches, measured (or "not measured") when it does not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from litcurate.evaluation import metrics_card as cards
from tests.conftest import RAW, ROOT

CORPUS = ROOT / "tests" / "fixtures"
MEASURED = {"measured_on": "measured here", "tables": {"tables": 1}}


def test_the_shipped_card_is_current_for_the_committed_code_and_corpus() -> None:
    shipped = cards.read_shipped_card()
    assert shipped is not None, f"no shipped metrics card: run `{cards.MEASURE_COMMAND}`"
    assert shipped["key"] == cards.corpus_key(CORPUS, [RAW]), (
        "the shipped metrics card was measured for other code or another corpus: "
        f"run `{cards.MEASURE_COMMAND}` (or `make metrics`) and commit "
        "litcurate/evaluation/metrics_card.json")
    assert shipped["code_key"] == cards.code_key()
    assert shipped["card"]["tables"]["tables"] > 0  # a measured card, not "not measured"


@pytest.fixture
def no_measuring(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Replace measuring with a stub that records the corpus it was asked to measure."""
    asked: list[Path] = []

    def measure(corpus: Path, pdf_folders: Any = ()) -> dict[str, Any]:
        asked.append(corpus)
        return dict(MEASURED)

    monkeypatch.setattr(cards, "measure", measure)
    return asked


def ship(path: Path, **keys: str) -> Path:
    path.write_text(json.dumps({"card": {"measured_on": "shipped"}, **keys}), encoding="utf-8")
    return path


def test_a_run_on_the_shipped_corpus_reads_the_card_without_measuring(
        tmp_path: Path, no_measuring: list[Path]) -> None:
    shipped = ship(tmp_path / "card.json", key=cards.corpus_key(CORPUS, [RAW]), code_key="")
    card = cards.metrics_card(tmp_path / "cache", CORPUS, [RAW], shipped_path=shipped)
    assert card == {"measured_on": "shipped"}
    assert no_measuring == [] and not (tmp_path / "cache").exists()


def test_another_corpus_is_measured_once_then_cached(tmp_path: Path,
                                                     no_measuring: list[Path]) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "tables").mkdir(parents=True)
    shipped = ship(tmp_path / "card.json", key=cards.corpus_key(CORPUS, [RAW]),
                   code_key=cards.code_key())
    for _ in range(2):
        card = cards.metrics_card(tmp_path / "cache", corpus, shipped_path=shipped)
        assert card == MEASURED
    assert no_measuring == [corpus]


def test_without_a_corpus_the_card_is_the_shipped_one_only_for_this_code(
        tmp_path: Path, no_measuring: list[Path]) -> None:
    current = ship(tmp_path / "current.json", key="", code_key=cards.code_key())
    stale = ship(tmp_path / "stale.json", key="", code_key="0" * 64)
    assert cards.metrics_card(tmp_path, None, shipped_path=current) == {"measured_on": "shipped"}
    assert cards.metrics_card(tmp_path, None, shipped_path=stale) == cards.NOT_MEASURED
    assert cards.metrics_card(tmp_path, None, shipped_path=tmp_path / "none.json") \
        == cards.NOT_MEASURED
    assert no_measuring == []


def test_a_stale_card_is_never_read_for_the_shipped_corpus(tmp_path: Path,
                                                          no_measuring: list[Path]) -> None:
    stale = ship(tmp_path / "card.json", key="0" * 64, code_key=cards.code_key())
    assert cards.metrics_card(tmp_path / "cache", CORPUS, [RAW], shipped_path=stale) == MEASURED
    assert no_measuring == [CORPUS]
