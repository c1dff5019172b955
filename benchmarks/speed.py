"""litcurate's end-to-end speed beside the parsers it is measured against, on the same files.

    .venv/bin/python benchmarks/speed.py [--runs 3] [--root CHECKOUT ...] [--out benchmarks/results]

One run prints, for the sample papers in ``data/raw/``, the journal table fixtures
(``tests/fixtures/tables/journal/``) and the development corpus
(``tests/fixtures/corpus/``), in pages per second on one core:

- **litcurate**, in-process, the whole chain (``extract_paper``: read, tables, evidence,
  text layer, statements, validation), once per ``--root`` checkout (default: this one);
- **pdfplumber's bare parse**: open, and ``page.chars`` of every page;
- **pypdfium2's plain text** of every page (the practical limit of getting text out);

and litcurate's stage breakdown as shares of its time (read, tables, evidence, text
layer, statements, validation), from the stage announcements of ``extract_paper`` and
a timer on the text layer. Every pass is a fresh process with the imports (and
litcurate's language model) loaded before timing; the tools' passes are interleaved so
they share the machine's noise, and the figures are medians of ``--runs`` passes. The
machine's load average is written beside them: run it when nothing else heavy runs.
Writes ``speed.md`` and ``speed.json`` under ``--out``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
STAGES = ("read", "tables", "evidence", "text layer", "statements", "validation")
# extract_paper's announcements -> the stage that starts with each.
ANNOUNCED = {"read": "read", "tables": "tables", "outcomes": "evidence",
             "statements": "statements", "validate": "validation"}


def corpus_pdfs() -> list[Path]:
    """The measured files, in a stable order."""
    return sorted([*(ROOT / "data" / "raw").glob("*.pdf"),
                   *(FIXTURES / "tables" / "journal").glob("*.pdf"),
                   *(FIXTURES / "corpus").glob("*.pdf")])


class StageClock:
    """Seconds per stage of ``extract_paper``, from its announcements."""

    def __init__(self) -> None:
        self.seconds = dict.fromkeys(STAGES, 0.0)
        self._stage: str | None = None
        self._since = 0.0

    def announce(self, stage: str, detail: str = "") -> None:
        del detail
        self.stop()
        self._stage, self._since = ANNOUNCED[stage], time.perf_counter()

    def stop(self) -> None:
        if self._stage is not None:
            self.seconds[self._stage] += time.perf_counter() - self._since
        self._stage = None

    def time_text_layer(self) -> None:
        """Charge the text layer to its own stage, out of the statements stage's time."""
        from litcurate.extractors.text import layer

        build = layer.document_to_layer

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return build(*args, **kwargs)
            finally:
                spent = time.perf_counter() - start
                self.seconds["text layer"] += spent
                self.seconds["statements"] -= spent

        layer.document_to_layer = timed  # type: ignore[assignment]


def run_litcurate(pdfs: list[Path]) -> dict[str, Any]:
    from litcurate.extractors.stage_chain import PaperSource, extract_paper

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # as the command line does
    extract_paper(PaperSource(path=pdfs[0], sha256="0" * 64))  # imports, model: not timed
    clock = StageClock()
    clock.time_text_layer()
    pages = 0
    start = time.perf_counter()
    for pdf in pdfs:
        extraction = extract_paper(PaperSource(path=pdf, sha256="0" * 64),
                                   on_stage=clock.announce)
        clock.stop()
        pages += extraction.paper.pages
    seconds = time.perf_counter() - start
    return {"pages": pages, "seconds": seconds, "stages": clock.seconds}


def run_pdfplumber(pdfs: list[Path]) -> dict[str, Any]:
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    with pdfplumber.open(pdfs[0]) as pdf:  # imports: not timed
        pdf.pages[0].chars  # noqa: B018
    pages = 0
    start = time.perf_counter()
    for path in pdfs:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.chars  # noqa: B018
                page.close()
                pages += 1
    return {"pages": pages, "seconds": time.perf_counter() - start}


def run_pypdfium2(pdfs: list[Path]) -> dict[str, Any]:
    import pypdfium2 as pdfium

    pdfium.PdfDocument(pdfs[0]).close()  # imports: not timed
    pages = 0
    start = time.perf_counter()
    for path in pdfs:
        document = pdfium.PdfDocument(path)
        for index in range(len(document)):
            page = document[index]
            text = page.get_textpage()
            text.get_text_range()
            text.close()
            page.close()
            pages += 1
        document.close()
    return {"pages": pages, "seconds": time.perf_counter() - start}


TOOLS: dict[str, Callable[[list[Path]], dict[str, Any]]] = {
    "litcurate": run_litcurate, "pdfplumber": run_pdfplumber, "pypdfium2": run_pypdfium2}


def one_pass(tool: str, root: Path) -> dict[str, Any]:
    """One fresh process measuring ``tool`` (litcurate from ``root``)."""
    env = {**os.environ, "PYTHONPATH": str(root), "OMP_NUM_THREADS": "1",
           "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}  # one core, as a worker has
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", tool]
    done = subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True,
                          text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def summarise(passes: list[dict[str, Any]]) -> dict[str, Any]:
    """Median pages/s of a tool's passes, and (litcurate) its stage shares."""
    rates = [p["pages"] / p["seconds"] for p in passes]
    summary: dict[str, Any] = {
        "pages": passes[0]["pages"], "pages_per_s": round(statistics.median(rates), 2),
        "passes_pages_per_s": [round(rate, 2) for rate in rates],
        "seconds": round(statistics.median(p["seconds"] for p in passes), 2)}
    if "stages" in passes[0]:
        shares = {stage: statistics.median(p["stages"][stage] / p["seconds"] for p in passes)
                  for stage in STAGES}
        summary["stage_shares"] = {stage: round(share, 4) for stage, share in shares.items()}
        summary["stage_seconds"] = {
            stage: round(statistics.median(p["stages"][stage] for p in passes), 2)
            for stage in STAGES}
    return summary


def to_markdown(results: dict[str, dict[str, Any]], files: int, command: str,
                load: tuple[float, float]) -> str:
    lines = ["# Speed: litcurate end to end beside pdfplumber and pypdfium2", "",
             f"{time.strftime('%Y-%m-%d')}, {platform.system()}, {os.cpu_count()} cores "
             f"shared with other work, Python {platform.python_version()}; load average "
             f"(1 min) {load[0]:.2f} before the run, {load[1]:.2f} after.", "",
             "    " + command, "",
             f"{files} PDFs: the sample papers in `data/raw/`, "
             "`tests/fixtures/tables/journal/*.pdf` and `tests/fixtures/corpus/*.pdf`. One "
             "core; each pass a fresh process with imports (and the language model) loaded "
             "before timing; the tools' passes interleaved; medians.", "",
             "| tool | pages | pages/s (median) | passes (pages/s) |", "|---|---|---|---|"]
    for name, result in results.items():
        lines.append(f"| {name} | {result['pages']} | **{result['pages_per_s']:.2f}** | "
                     + ", ".join(f"{rate:.2f}" for rate in result["passes_pages_per_s"])
                     + " |")
    staged = {name: r for name, r in results.items() if "stage_shares" in r}
    lines += ["", "Where litcurate's time goes (share of its extraction time, median of the "
              "passes; seconds in brackets):", "",
              "| stage | " + " | ".join(staged) + " |", "|---|" + "---|" * len(staged)]
    for stage in STAGES:
        lines.append(f"| {stage} | " + " | ".join(
            f"{r['stage_shares'][stage]:.1%} ({r['stage_seconds'][stage]:.1f} s)"
            for r in staged.values()) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--root", type=Path, action="append", default=[])
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--worker", choices=sorted(TOOLS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(TOOLS[args.worker](corpus_pdfs())))
        return
    roots = [root.resolve() for root in args.root] or [ROOT]
    columns = {f"litcurate ({root.name})" if len(roots) > 1 else "litcurate": ("litcurate", root)
               for root in roots}
    columns |= {"pdfplumber bare parse (open + page.chars)": ("pdfplumber", ROOT),
                "pypdfium2 plain text of every page": ("pypdfium2", ROOT)}
    load_before = os.getloadavg()[0]
    passes: dict[str, list[dict[str, Any]]] = {name: [] for name in columns}
    for _ in range(args.runs):
        for name, (tool, root) in columns.items():
            passes[name].append(one_pass(tool, root))
    load = (load_before, os.getloadavg()[0])
    results = {name: summarise(found) for name, found in passes.items()}
    command = " ".join(["python benchmarks/speed.py", *sys.argv[1:]])
    text = to_markdown(results, len(corpus_pdfs()), command, load)
    print(text)
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "speed.md").write_text(text, encoding="utf-8")
        (args.out / "speed.json").write_text(json.dumps(
            {"command": command, "load_average": load, "files": [
                p.relative_to(ROOT).as_posix() for p in corpus_pdfs()],
             "results": results, "passes": passes}, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
