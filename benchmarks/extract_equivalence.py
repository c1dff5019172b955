"""Do two checkouts extract the same files byte for byte? ``litcurate extract`` of every PDF
with each, and the CSV files compared.

    .venv/bin/python benchmarks/extract_equivalence.py --root BEFORE --root AFTER \
        [--pdfs FOLDER ...] [--out benchmarks/results]

A change meant to make reading faster (or otherwise leave the output alone) is shown
to do so here: every file of every PDF under the ``--pdfs`` folders (default: the
sample papers in ``data/raw/`` and every PDF under ``tests/fixtures/``) must come out
identical, or the differing files are listed. The one-line summary each extraction
prints is compared too (its output folder removed from it), so a file that fails to
read with one checkout and not the other shows. Writes ``extract_equivalence.md``
under ``--out`` when given.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FOLDERS = [ROOT / "data" / "raw", ROOT / "tests" / "fixtures"]


def pdfs_under(folders: list[Path]) -> list[Path]:
    """Every PDF under the folders, in a stable order."""
    return sorted({path.resolve() for folder in folders for path in folder.rglob("*.pdf")})


def extract(root: Path, pdf: Path, out: Path) -> str:
    """``litcurate extract`` with ``root``'s code; returns its summary, the folder removed."""
    env = {**os.environ, "PYTHONPATH": str(root), "LITCURATE_HOME": str(out.parent / "home")}
    command = [sys.executable, "-c", "from litcurate.pipeline.cli.app import app; app()",
               "extract", str(pdf), "--out", str(out)]
    done = subprocess.run(command, env=env, cwd=root, capture_output=True, text=True,
                          check=False)
    return (done.stdout + done.stderr).replace(str(out), "OUT").strip()


def digests(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def compare(roots: list[Path], pdfs: list[Path]) -> list[tuple[Path, int, list[str]]]:
    """Per PDF: how many files were compared and which differ (or the summaries)."""
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        for index, pdf in enumerate(pdfs):
            outputs = []
            for number, root in enumerate(roots):
                out = Path(scratch) / f"{index}-{number}" / "out"
                out.parent.mkdir()
                outputs.append((extract(root, pdf, out), digests(out)))
            (summary, files), others = outputs[0], outputs[1:]
            differing = sorted({name for _, other in others
                                for name in set(files) | set(other)
                                if files.get(name) != other.get(name)})
            if any(other_summary != summary for other_summary, _ in others):
                differing.append("(the printed summary)")
            results.append((pdf, len(files), differing))
            print(f"{'same' if not differing else 'DIFFERS'}: {pdf.name} "
                  f"({len(files)} files){' ' + ', '.join(differing) if differing else ''}",
                  flush=True)
    return results


def report(roots: list[Path], folders: list[Path],
           results: list[tuple[Path, int, list[str]]]) -> str:
    same = sum(1 for _, _, differing in results if not differing)
    files = sum(count for _, count, _ in results)
    lines = ["# Extraction equivalence between checkouts", "",
             "    python benchmarks/extract_equivalence.py "
             + " ".join([*(f"--root {root}" for root in roots),
                         *(f"--pdfs {folder}" for folder in folders)]), "",
             f"{len(results)} PDFs, {files} output files: **{same} of {len(results)} PDFs "
             f"byte-identical**.", "", "| PDF | files | differing |", "|---|---|---|"]
    for pdf, count, differing in results:
        try:
            name = str(pdf.relative_to(ROOT))
        except ValueError:
            name = pdf.name
        lines.append(f"| {name} | {count} | {', '.join(differing) or '-'} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, action="append", required=True)
    parser.add_argument("--pdfs", type=Path, action="append", default=[])
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    if len(args.root) < 2:
        parser.error("give two checkouts (--root BEFORE --root AFTER)")
    results = compare([root.resolve() for root in args.root],
                      pdfs_under(args.pdfs or DEFAULT_FOLDERS))
    text = report(args.root, args.pdfs, results)
    print(text)
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "extract_equivalence.md").write_text(text, encoding="utf-8")
    if any(differing for _, _, differing in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
