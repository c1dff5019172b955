"""A trained tagger + parser -> the pipeline litcurate ships, with its provenance in meta.

Adds an attribute ruler that maps the predicted Penn tags to Universal POS (the same
table ``prepare.py`` used for GENIA), and writes meta.json with the model's version,
the sha256 of every treebank file and of the training config, the licences of the data,
and the held-out figures from ``evaluate.py``. Training is not bit-for-bit repeatable
across machines, so ``make model`` reproduces the metadata (data and config hashes),
not the weights.

Usage: python tools/parser_model/package.py MODEL_DIR CORPUS_DIR FIGURES_JSON OUT_DIR
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

import spacy

HERE = Path(__file__).resolve().parent
NAME = "litcurate_parser"
VERSION = "0.1.0"
SOURCES = [
    {"name": "UD English EWT", "license": "CC BY-SA 4.0",
     "author": "Silveira et al. 2014, A Gold Standard Dependency Corpus for English"},
    {"name": "GENIA treebank (UD v1 conversion)", "license": "CC BY 3.0",
     "author": "Corpus annotations (c) GENIA Project"},
]


def tag_map_patterns() -> list[dict[str, object]]:
    """Attribute-ruler patterns: each Penn tag sets its Universal POS."""
    table: dict[str, str] = json.loads((HERE / "ptb_to_upos.json").read_text(encoding="utf-8"))
    return [{"patterns": [[{"TAG": tag}]], "attrs": {"POS": upos}}
            for tag, upos in sorted(table.items())]


def main(model: Path, corpus: Path, figures: Path, out: Path) -> None:
    nlp = spacy.load(model)
    ruler = nlp.add_pipe("attribute_ruler", after="tagger")
    ruler.add_patterns(tag_map_patterns())  # type: ignore[attr-defined]
    scores = json.loads(figures.read_text(encoding="utf-8"))
    nlp.meta.update({
        "name": NAME, "version": VERSION, "lang": "en",
        "description": "litcurate's own small English/biomedical tagger and dependency "
                       "parser (tok2vec, tagger, attribute ruler, parser; CPU, no vectors)",
        "license": "CC BY-SA 4.0", "sources": SOURCES,
        "litcurate": {
            "config_sha256": hashlib.sha256((HERE / "config.cfg").read_bytes()).hexdigest(),
            "treebanks_sha256": json.loads((corpus / "treebanks.sha256.json").read_text()),
            "held_out": scores["scores"],
        },
    })
    nlp.meta.pop("performance", None)  # spaCy's dev-set scores: ours are the held-out ones
    if out.exists():
        shutil.rmtree(out)
    nlp.to_disk(out)
    print(f"wrote {out} ({sum(p.stat().st_size for p in out.rglob('*') if p.is_file())} bytes)")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
