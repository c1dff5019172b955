"""Commands about published releases: ``diff`` two of them, ``verify`` one, list them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from litcurate.pipeline.cli.common import (
    FAILED,
    AllowSchemes,
    CuratedDir,
    MetricsCorpus,
    RawDir,
    console,
    default_output,
    errors,
    fail,
    schemes_option,
)

if TYPE_CHECKING:
    from litcurate.pipeline.release.diffing import ReleaseDiff

FORMATS = ("terminal", "markdown", "json", "html")
SUFFIX_FORMATS = {".html": "html", ".htm": "html", ".md": "markdown", ".json": "json"}


def diff(
    old: Annotated[str | None, typer.Argument(help="Old release: version or folder.")] = None,
    new: Annotated[str | None, typer.Argument(help="New release: version or folder.")] = None,
    output: Annotated[str | None, typer.Option(
        "--format", help="terminal, markdown, json or html (a page with PDF crops); "
        "default terminal, or what --out's suffix says.")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", help="File to write (.html, .md or .json) instead of printing; html "
        "defaults to out/diff-OLD-NEW.html.")] = None,
    against_working: Annotated[bool, typer.Option(
        "--against-working", help="Compare LATEST with a fresh extraction of --raw.")] = False,
    raw: RawDir = Path("data/raw"),
    curated: CuratedDir = Path("data/curated"),
    metrics_corpus: MetricsCorpus = None,
    allow_scheme: AllowSchemes = None,
) -> None:
    """Show what changed between two releases (or LATEST and the working extraction)."""
    import dataclasses
    import tempfile

    from litcurate.pipeline.cli.run_commands import working_release
    from litcurate.pipeline.pages.diff_page import to_html
    from litcurate.pipeline.release.diffing import diff_release_dirs
    from litcurate.schemas.loader import ReleaseError, resolve_release_dir

    output = output_format(output, out)
    schemes = schemes_option(allow_scheme)

    def locate(ref: str | None) -> Path:
        candidate = Path(ref) if ref else None
        if candidate is not None and candidate.is_dir():
            return candidate
        return resolve_release_dir(curated, ref)

    try:
        old_dir = locate(old)
        with tempfile.TemporaryDirectory(prefix="litcurate-working-") as scratch:
            if against_working:
                new_dir = working_release(raw, Path(scratch), curated, metrics_corpus,
                                          schemes)
            elif new is None:
                fail("give two releases, or one with --against-working")
            else:
                new_dir = locate(new)
            result = diff_release_dirs(old_dir, new_dir)
            if against_working:
                result = dataclasses.replace(result, new="working extraction")
            missing: list[str] = []
            page = to_html(result, old_dir, new_dir, [raw], missing) if output == "html" else ""
    except (FileNotFoundError, ValueError, ReleaseError) as error:
        fail(str(error))
    _show(result, output, out, page)
    if missing:
        errors.print(f"[yellow]note[/]: {escape(', '.join(missing))} not in {escape(str(raw))}, "
                     "so the page shows no PDF crop for their tables (--raw names the folder "
                     "they are in)")
    if not against_working and _newer(old_dir.name, new_dir.name):
        errors.print(f"[yellow]note[/]: {escape(old_dir.name)} is newer than "
                     f"{escape(new_dir.name)}; this is what going back to it would change "
                     "(give the older release first)")


def _newer(first: str, second: str) -> bool:
    """Whether release ``first`` has a higher version than ``second``."""
    from litcurate.pipeline.release.latest import version_key

    ranks = version_key(first), version_key(second)
    return ranks[0] is not None and ranks[1] is not None and ranks[0] > ranks[1]


def output_format(output: str | None, out: Path | None) -> str:
    """The format asked for, or the one ``--out``'s suffix names; a usage error otherwise."""
    if output is None:
        output = SUFFIX_FORMATS.get(out.suffix.lower(), "") if out else "terminal"
        if not output:
            fail(f"cannot tell the format from {out}; give --format markdown, json or html")
    if output not in FORMATS:
        fail(f"unknown format {output!r} (terminal, markdown, json, html)")
    if output == "terminal" and out is not None:
        fail("the terminal format is printed; give --format markdown, json or html with --out")
    return output


def _show(result: ReleaseDiff, output: str, out: Path | None, page: str) -> None:
    """Write the diff in the chosen format (the HTML page is already rendered)."""
    from litcurate.pipeline.release.diffing import print_terminal, to_json, to_markdown

    if output == "terminal":
        print_terminal(result, console)
        return
    text = page if output == "html" else to_json(result) if output == "json" else (
        to_markdown(result))
    if out is None and output != "html":
        sys.stdout.write(text)
        return
    target = out or default_output(f"diff-{result.old}-{result.new}.html")
    target.write_text(text, encoding="utf-8")
    console.print(f"wrote {target}", markup=False)


def verify(
    version: Annotated[str | None, typer.Argument(help="Release version (default LATEST).")] = None,
    curated: CuratedDir = Path("data/curated"),
) -> None:
    """Re-hash and re-validate a release; exit non-zero on any mismatch."""
    from litcurate.pipeline.release.verify import verify_release

    problems, path = verify_release(curated, version)
    for problem in problems:
        errors.print(f"[red]FAIL[/] {escape(problem)}")
    if problems:
        raise typer.Exit(FAILED)
    console.print(f"[green]ok[/] {escape(str(path))}: every resource matches its hash and "
                  "schema")


def releases(curated: CuratedDir = Path("data/curated")) -> None:
    """List published releases, newest last, and which one is LATEST."""
    from litcurate.pipeline.release.latest import published_versions
    from litcurate.pipeline.release.publish import RELEASES_DIR, latest_version

    if not curated.is_dir():
        fail(f"no folder {curated} (--curated names the dataset home)")
    latest = latest_version(curated)
    found = published_versions(curated / RELEASES_DIR)  # stray folders are not releases
    if not found:
        console.print(f"no releases yet in {curated}", markup=False)
    for version in found:
        console.print(f"{version}{'  (LATEST)' if version == latest else ''}")
    if latest is not None and latest not in found:
        fail(f"LATEST names {latest!r}, which is not a release in {curated / RELEASES_DIR}",
             FAILED)
