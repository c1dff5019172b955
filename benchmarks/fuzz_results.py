"""results/fuzz.md and results/fuzz.json hold two fuzzers' figures: each rewrites its own.

``fuzz_pdfs.py`` owns the top of both files (its keys of the JSON, the Markdown up to
the inputs section); ``fuzz_inputs.py`` owns the ``inputs`` key and the Markdown from
its heading on. Either can run alone without losing the other's last figures.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

INPUTS_KEY = "inputs"
INPUTS_HEADING = "# Fuzz run: sources.yaml, corrections files and datapackage.json"


def _split(markdown: str) -> tuple[str, str]:
    """The PDF part and the inputs part of fuzz.md."""
    at = markdown.find(INPUTS_HEADING)
    return (markdown, "") if at < 0 else (markdown[:at], markdown[at:])


def write_section(out: Path, key: str | None, result: dict[str, Any], text: str) -> None:
    """Write one fuzzer's figures: ``key`` None for the PDF fuzzer's (the top level),
    ``"inputs"`` for the inputs fuzzer's; the other's are kept as they are."""
    out.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out / "fuzz.json", out / "fuzz.md"
    old = json.loads(json_path.read_text(encoding="utf-8")) if json_path.is_file() else {}
    pdfs, inputs = _split(md_path.read_text(encoding="utf-8")) if md_path.is_file() else (
        "", "")
    if key is None:
        document = {**result, **({INPUTS_KEY: old[INPUTS_KEY]} if INPUTS_KEY in old else {})}
        pdfs = text
    else:
        document = {**old, key: result}
        inputs = text
    json_path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    parts = [part.rstrip("\n") + "\n" for part in (pdfs, inputs) if part.strip()]
    md_path.write_text("\n".join(parts), encoding="utf-8")
