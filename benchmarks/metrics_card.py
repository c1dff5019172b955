"""Measure the release's metrics card and write the copy the package ships.

    .venv/bin/python benchmarks/metrics_card.py [--check]      (or `make metrics`)

Scores the extractor on the golden corpus (``tests/fixtures``, the annotated sample
papers found in ``data/raw/``), as ``litcurate run --metrics-corpus tests/fixtures``
would at publish time, and writes ``litcurate/evaluation/metrics_card.json`` with the
keys it was measured for (the extractor's version and source; those and the corpus
files). A run whose code and corpus match reads it instead of measuring (half a
minute or more on a fresh machine). Run it after any change to the extractors,
evaluation code, vocabularies or corpus: ``tests/unit/test_metrics_card.py`` fails
until the shipped card matches the committed code. ``--check`` only says whether it
does (exit status 1 when stale).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from litcurate.evaluation.metrics_card import (  # noqa: E402
    SHIPPED_CARD,
    corpus_key,
    read_shipped_card,
    write_shipped_card,
)

CORPUS = ROOT / "tests" / "fixtures"
PDF_FOLDERS = [ROOT / "data" / "raw"]  # where `make run` finds the annotated sample papers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="only say whether the shipped card is current")
    args = parser.parse_args()
    shipped = read_shipped_card()
    current = shipped is not None and shipped.get("key") == corpus_key(CORPUS, PDF_FOLDERS)
    if args.check:
        print(f"{SHIPPED_CARD.relative_to(ROOT)}: " + ("current" if current else "stale"))
        raise SystemExit(0 if current else 1)
    start = time.perf_counter()
    written = write_shipped_card(CORPUS, PDF_FOLDERS)
    print(f"measured in {time.perf_counter() - start:.1f} s; wrote "
          f"{SHIPPED_CARD.relative_to(ROOT)} (key {written['key'][:12]}, "
          f"{'unchanged' if current and shipped == written else 'updated'})")


if __name__ == "__main__":
    main()
