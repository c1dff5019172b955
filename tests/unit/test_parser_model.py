"""litcurate's own tagger and parser: shipped, traceable to its data, and used."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from litcurate.extractors.statements import nlp as pipelines

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "litcurate" / "extractors" / "statements" / pipelines.PARSER_MODEL_DIR
RECIPE = ROOT / "tools" / "parser_model"


def test_model_meta_names_the_config_and_data_it_was_built_from() -> None:
    meta = json.loads((MODEL / "meta.json").read_text())
    provenance = meta["litcurate"]
    assert provenance["config_sha256"] == hashlib.sha256(
        (RECIPE / "config.cfg").read_bytes()).hexdigest()
    assert set(provenance["treebanks_sha256"]) == {
        "ud_english_ewt/en_ewt-ud-train.conllu", "ud_english_ewt/en_ewt-ud-dev.conllu",
        "ud_english_ewt/en_ewt-ud-test.conllu", "genia_ud/genia-dev.conllu",
        "genia_ud/genia-test.conllu", "genia_ud/genia-future_use.conllu"}
    held_out = provenance["held_out"]["test-genia"]
    assert held_out["dep_uas"] >= 0.85 and held_out["tag_acc"] >= 0.95


def test_model_is_small_enough_to_ship() -> None:
    size = sum(p.stat().st_size for p in MODEL.rglob("*") if p.is_file())
    assert size < 25 * 1024 * 1024


def test_without_scispacy_the_own_parser_reads_the_statements(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipelines, "has_sci_model", lambda: False)
    pipelines.build_nlp.cache_clear()
    try:
        nlp = pipelines.build_nlp()
        doc = nlp("Anticoagulation is recommended in patients at high risk. It should not be "
                  "used after major bleeding.")
    finally:
        pipelines.build_nlp.cache_clear()
    assert "parser" in nlp.pipe_names
    roots = [token.lemma_ for token in doc if token.dep_ == "ROOT"]
    assert roots == ["recommend", "use"]
    assert [s.text.split()[0] for s in doc.sents] == ["Anticoagulation", "It"]
    passive = next(t for t in doc if t.dep_.startswith("nsubj"))
    assert passive.text == "Anticoagulation"
