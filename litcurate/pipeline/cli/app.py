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
TimeLimit = Annotated[float, typer.Option(
    "--time-limit", min=1, help="Seconds one paper may take before it is stopped.")]
MemoryLimit = Annotated[int, typer.Option(
    "--memory-limit", min=64, help="MB one paper may allocate before it is stopped.")]


def _require_folder(raw: Path) -> None:
    """A missing input folder is a usage error (exit 2), said before Prefect starts."""
    if not raw.is_dir():
        errors.print(f"[red]error[/]: input folder {raw} does not exist")
        raise typer.Exit(2)


@app.command()
def run(
    raw: RawDir = Path("data/raw"),
    curated: CuratedDir = Path("data/curated"),
    publish: Annotated[bool, typer.Option(help="Publish a release at the end.")] = True,
    workers: Annotated[int | None, typer.Option(
        "--workers", "-w", min=1, help="Papers processed at once [default: one per core].")
    ] = None,
    time_limit: TimeLimit = 600,
    memory_limit: MemoryLimit = 2048,
    retry_failed: Annotated[bool, typer.Option(
        "--retry-failed", help="Read again the unchanged files that failed last time.")
    ] = False,
    dask: Annotated[bool, typer.Option(
        "--dask", help="Run the papers on a local Dask cluster of --workers processes.")
    ] = False,
    dask_address: Annotated[str | None, typer.Option(
        "--dask-address", help="Run the papers on an existing Dask cluster (tcp://host:8786).")
    ] = None,
) -> None:
    """Extract every PDF in data/raw/ and publish a release (the main job)."""
    _require_folder(raw)
    configure_prefect()
    import contextlib

    from litcurate.pipeline.cli.live import live_progress
    from litcurate.pipeline.execution.runners import dask_runner, shared_prefect_api, thread_runner
    from litcurate.pipeline.flow import curate, default_workers
    from litcurate.pipeline.sources.manifest import ManifestError, discover_pdfs

    names = [p.name for p in discover_pdfs(raw)]
    n_workers = workers or default_workers()
    on_dask = dask or dask_address is not None
    runner = dask_runner(n_workers, dask_address) if on_dask else thread_runner(n_workers)
    try:
        api = shared_prefect_api() if on_dask else contextlib.nullcontext()
        with api, live_progress(console, names):
            summary = curate.with_options(task_runner=runner)(
                raw_dir=raw, curated_dir=curated, publish=publish, time_limit=time_limit,
                memory_limit_mb=memory_limit, retry_failed=retry_failed)
    except ManifestError as error:
        errors.print(f"[red]error[/]: {error}")
        raise typer.Exit(2) from error
    from litcurate.pipeline.cli.report import print_summary

    print_summary(console, summary, curated)
    if summary.failures:
        raise typer.Exit(1)


@app.command()
def serve(
    raw: RawDir = Path("data/raw"),
    curated: CuratedDir = Path("data/curated"),
    interval: Annotated[int, typer.Option(
        min=10, help="Seconds between scheduled runs.")] = 3600,
    name: Annotated[str, typer.Option(help="The deployment's name.")] = "litcurate",
    time_limit: TimeLimit = 600,
    memory_limit: MemoryLimit = 2048,
) -> None:
    """Serve the run as a Prefect deployment: every --interval, process new or changed PDFs.

    Needs a Prefect server (``prefect server start``) and PREFECT_API_URL pointing at
    it. Unchanged papers come from the extraction cache, so a scheduled run over an
    unchanged folder reads nothing and publishes nothing. Runs never overlap.
    """
    import os

    if not os.environ.get("PREFECT_API_URL"):
        errors.print("[red]error[/]: litcurate serve needs a Prefect server: run "
                     "`prefect server start`, then set PREFECT_API_URL "
                     "(e.g. http://127.0.0.1:4200/api) and try again")
        raise typer.Exit(2)
    _require_folder(raw)
    configure_prefect()
    from prefect.deployments.runner import EntrypointType

    from litcurate.pipeline.flow import curate

    curate.serve(
        name=name, interval=interval, limit=1, enforce_parameter_schema=False,
        entrypoint_type=EntrypointType.MODULE_PATH,
        parameters={"raw_dir": str(raw.resolve()), "curated_dir": str(curated.resolve()),
                    "time_limit": time_limit, "memory_limit_mb": memory_limit},
        description="Extract new or changed PDFs and publish a release when the data change.")


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(help="The PDF to read.", exists=False)],
    out: Annotated[Path, typer.Option("--out", help="Folder for the CSV files.")],
) -> None:
    """Extract one PDF into CSV files without publishing (a quick look)."""
    from litcurate.extractors.errors import ExtractionError
    from litcurate.extractors.stage_chain import PaperSource, extract_paper
    from litcurate.pipeline.release.files import records_to_rows, rows_to_csv_bytes
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
    except MemoryError as error:  # no worker here: the machine's own memory ran out
        errors.print(f"[red]error[/]: {file.name}: out of memory while reading it")
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
    from litcurate.extractors.pdf.inspection import draw_page

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
def diff(
    old: Annotated[str | None, typer.Argument(help="Old release: version or folder.")] = None,
    new: Annotated[str | None, typer.Argument(help="New release: version or folder.")] = None,
    output: Annotated[str, typer.Option(
        "--format", help="terminal, markdown, json or html (a page with PDF crops).")] = (
        "terminal"),
    out: Annotated[Path | None, typer.Option("--out", help="HTML file to write.")] = None,
    against_working: Annotated[bool, typer.Option(
        "--against-working", help="Compare LATEST with a fresh extraction of --raw.")] = False,
    raw: RawDir = Path("data/raw"),
    curated: CuratedDir = Path("data/curated"),
) -> None:
    """Show what changed between two releases (or LATEST and the working extraction)."""
    import dataclasses
    import tempfile

    from litcurate.pipeline.pages.diff_page import to_html
    from litcurate.pipeline.release.diffing import (
        diff_release_dirs,
        print_terminal,
        to_json,
        to_markdown,
    )
    from litcurate.schemas.loader import ReleaseError, resolve_release_dir

    if output not in {"terminal", "markdown", "json", "html"}:
        errors.print(f"[red]error[/]: unknown format {output!r} (terminal, markdown, json, html)")
        raise typer.Exit(2)

    def locate(ref: str | None) -> Path:
        candidate = Path(ref) if ref else None
        if candidate is not None and candidate.is_dir():
            return candidate
        return resolve_release_dir(curated, ref)

    try:
        old_dir = locate(old)
        with tempfile.TemporaryDirectory(prefix="litcurate-working-") as scratch:
            if against_working:
                new_dir = _working_release(raw, Path(scratch), curated)
            elif new is None:
                errors.print("[red]error[/]: give two releases, or one with --against-working")
                raise typer.Exit(2)
            else:
                new_dir = locate(new)
            result = diff_release_dirs(old_dir, new_dir)
            if against_working:
                result = dataclasses.replace(result, new="working extraction")
            page = to_html(result, old_dir, new_dir, [raw]) if output == "html" else ""
    except (FileNotFoundError, ValueError, ReleaseError) as error:
        errors.print(f"[red]error[/]: {error}")
        raise typer.Exit(2) from error
    if output == "html":
        target = out or Path(f"diff-{result.old}-{result.new}.html")
        target.write_text(page, encoding="utf-8")
        console.print(f"wrote {target}")
    elif output == "json":
        sys.stdout.write(to_json(result))
    elif output == "markdown":
        sys.stdout.write(to_markdown(result))
    else:
        print_terminal(result, console)


def _working_release(raw: Path, scratch: Path, curated: Path) -> Path:
    """Extract --raw into a scratch dataset home and return the release it published.

    The curators' corrections are copied in first, so the working extraction is what
    the next ``litcurate run`` would publish.
    """
    import shutil

    configure_prefect()
    from litcurate.pipeline.corrections import CORRECTIONS_DIR
    from litcurate.pipeline.flow import curate

    if (curated / CORRECTIONS_DIR).is_dir():
        shutil.copytree(curated / CORRECTIONS_DIR, scratch / CORRECTIONS_DIR)

    summary = curate(raw_dir=raw, curated_dir=scratch, publish=True)
    if summary.publish is None or summary.publish.path is None:
        raise ValueError("the working extraction published nothing")
    return Path(summary.publish.path)


@app.command()
def correct(
    paper_id: Annotated[str, typer.Argument(help="The paper's id (papers.csv).")],
    target: Annotated[str, typer.Option("--id", help="Stable id of the record to correct.")],
    by: Annotated[str, typer.Option("--by", help="Who makes the correction.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (kept in the release).")],
    resource: Annotated[str, typer.Option(help="Resource of the record.")] = "outcomes",
    set_: Annotated[str | None, typer.Option("--set", help="FIELD=VALUE to set.")] = None,
    from_: Annotated[str | None, typer.Option("--from", help="The value you saw (staleness "
                                                             "check).")] = None,
    exclude: Annotated[bool, typer.Option(help="Exclude the record instead.")] = False,
    curated: CuratedDir = Path("data/curated"),
) -> None:
    """Add one correction to data/curated/corrections/PAPER_ID.yaml, validated first."""
    import datetime as dt

    import yaml
    from pydantic import ValidationError

    from litcurate.pipeline.corrections import (
        CorrectionEntry,
        CorrectionsError,
        corrections_path,
        load_corrections,
    )

    if exclude == (set_ is not None):
        errors.print("[red]error[/]: give exactly one of --set FIELD=VALUE or --exclude")
        raise typer.Exit(2)
    field, _, value = (set_ or "").partition("=")
    item: dict[str, object] = {"resource": resource, "id": target,
                               "action": "exclude" if exclude else "set", "by": by,
                               "reason": reason, "date": dt.date.today().isoformat()}
    if not exclude:
        item.update({"field": field, "to": value})
        if from_ is not None:
            item["from"] = from_
    path = corrections_path(curated, paper_id)
    try:
        CorrectionEntry.model_validate(item)
        existing = load_corrections(path)
    except (ValidationError, CorrectionsError) as error:
        errors.print(f"[red]error[/]: correction not added: {error}")
        raise typer.Exit(2) from error
    path.parent.mkdir(parents=True, exist_ok=True)
    entries = [e.model_dump(mode="json", by_alias=True, exclude_none=True,
                            exclude_defaults=True) for e in existing]
    entries.append(item)
    path.write_text(yaml.safe_dump(entries, sort_keys=False, allow_unicode=True),
                    encoding="utf-8")
    console.print(f"added correction {len(entries)} to {path}; it applies on the next run")


@app.command()
def review(
    paper: Annotated[str, typer.Argument(help="Paper id or PDF file name.")],
    version: Annotated[str | None, typer.Option(help="Release version (default LATEST).")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="HTML file to write.")] = None,
    raw: RawDir = Path("data/raw"),
    curated: CuratedDir = Path("data/curated"),
) -> None:
    """Write a review page for one paper: tables beside their PDF crops, issues, statements."""
    from litcurate.pipeline.pages.review_page import find_paper, review_html
    from litcurate.schemas.loader import ReleaseError, resolve_release_dir

    try:
        release = resolve_release_dir(curated, version)
    except ReleaseError as error:
        errors.print(f"[red]error[/]: {error}")
        raise typer.Exit(2) from error
    found = find_paper(release, paper)
    if found is None:
        errors.print(f"[red]error[/]: no paper {paper!r} in release {release.name}")
        raise typer.Exit(2)
    target = out or Path(f"review-{Path(found['file_name']).stem}.html")
    target.write_text(review_html(release, found, [raw]), encoding="utf-8")
    console.print(f"wrote {target}")


@app.command()
def add(
    source: Annotated[str, typer.Argument(help="http(s) URL of a PDF, or a local PDF file.")],
    citation: Annotated[str, typer.Option(help="Full citation of the paper.")] = "",
    licence: Annotated[str, typer.Option(help="Licence, e.g. CC-BY-4.0.")] = "",
    name: Annotated[str | None, typer.Option(help="File name in data/raw/.")] = None,
    raw: RawDir = Path("data/raw"),
) -> None:
    """Add a paper to data/raw/sources.yaml (validated) and pull it into data/raw/."""
    import shutil
    from urllib.parse import unquote, urlparse

    from litcurate.pipeline.sources.manifest import (
        ManifestError,
        SourceEntry,
        load_manifest,
        save_manifest,
        today,
    )
    from litcurate.pipeline.sources.pull import PullError, pull_source
    from litcurate.schemas.loader import file_sha256

    is_url = source.startswith(("http://", "https://"))
    file_name = name or (Path(unquote(urlparse(source).path)).name if is_url
                         else Path(source).name)
    if not file_name.lower().endswith(".pdf"):
        errors.print(f"[red]error[/]: {file_name!r} is not a .pdf name; give --name")
        raise typer.Exit(2)
    try:
        manifest = load_manifest(raw)
    except ManifestError as error:
        errors.print(f"[red]error[/]: {error}")
        raise typer.Exit(2) from error
    if manifest.entry_for(file_name) or (is_url and any(e.url == source
                                                        for e in manifest.papers)):
        errors.print(f"[red]error[/]: {file_name} is already in {raw / 'sources.yaml'}")
        raise typer.Exit(2)
    raw.mkdir(parents=True, exist_ok=True)
    entry = SourceEntry(file=file_name, citation=citation, licence=licence,
                        url=source if is_url else "", added=today())
    try:
        if is_url:
            pulled = pull_source(entry, raw)
            entry = entry.model_copy(update={"sha256": pulled.sha256, "pulled": today()})
            console.print(f"{file_name}: {pulled.message}")
        else:
            local = Path(source)
            if not local.is_file():
                errors.print(f"[red]error[/]: {local}: no such file")
                raise typer.Exit(2)
            if local.resolve() != (raw / file_name).resolve():
                shutil.copyfile(local, raw / file_name)
            entry = entry.model_copy(update={"sha256": file_sha256(raw / file_name)})
    except PullError as error:
        errors.print(f"[red]error[/]: {error.reason}")
        raise typer.Exit(1) from error
    save_manifest(raw, manifest.model_copy(update={"papers": [*manifest.papers, entry]}))
    console.print(f"added {file_name} to {raw / 'sources.yaml'}; `litcurate run` extracts it")


@app.command()
def verify(
    version: Annotated[str | None, typer.Argument(help="Release version (default LATEST).")] = None,
    curated: CuratedDir = Path("data/curated"),
) -> None:
    """Re-hash and re-validate a release; exit non-zero on any mismatch."""
    from litcurate.pipeline.release.verify import verify_release

    problems, path = verify_release(curated, version)
    for problem in problems:
        errors.print(f"[red]FAIL[/] {problem}")
    if problems:
        raise typer.Exit(1)
    console.print(f"[green]ok[/] {path}: every resource matches its hash and schema")


@app.command()
def releases(curated: CuratedDir = Path("data/curated")) -> None:
    """List published releases, newest last, and which one is LATEST."""
    from litcurate.pipeline.release.publish import RELEASES_DIR, latest_version

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
