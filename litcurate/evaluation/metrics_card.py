"""The metrics card: how well this extractor does on the project's own golden corpus.

Published in every release's datapackage.json (``litcurate.metrics``) so a consumer
knows the quality of the version it loads: table cell accuracy and header structure
on the hand-checked fixture grids, and statement detection and field accuracy on the
annotated statements. Only accuracies go in (no timings), so the card is the same for
the same code and corpus, and a release stays byte-identical. Measuring takes a few
seconds; the result is cached under the litcurate home, keyed by the extractor's
source and the corpus files, so it is measured once per code change.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

from litcurate.extractors import EXTRACTOR_VERSION

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "fixtures"
PDF_FOLDERS = (REPO / "data" / "raw", CORPUS / "tables" / "journal")


def find_corpus_pdf(name: str) -> Path | None:
    """An annotated paper's PDF: the sample papers in data/raw, or a journal fixture."""
    return next((folder / name for folder in PDF_FOLDERS if (folder / name).exists()), None)


def corpus_key(corpus: Path = CORPUS) -> str:
    """sha256 over the extractor's source and every corpus file: what the card depends on."""
    digest = hashlib.sha256(EXTRACTOR_VERSION.encode())
    sources = sorted((REPO / "litcurate" / "extractors").rglob("*.py"))
    files = sorted(p for p in corpus.rglob("*")
                   if p.is_file() and ("statements" in p.parts
                                       or (p.suffix in {".pdf", ".json"} and "tables" in p.parts)))
    for path in [*sources, *sorted((REPO / "litcurate" / "schemas").rglob("*.yaml")), *files]:
        digest.update(str(path.relative_to(REPO)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def measure(corpus: Path = CORPUS) -> dict[str, Any]:
    """Score the extractor on the golden corpus now."""
    from litcurate.evaluation.statement_accuracy import (
        FIELDS,
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
    statements = StatementScore()
    annotated_files = sorted((corpus / "statements").glob("*.statements.expected.json"))
    for path in annotated_files:
        paper = load_annotations(path)
        pdf = find_corpus_pdf(paper.pdf)
        if pdf is None:
            continue
        document = read_pdf(pdf)
        layer = document_to_layer(document, extract_tables(document, pdf.stem).exclusions)
        found = extract_statements(pdf.stem, layer, nlp)
        statements.add(score_statements(paper.statements, found.statements, found.criteria))
    return {
        "measured_on": "the project's golden corpus (tests/fixtures)",
        "tables": {"tables": tables.tables, "cells": tables.cells,
                   "cell_accuracy": round(tables.accuracy, 4),
                   "headers_right": f"{tables.headers_right}/{tables.tables}"},
        "statements": {"papers": len(annotated_files), "annotated": statements.annotated,
                       "precision": round(statements.precision, 4),
                       "recall": round(statements.recall, 4),
                       **{f"{name}_accuracy": round(statements.field_accuracy(name), 4)
                          for name in FIELDS}},
    }


def metrics_card(cache_dir: Path, corpus: Path = CORPUS) -> dict[str, Any]:
    """The card for this code and corpus, measured once and then read from the cache."""
    if not (corpus / "tables").is_dir():
        return {"measured_on": "not measured: the golden corpus is not part of this install"}
    key = corpus_key(corpus)
    cached = cache_dir / f"metrics-{key[:24]}.json"
    if cached.is_file():
        data: dict[str, Any] = json.loads(cached.read_text(encoding="utf-8"))
        return data
    card = measure(corpus)
    cache_dir.mkdir(parents=True, exist_ok=True)
    temporary = cached.with_suffix(".tmp")
    temporary.write_text(json.dumps(card, sort_keys=True), encoding="utf-8")
    temporary.replace(cached)
    return card
