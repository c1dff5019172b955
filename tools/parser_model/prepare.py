"""Treebanks -> spaCy training files for litcurate's own tagger and parser.

Reads the pinned UD treebanks (UD English EWT, GENIA converted to UD v1), checks each
file against SHA256SUMS, and writes DocBin files: train (EWT train + GENIA dev and
future_use), dev (EWT dev) and the two held-out test sets (EWT test, GENIA test), which
the model never sees. GENIA needs two repairs first: its UPOS column holds Penn
Treebank tags (moved to XPOS, UPOS derived from them), and its relations are UD v1
(renamed to their UD v2 forms, so one label set is learned).

Usage: python tools/parser_model/prepare.py TREEBANKS_DIR OUT_DIR
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from spacy.tokens import DocBin
from spacy.training.converters import conllu_to_docs

HERE = Path(__file__).resolve().parent
SPLITS = {
    "train": ["ud_english_ewt/en_ewt-ud-train.conllu", "genia_ud/genia-dev.conllu",
              "genia_ud/genia-future_use.conllu"],
    "dev": ["ud_english_ewt/en_ewt-ud-dev.conllu"],
    "test-ewt": ["ud_english_ewt/en_ewt-ud-test.conllu"],
    "test-genia": ["genia_ud/genia-test.conllu"],
}


def load_table(name: str) -> dict[str, str]:
    """A mapping kept as data beside this script (PTB -> UPOS, UD v1 -> v2 relations)."""
    data: dict[str, str] = json.loads((HERE / name).read_text(encoding="utf-8"))
    return data


def check_sums(root: Path) -> dict[str, str]:
    """Every pinned file's sha256, verified against SHA256SUMS; refuse a changed file."""
    pinned = {}
    for line in (root / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split()
        actual = hashlib.sha256((root / name).read_bytes()).hexdigest()
        if actual != digest:
            raise SystemExit(f"{name}: sha256 {actual} does not match SHA256SUMS")
        pinned[name] = digest
    return pinned


def v1_to_v2(fields: list[str], heads: dict[str, str], upos_of: dict[str, str],
             relations: dict[str, str]) -> list[str]:
    """Rename a UD v1 relation; nmod on a verb, adjective or adverb becomes obl."""
    deprel = relations.get(fields[7], fields[7])
    base = deprel.split(":")[0]
    if base == "nmod" and upos_of.get(heads.get(fields[6], ""), "") in {"VERB", "ADJ", "ADV",
                                                                        "AUX"}:
        deprel = "obl" + deprel[len(base):]
    fields[7] = deprel
    return fields


def repair_genia(text: str) -> str:
    """Penn tags out of the UPOS column, UD v1 relations renamed to UD v2."""
    ptb_to_upos = load_table("ptb_to_upos.json")
    relations = load_table("ud1_to_ud2.json")
    out: list[str] = []
    for block in text.strip().split("\n\n"):
        rows = [line.split("\t") for line in block.splitlines() if not line.startswith("#")]
        for fields in rows:
            fields[4] = fields[3] if fields[4] in {"_", ""} else fields[4]
            fields[3] = ptb_to_upos.get(fields[4], "X")
        upos_of = {fields[0]: fields[3] for fields in rows}
        heads = {fields[0]: fields[6] for fields in rows}
        fixed = [v1_to_v2(fields, heads, upos_of, relations) for fields in rows]
        out.append("\n".join("\t".join(fields) for fields in fixed))
    return "\n\n".join(out) + "\n"


def to_docbin(root: Path, names: list[str]) -> DocBin:
    """The listed treebank files as one DocBin, one Doc per sentence."""
    docs = DocBin(attrs=["ORTH", "TAG", "POS", "HEAD", "DEP", "LEMMA", "SENT_START"])
    for name in names:
        text = (root / name).read_text(encoding="utf-8")
        if name.startswith("genia_ud/"):
            text = repair_genia(text)
        for doc in conllu_to_docs(text, n_sents=1, no_print=True):
            docs.add(doc)
    return docs


def main(root: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    pinned = check_sums(root)
    for split, names in SPLITS.items():
        docs = to_docbin(root, names)
        docs.to_disk(out / f"{split}.spacy")
        print(f"{split}: {len(docs)} sentences from {', '.join(names)}")
    (out / "treebanks.sha256.json").write_text(json.dumps(pinned, indent=1, sort_keys=True))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
