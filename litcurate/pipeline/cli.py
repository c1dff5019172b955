"""The ``litcurate`` command line.

Prefect is configured (offline, isolated home, ephemeral API) before it is first
imported, which is why flow imports happen inside the commands.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from litcurate.pipeline.environment import configure_prefect

app = typer.Typer(
    name="litcurate",
    help="Clinical review PDFs -> a versioned, validated dataset of outcomes and statements.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(stderr=False, highlight=False)
# pdfminer warns about harmless colour-space quirks of real journal PDFs on every page.
logging.getLogger("pdfminer").setLevel(logging.ERROR)
errors = Console(stderr=True, highlight=False)

RawDir = Annotated[Path, typer.Option("--raw", help="Folder of input PDFs and sources.yaml.")]
CuratedDir = Annotated[Path, typer.Option("--curated", help="Dataset home: releases/, LATEST.")]


@app.command()
def run(
    raw: RawDir = Path("data/raw"),
    curated: CuratedDir = Path("data/curated"),
    publish: Annotated[bool, typer.Option(help="Publish a release at the end.")] = True,
) -> None:
    """Extract every PDF in data/raw/ and publish a release (the main job)."""
    if not raw.is_dir():
        errors.print(f"[red]error[/]: input folder {raw} does not exist")
        raise typer.Exit(2)
    configure_prefect()
    from litcurate.pipeline.flow import curate
    from litcurate.pipeline.live import live_progress
    from litcurate.pipeline.sources import ManifestError, discover_pdfs

    names = [p.name for p in discover_pdfs(raw)]
    try:
        with live_progress(console, names):
            summary = curate(raw_dir=raw, curated_dir=curated, publish=publish)
    except ManifestError as error:
        errors.print(f"[red]error[/]: {error}")
        raise typer.Exit(2) from error
    from litcurate.pipeline.report import print_summary

    print_summary(console, summary, curated)
    if summary.failures:
        raise typer.Exit(1)


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(help="The PDF to read.", exists=False)],
    out: Annotated[Path, typer.Option("--out", help="Folder for the CSV files.")],
) -> None:
    """Extract one PDF into CSV files without publishing (a quick look)."""
    from litcurate.extractors.errors import ExtractionError
    from litcurate.extractors.paper import PaperSource, extract_paper
    from litcurate.pipeline.release_files import records_to_rows, rows_to_csv_bytes
    from litcurate.schemas.loader import file_sha256
    from litcurate.schemas.resources import RESOURCES_BY_NAME

    if not file.is_file():
        errors.print(f"[red]error[/]: {file}: no such file")
        raise typer.Exit(2)
    try:
        extraction = extract_paper(PaperSource(path=file, sha256=file_sha256(file)))
    except ExtractionError as error:
        errors.print(f"[red]error[/]: {file.name}: {error.reason}")
        raise typer.Exit(1) from error
    out.mkdir(parents=True, exist_ok=True)
    for name, records in extraction.resources().items():
        resource = RESOURCES_BY_NAME[name]
        rows = records_to_rows(resource, records)
        (out / f"{name}.csv").write_bytes(rows_to_csv_bytes(resource, rows))
    console.print(
        f"{file.name}: {len(extraction.tables)} tables, {len(extraction.outcomes)} outcomes, "
        f"{len(extraction.statements)} statements, {len(extraction.issues)} issues -> {out}/")


@app.command()
def inspect(
    file: Annotated[Path, typer.Argument(help="The PDF to look at.")],
    page: Annotated[int, typer.Option("--page", "-p", help="Page number, from 1.")] = 1,
    out: Annotated[Path | None, typer.Option("--out", help="PNG to write.")] = None,
    resolution: Annotated[int, typer.Option(help="Pixels per inch.")] = 110,
) -> None:
    """Write a PNG of one page with the detected tables, rows and columns drawn on it."""
    from litcurate.extractors.errors import ExtractionError
    from litcurate.extractors.inspection import draw_page

    if not file.is_file():
        errors.print(f"[red]error[/]: {file}: no such file")
        raise typer.Exit(2)
    target = out or Path(f"{file.stem}.page{page}.png")
    try:
        findings = draw_page(file, page, target, resolution)
    except ExtractionError as error:
        errors.print(f"[red]error[/]: {file.name}: {error.reason}")
        raise typer.Exit(1) from error
    tables = ", ".join(f"{label} ({rows}x{cols})" for label, rows, cols in findings.tables)
    console.print(f"{file.name} page {page}: {tables or 'no table found'} -> {target}")


@app.command()
def verify(
    version: Annotated[str | None, typer.Argument(help="Release version (default LATEST).")] = None,
    curated: CuratedDir = Path("data/curated"),
) -> None:
    """Re-hash and re-validate a release; exit non-zero on any mismatch."""
    from litcurate.pipeline.verify import verify_release

    problems, path = verify_release(curated, version)
    for problem in problems:
        errors.print(f"[red]FAIL[/] {problem}")
    if problems:
        raise typer.Exit(1)
    console.print(f"[green]ok[/] {path}: every resource matches its hash and schema")


@app.command()
def releases(curated: CuratedDir = Path("data/curated")) -> None:
    """List published releases, newest last, and which one is LATEST."""
    from litcurate.pipeline.publish import RELEASES_DIR, latest_version

    latest = latest_version(curated)
    root = curated / RELEASES_DIR
    found = sorted(
        (p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda v: tuple(int(x) for x in v.split(".")),
    ) if root.is_dir() else []
    if not found:
        console.print("no releases yet")
    for version in found:
        console.print(f"{version}{'  (LATEST)' if version == latest else ''}")


def main() -> None:
    """Console-script entry point."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    app()


if __name__ == "__main__":
    main()
