"""Score a trained tagger + parser on the held-out treebank splits and write the figures.

The test splits (EWT test, GENIA test) are never trained on or used to pick a model, so
these are honest out-of-sample figures: POS (fine-grained Penn tags, what the tagger
predicts), UAS and LAS, per split, with the hashes of the data and config they came from.

Usage: python tools/parser_model/evaluate.py MODEL_DIR CORPUS_DIR OUT_JSON
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from pathlib import Path

import spacy
from spacy.tokens import DocBin
from spacy.training import Example

HERE = Path(__file__).resolve().parent
SPLITS = ("test-ewt", "test-genia")


def score_split(nlp: spacy.language.Language, path: Path) -> dict[str, float]:
    """Tag and parse the gold tokens of one split; return accuracy and speed."""
    gold = list(DocBin().from_disk(path).get_docs(nlp.vocab))
    started = time.perf_counter()
    examples = [Example(predicted, reference) for predicted, reference
                in zip(nlp.pipe(spacy.tokens.Doc(nlp.vocab, words=[t.text for t in doc])
                                for doc in gold), gold, strict=True)]
    seconds = time.perf_counter() - started
    scores = nlp.evaluate(examples)  # re-scores the given predictions, no second pass
    words = sum(len(doc) for doc in gold)
    return {"sentences": len(gold), "words": words,
            "tag_acc": round(float(scores["tag_acc"]), 4),
            "dep_uas": round(float(scores["dep_uas"]), 4),
            "dep_las": round(float(scores["dep_las"]), 4),
            "words_per_second": round(words / seconds)}


def main(model: Path, corpus: Path, out: Path) -> None:
    nlp = spacy.load(model)
    config = (HERE / "config.cfg").read_bytes()
    result = {
        "model": os.path.relpath(model),
        "config_sha256": hashlib.sha256(config).hexdigest(),
        "treebanks_sha256": json.loads((corpus / "treebanks.sha256.json").read_text()),
        "scores": {split: score_split(nlp, corpus / f"{split}.spacy") for split in SPLITS},
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(result["scores"], indent=2))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
