"""Commands about one paper: look at it (``extract``, ``inspect``, ``review``), add it
to the sources (``add``), or correct one of its records (``correct``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from litcurate.pipeline.cli.common import (
    FAILED,
    CuratedDir,
    RawDir,
    console,
    default_output,
    errors,
    fail,
    require_file,
)

if TYPE_CHECKING:
    from litcurate.pipeline.corrections import CorrectionEntry
    from litcurate.pipeline.sources.manifest import SourceEntry


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

    require_file(file)
    if out.exists() and not out.is_dir():
        fail(f"--out {out} is a file; give a folder for the CSV files")
    try:
        extraction = extract_paper(PaperSource(path=file, sha256=file_sha256(file)))
    except ExtractionError as error:
        fail(f"{file.name}: {error.reason}", FAILED)
    except MemoryError:  # no worker here: the machine's own memory ran out
        fail(f"{file.name}: out of memory while reading it", FAILED)
    out.mkdir(parents=True, exist_ok=True)
    for name, records in extraction.resources().items():
        resource = RESOURCES_BY_NAME[name]
        rows = records_to_rows(resource, records)
        (out / f"{name}.csv").write_bytes(rows_to_csv_bytes(resource, rows))
    from litcurate.pipeline.run_report import counted, record_counts

    console.print(f"{file.name}: {record_counts(extraction)}, "
                  f"{counted(len(extraction.issues), 'issue')} -> {out}/")


def inspect(
    file: Annotated[Path, typer.Argument(help="The PDF to look at.")],
    page: Annotated[int, typer.Option("--page", "-p", help="Page number, from 1.")] = 1,
    out: Annotated[Path | None, typer.Option(
        "--out", help="PNG to write.", show_default="out/FILE.pageN.png")] = None,
    resolution: Annotated[int, typer.Option(min=20, max=600, help="Pixels per inch.")] = 110,
) -> None:
    """Write a PNG of one page with the detected tables, rows and columns drawn on it."""
    from litcurate.extractors.errors import ExtractionError
    from litcurate.extractors.pdf.inspection import draw_page

    require_file(file)
    if out is not None and out.suffix.lower() != ".png":
        fail(f"--out {out}: inspect writes a PNG; give a .png name")
    target = out or default_output(f"{file.stem}.page{page}.png")
    try:
        findings = draw_page(file, page, target, resolution)
    except ExtractionError as error:
        fail(f"{file.name}: {error.reason}", FAILED)
    tables = ", ".join(f"{label} ({rows}x{cols})" for label, rows, cols in findings.tables)
    console.print(f"{file.name} page {page}: {tables or 'no table found'} -> {target}",
                  markup=False)


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
    """Add one correction to data/curated/corrections/PAPER_ID.yaml, checked against LATEST.

    The record must exist in LATEST, ``--from`` must be its current value, and the new
    value must validate as the field's type; otherwise nothing is written.
    """
    from pydantic import ValidationError

    from litcurate.pipeline.bounded_yaml import validation_problems
    from litcurate.pipeline.correction_check import check_correction
    from litcurate.pipeline.corrections import (
        CorrectionEntry,
        CorrectionsError,
        append_correction,
        corrections_path,
        load_corrections,
    )
    from litcurate.schemas.loader import ReleaseError, resolve_release_dir

    if exclude == (set_ is not None):
        fail("give exactly one of --set FIELD=VALUE or --exclude")
    if set_ is not None and "=" not in set_:
        fail(f"--set takes FIELD=VALUE, not {set_!r} (FIELD= sets an empty value)")
    item = _correction_item(resource, target, set_, from_, by, reason)
    try:
        path = corrections_path(curated, paper_id)  # a name reaching outside: refused
        entry = CorrectionEntry.model_validate(item)
        existing = load_corrections(path)  # a broken file: refused before anything else
        release = resolve_release_dir(curated)
        if (named := _paper_id_in(release, paper_id)) != paper_id:  # its PDF's name
            paper_id, path = named, corrections_path(curated, named)
            existing = load_corrections(path)
    except ValidationError as error:
        fail(f"correction not added: {validation_problems(error)}")
    except (CorrectionsError, ReleaseError) as error:
        fail(f"correction not added: {error}")
    problems = check_correction(entry, paper_id, release) + _pending_conflicts(entry, existing)
    if problems:
        fail(f"correction not added: {'; '.join(problems)}")
    entries = [e.model_dump(mode="json", by_alias=True, exclude_none=True,
                            exclude_defaults=True) for e in existing]
    append_correction(path, entries, item)
    console.print(f"added correction {len(entries) + 1} to {path}; it applies on the next run",
                  markup=False)


def _paper_id_in(release: Path, reference: str) -> str:
    """The paper's id, also when the curator names its PDF file (as ``review`` allows)."""
    from litcurate.pipeline.pages.review_page import find_paper

    found = find_paper(release, reference)
    return found["paper_id"] if found is not None else reference


def _pending_conflicts(entry: CorrectionEntry, existing: list[CorrectionEntry]) -> list[str]:
    """A correction already in the file that sets the same field of the same record, or
    excludes it again: the next run would apply one and call the other stale, so the
    curator is told now."""
    clashes = [number for number, other in enumerate(existing, 1)
               if (other.resource, other.id, other.action) == (entry.resource, entry.id,
                                                              entry.action)
               and other.id and other.field == entry.field]
    if not clashes:
        return []
    what = f"sets {entry.field} of" if entry.action == "set" else f"{entry.action}s"
    return [f"correction {clashes[0]} in the file already {what} {entry.id!r}; "
            "edit or remove that one instead"]


def _correction_item(resource: str, target: str, set_: str | None, from_: str | None,
                     by: str, reason: str) -> dict[str, object]:
    """The corrections-file entry the ``correct`` options describe (``--set`` or exclude)."""
    import datetime as dt

    item: dict[str, object] = {"resource": resource, "id": target,
                               "action": "exclude" if set_ is None else "set", "by": by,
                               "reason": reason, "date": dt.date.today().isoformat()}
    if set_ is not None:
        field, _, value = set_.partition("=")
        item.update({"field": field, "to": value})
        if from_ is not None:
            item["from"] = from_
    return item


def review(
    paper: Annotated[str, typer.Argument(help="Paper id or PDF file name.")],
    version: Annotated[str | None, typer.Option(help="Release version (default LATEST).")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", help="HTML file to write.", show_default="out/review-FILE.html")] = None,
    raw: RawDir = Path("data/raw"),
    curated: CuratedDir = Path("data/curated"),
) -> None:
    """Write a review page for one paper: tables beside their PDF crops, issues, statements."""
    from litcurate.pipeline.pages.html_parts import find_pdf
    from litcurate.pipeline.pages.review_page import find_paper, review_html
    from litcurate.schemas.loader import ReleaseError, resolve_release_dir

    try:
        release = resolve_release_dir(curated, version)
    except ReleaseError as error:
        fail(str(error))
    found = find_paper(release, paper)
    if found is None:
        fail(f"no paper {paper!r} in release {release.name}")
    target = out or default_output(f"review-{Path(found['file_name']).stem}.html")
    target.write_text(review_html(release, found, [raw], curated), encoding="utf-8")
    console.print(f"wrote {target}", markup=False)
    if find_pdf(found["file_name"], [raw], found.get("sha256", "")) is None:
        errors.print(f"[yellow]note[/]: {escape(found['file_name'])} is not in {escape(str(raw))}, "
                     "so the page shows no PDF crops (--raw names the folder it is in)")


def add(
    source: Annotated[str, typer.Argument(help="http(s) URL of a PDF, or a local PDF file.")],
    citation: Annotated[str, typer.Option(help="Full citation of the paper.")] = "",
    licence: Annotated[str, typer.Option(help="Licence, e.g. CC-BY-4.0.")] = "",
    name: Annotated[str | None, typer.Option(help="File name in data/raw/.")] = None,
    raw: RawDir = Path("data/raw"),
) -> None:
    """Add a paper to data/raw/sources.yaml (validated) and pull it into data/raw/."""
    import re
    from urllib.parse import unquote, urlparse

    from litcurate.pipeline.safe_names import name_problem
    from litcurate.pipeline.sources.manifest import (
        ManifestError,
        SourceEntry,
        load_manifest,
        save_manifest,
        spdx_licence,
        today,
    )
    from litcurate.pipeline.sources.pull import check_source_url, one_line

    try:
        licence = spdx_licence(licence)
    except ValueError as error:
        fail(str(error))
    found = re.match(r"([A-Za-z][A-Za-z0-9+.-]+):", source)  # one letter: a drive, "C:"
    scheme = found.group(1).lower() if found else ""
    if scheme and scheme not in {"http", "https"}:
        fail(f"{source!r}: add takes an http(s) URL or a local file path, not a {scheme}: URL"
             + ("; give the file's path" if scheme == "file" else ""))
    is_url = source.startswith(("http://", "https://"))
    if is_url and check_source_url(source):
        fail(one_line(f"source URL {source!r} {check_source_url(source)}"))
    file_name = name or (Path(unquote(urlparse(source).path)).name if is_url
                         else Path(source).name)
    if name_problem(file_name):
        fail(f"file name {file_name!r} {name_problem(file_name)}; give another --name")
    if not file_name.lower().endswith(".pdf"):
        fail(f"{file_name!r} is not a .pdf name; give --name")
    try:
        manifest = load_manifest(raw)
    except ManifestError as error:
        fail(str(error))
    if manifest.entry_for(file_name) or (is_url and any(e.url == source
                                                        for e in manifest.papers)):
        fail(f"{file_name} is already in {raw / 'sources.yaml'}")
    raw.mkdir(parents=True, exist_ok=True)
    entry = SourceEntry(file=file_name, citation=citation, licence=licence,
                        url=source if is_url else "", added=today())
    entry = _pull_in(entry, raw) if is_url else _copy_in(Path(source), entry, raw)
    for twin in (e.file for e in manifest.papers if entry.sha256 and e.sha256 == entry.sha256):
        console.print(f"[yellow]note[/] {escape(entry.file)} has the same bytes as "
                      f"{escape(twin)}, already in "
                      "sources.yaml: a run processes them once and lists the copy as an issue")
    save_manifest(raw, manifest.model_copy(update={"papers": [*manifest.papers, entry]}))
    console.print(f"added {file_name} to {raw / 'sources.yaml'}; `litcurate run` extracts it",
                  markup=False)


def _pull_in(entry: SourceEntry, raw: Path) -> SourceEntry:
    """Pull the entry's URL into ``raw``: the entry with its hash and pull date."""
    from litcurate.pipeline.sources.manifest import today
    from litcurate.pipeline.sources.pull import PullError, pull_source

    try:
        pulled = pull_source(entry, raw)
    except PullError as error:
        fail(error.reason, FAILED)
    console.print(f"{entry.file}: {pulled.message}", markup=False)
    return entry.model_copy(update={"sha256": pulled.sha256, "pulled": today()})


def _copy_in(local: Path, entry: SourceEntry, raw: Path) -> SourceEntry:
    """Copy a local PDF into ``raw`` (unless it is already there): the entry with its hash."""
    import shutil

    from litcurate.atomic import atomic_writer
    from litcurate.pipeline.safe_names import UnsafeNameError, refuse_symlink
    from litcurate.schemas.loader import file_sha256

    require_file(local)
    with local.open("rb") as handle:
        if not handle.read(1024).lstrip().startswith(b"%PDF-"):
            fail(f"{local.name}: not a PDF (no %PDF- header); nothing added")
    try:
        refuse_symlink(raw / entry.file)
    except UnsafeNameError as error:
        fail(str(error))
    if local.resolve() != (raw / entry.file).resolve():
        with local.open("rb") as source, atomic_writer(raw / entry.file, sync=True) as out:
            shutil.copyfileobj(source, out)
    return entry.model_copy(update={"sha256": file_sha256(raw / entry.file)})
