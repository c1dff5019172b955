"""The metrics card: how well this extractor does on the project's own golden corpus.

Published in every release's datapackage.json (``litcurate.metrics``) so a consumer
knows the quality of the version it loads: table cell accuracy and header structure
on the hand-checked fixture grids, statement detection and field accuracy on the
annotated statements, and typed-evidence recall and precision on the evidence gold
(development and held-out papers apart). Only accuracies go in (no timings), so the
card is the same for the same code and corpus, and a release stays byte-identical.

Measuring takes half a minute or more, so it is not done on a user's machine: the
package ships the card (``metrics_card.json`` beside this module), measured by
``benchmarks/metrics_card.py`` for the committed code and corpus and keyed by both.
A run reads it when the key matches its own code and corpus; a unit test fails when
the shipped card is stale for the committed code, naming the command that re-measures
it. A corpus the shipped card was not measured on (or code it was not measured for)
is measured at publish time, once: the result is cached under the litcurate home,
keyed the same way.

The corpus is the caller's to give (the project's ``tests/fixtures``, passed by
``litcurate run --metrics-corpus``): installed code never goes looking for it.
Without one, the shipped card is used when it was measured for this code, and
otherwise the card says it was not measured.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litcurate.atomic import write_atomic
from litcurate.code_digest import code_digest
from litcurate.extractors import EXTRACTOR_VERSION

if TYPE_CHECKING:
    from litcurate.evaluation.statement_accuracy import StatementScore

# The extraction code the card measures (with EXTRACTOR_VERSION).
MEASURED_CODE = ("extractors/**/*.py", "evaluation/**/*.py", "schemas/**/*.yaml",
                 "extractors/statements/parser_model/**/*")
DEVELOPMENT_FOLDER = "corpus"  # annotated papers the rules were not written against
# Held-out statement gold (statements/heldout/): scored only by the benchmark, so the card
# neither reads it nor depends on it.
HELDOUT_STATEMENTS = "heldout"
NOT_MEASURED = {"measured_on": "not measured: the golden corpus is not part of this install"}
SHIPPED_CARD = Path(__file__).with_name("metrics_card.json")
# What re-measures the shipped card (named by the test that finds it stale).
MEASURE_COMMAND = "python benchmarks/metrics_card.py"


def pdf_search_path(corpus: Path, pdf_folders: Sequence[Path]) -> list[Path]:
    """Where annotated PDFs are looked for: the given folders, then the corpus's own
    journal PDFs."""
    return [*pdf_folders, corpus / "tables" / "journal", corpus / DEVELOPMENT_FOLDER]


def find_corpus_pdf(name: str, folders: Sequence[Path]) -> Path | None:
    """An annotated paper's PDF: the first of ``folders`` that holds it."""
    return next((folder / name for folder in folders if (folder / name).exists()), None)


def _annotated_files(corpus: Path) -> list[Path]:
    return sorted((corpus / "statements").glob("*.statements.expected.json"))


def _card_input(corpus: Path, path: Path) -> bool:
    """Whether a corpus file is something the card is measured on."""
    parts = path.relative_to(corpus).parts
    if "statements" in parts:
        return HELDOUT_STATEMENTS not in parts
    return "evidence" in parts or (path.suffix in {".pdf", ".json"} and "tables" in parts)


def corpus_key(corpus: Path, pdf_folders: Sequence[Path] = ()) -> str:
    """sha256 over the extractor's source, every corpus file and the annotated PDFs
    found in ``pdf_folders``: what the card depends on."""
    from litcurate.evaluation.statement_accuracy import load_annotations

    digest = hashlib.sha256(EXTRACTOR_VERSION.encode())
    digest.update(code_digest(MEASURED_CODE).encode())
    files = sorted(p for p in corpus.rglob("*") if p.is_file() and _card_input(corpus, p))
    for path in files:
        digest.update(path.relative_to(corpus).as_posix().encode())
        digest.update(path.read_bytes())
    folders = pdf_search_path(corpus, pdf_folders)
    for annotated in _annotated_files(corpus):
        pdf = find_corpus_pdf(load_annotations(annotated).pdf, folders)
        digest.update(pdf.read_bytes() if pdf is not None else b"missing")
    for gold in _evidence_gold(corpus):
        pdf = find_corpus_pdf(gold.pdf, folders)
        digest.update(pdf.read_bytes() if pdf is not None else b"missing")
    return digest.hexdigest()


def code_key() -> str:
    """sha256 over the extractor's version and source: the code the card measures."""
    digest = hashlib.sha256(EXTRACTOR_VERSION.encode())
    digest.update(code_digest(MEASURED_CODE).encode())
    return digest.hexdigest()


def _evidence_gold(corpus: Path) -> list[Any]:
    from litcurate.evaluation.evidence_accuracy import discover_gold

    folder = corpus / "evidence"
    return discover_gold(folder) if folder.is_dir() else []


def measure_evidence(corpus: Path, folders: Sequence[Path]) -> dict[str, Any]:
    """Typed evidence per split over the gold papers whose PDF is at hand (recall, typed
    recall and precision over all their facts; the worst paper's typed recall)."""
    from litcurate.evaluation.evidence_accuracy import population_facts, score_paper
    from litcurate.extractors.evidence.outcomes import grid_to_outcomes
    from litcurate.extractors.pdf.reader import read_pdf
    from litcurate.extractors.tables.extract import extract_tables

    figures: dict[str, Any] = {}
    for split in ("development", "heldout"):
        scores = []
        for gold in _evidence_gold(corpus):
            pdf = find_corpus_pdf(gold.pdf, folders)
            if gold.split != split or pdf is None:
                continue
            tables = extract_tables(read_pdf(pdf), pdf.stem)
            results = [grid_to_outcomes(pdf.stem, t) for t in tables.tables]
            records = [o for r in results for o in r.outcomes]
            records += population_facts(p for r in results for p in r.populations)
            scores.append(score_paper(gold, records,
                                      {t.table.table_id: t.table.label for t in tables.tables}))
        facts = sum(t.gold for s in scores for t in s.tables)
        extracted = sum(t.extracted for s in scores for t in s.tables)
        figures[f"evidence_{split}"] = {
            "papers": len(scores), "facts": facts,
            "recall": round(sum(t.found for s in scores for t in s.tables) / facts, 4)
            if facts else None,
            "typed_recall": round(sum(t.typed for s in scores for t in s.tables) / facts, 4)
            if facts else None,
            "precision": round(sum(t.correct_extracted for s in scores for t in s.tables)
                               / extracted, 4) if extracted else None,
            "worst_paper_typed_recall": round(min(s.typed_recall for s in scores), 4)
            if scores else None,
        }
    return figures


def measure(corpus: Path, pdf_folders: Sequence[Path] = ()) -> dict[str, Any]:
    """Score the extractor on the golden corpus now (annotated PDFs from ``pdf_folders``,
    then the corpus's own)."""
    from litcurate.evaluation.statement_accuracy import (
        StatementScore,
        load_annotations,
        score_statements,
    )
    from litcurate.evaluation.table_accuracy import CorpusScore, discover_expected, score_tables
    from litcurate.extractors.pdf.reader import read_pdf
    from litcurate.extractors.statements.detection import extract_statements
    from litcurate.extractors.statements.nlp import build_nlp
    from litcurate.extractors.tables.extract import extract_tables
    from litcurate.extractors.text.layer import document_to_layer

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    table_scores = []
    for expected in discover_expected(corpus / "tables"):
        result = extract_tables(read_pdf(expected.pdf), expected.pdf.stem)
        table_scores.extend(score_tables(expected, result))
    tables = CorpusScore.of(table_scores)
    nlp = build_nlp()
    groups = {"statements": StatementScore(), "statements_development": StatementScore()}
    papers = dict.fromkeys(groups, 0)
    folders = pdf_search_path(corpus, pdf_folders)
    for path in _annotated_files(corpus):
        paper = load_annotations(path)
        pdf = find_corpus_pdf(paper.pdf, folders)
        if pdf is None:
            continue
        # The rule papers and the development set (corpus/corpus/) are reported apart.
        group = "statements_development" if pdf.parent.name == DEVELOPMENT_FOLDER \
            else "statements"
        papers[group] += 1
        document = read_pdf(pdf)
        layer = document_to_layer(document, extract_tables(document, pdf.stem).exclusions)
        found = extract_statements(pdf.stem, layer, nlp)
        groups[group].add(score_statements(paper.statements, found.statements,
                                           found.criteria, paper.traps))
    return {
        "measured_on": "the project's golden corpus (tests/fixtures)",
        "tables": {"tables": tables.tables, "cells": tables.cells,
                   "cell_accuracy": round(tables.accuracy, 4),
                   "headers_right": f"{tables.headers_right}/{tables.tables}"},
        **{name: _statement_figures(papers[name], score) for name, score in groups.items()},
        **measure_evidence(corpus, folders),
    }


def _statement_figures(papers: int, score: StatementScore) -> dict[str, Any]:
    from litcurate.evaluation.statement_accuracy import FIELDS

    return {"papers": papers, "annotated": score.annotated,
            "precision": round(score.precision, 4), "recall": round(score.recall, 4),
            **{f"{name}_accuracy": round(score.field_accuracy(name), 4) for name in FIELDS}}


def read_shipped_card(path: Path = SHIPPED_CARD) -> dict[str, Any] | None:
    """The card the package ships with its keys (``key``, ``code_key``, ``card``), or
    None when there is none."""
    if not path.is_file():
        return None
    shipped: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return shipped


def write_shipped_card(corpus: Path, pdf_folders: Sequence[Path] = (),
                       path: Path = SHIPPED_CARD) -> dict[str, Any]:
    """Measure the card on ``corpus`` now and write it to ``path`` with the keys it was
    measured for; returns what was written."""
    shipped = {"key": corpus_key(corpus, pdf_folders), "code_key": code_key(),
               "extractor_version": EXTRACTOR_VERSION, "card": measure(corpus, pdf_folders)}
    # In the order measured: a release writes the card as it finds it.
    write_atomic(path, json.dumps(shipped, indent=1) + "\n")
    return shipped


def metrics_card(cache_dir: Path, corpus: Path | None = None,
                 pdf_folders: Sequence[Path] = (),
                 shipped_path: Path = SHIPPED_CARD) -> dict[str, Any]:
    """The card for this code and corpus: the shipped one when it was measured for
    them, otherwise measured once and then read from the cache.

    Without a corpus (or one with no tables) it is the shipped card when that was
    measured for this code, and otherwise a card that says it was not measured.
    """
    shipped = read_shipped_card(shipped_path)
    if corpus is None or not (corpus / "tables").is_dir():
        if shipped is not None and shipped.get("code_key") == code_key():
            return dict(shipped["card"])
        return dict(NOT_MEASURED)
    key = corpus_key(corpus, pdf_folders)
    if shipped is not None and shipped.get("key") == key:
        return dict(shipped["card"])
    cached = cache_dir / f"metrics-{key[:24]}.json"
    if cached.is_file():
        data: dict[str, Any] = json.loads(cached.read_text(encoding="utf-8"))
        return data
    card = measure(corpus, pdf_folders)
    cache_dir.mkdir(parents=True, exist_ok=True)
    write_atomic(cached, json.dumps(card))  # in the order measured, as the release writes it
    return card
