"""What every command shares: the consoles, the common options, and how a command fails."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

# soft_wrap: a long line (a path, a file name) is printed whole, never cut or broken at
# 80 columns when the output is a pipe or a log file.
console = Console(stderr=False, highlight=False, soft_wrap=True)
errors = Console(stderr=True, highlight=False, soft_wrap=True)

RawDir = Annotated[Path, typer.Option("--raw", help="Folder of input PDFs and sources.yaml.")]
CuratedDir = Annotated[Path, typer.Option("--curated", help="Dataset home: releases/, LATEST.")]
TimeLimit = Annotated[float, typer.Option(
    "--time-limit", min=1, help="Seconds one paper may take before it is stopped.")]
MemoryLimit = Annotated[int, typer.Option(
    "--memory-limit", min=64, help="MB one paper may allocate before it is stopped.")]
MetricsCorpus = Annotated[Path | None, typer.Option(
    "--metrics-corpus", help="Golden corpus (e.g. tests/fixtures) the release's metrics card "
    "is for: the shipped card when it was measured on it for this code, else measured there "
    "once. Without it: the shipped card if measured for this code, else 'not measured'.")]

AllowSchemes = Annotated[list[str] | None, typer.Option(
    "--allow-scheme", metavar="SCHEME", help="Also pull sources.yaml URLs of this scheme "
    "(file, s3, ...; repeat for more). Only http(s) URLs are pulled otherwise.")]

OUTPUT_DIR = Path("out")  # default home of the files commands write (ignored by git)

USAGE = 2  # exit code of a usage error (bad option, missing input), as Typer's own
FAILED = 1  # exit code of a command that ran and failed
INTERRUPTED = 130  # Ctrl-C, as a shell reports it (128 + SIGINT)


def fail(message: str, code: int = USAGE) -> NoReturn:
    """Say what went wrong on stderr and stop with ``code``. The message is printed as
    it is: a file name or a value in it ("[/]", "[bold]") is never taken for markup."""
    errors.print(f"[red]error[/]: {escape(message)}")
    raise typer.Exit(code)


def schemes_option(names: list[str] | None) -> tuple[str, ...]:
    """The schemes ``--allow-scheme`` names, checked (a usage error for a bad one)."""
    from litcurate.pipeline.sources.pull import allowed_schemes

    try:
        return allowed_schemes(names or [])
    except ValueError as error:
        fail(f"--allow-scheme: {error}")


def require_folder(raw: Path) -> None:
    """A missing input folder is a usage error (exit 2), said before Prefect starts."""
    if not raw.is_dir():
        fail(f"input folder {raw} does not exist")


def require_file(path: Path) -> None:
    """A PDF argument that is not a file is a usage error; a folder is named as one."""
    if path.is_dir():
        fail(f"{path}: is a folder; give one PDF file")
    if not path.is_file():
        fail(f"{path}: no such file")


def require_manifest(raw: Path) -> None:
    """A sources.yaml that cannot be read is a usage error, said before Prefect starts."""
    from litcurate.pipeline.sources.manifest import ManifestError, load_manifest

    try:
        load_manifest(raw)
    except ManifestError as error:
        fail(str(error))


def default_output(name: str) -> Path:
    """Where a command writes ``name`` when not given --out: under ``out/``, created."""
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    return OUTPUT_DIR / name
