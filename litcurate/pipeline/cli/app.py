"""The ``litcurate`` command line: the Typer app and its commands, by group.

The commands live beside this module, one module per group: running the flow
(``run_commands``), one paper at a time (``paper_commands``) and published releases
(``release_commands``); what they share (consoles, options, ``fail``) is in
``common``. Prefect is configured before it is first imported, which is why flow
imports happen inside the commands.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import sys
from typing import Annotated

import typer
from rich.markup import escape

from litcurate import __version__
from litcurate.pipeline.cli import paper_commands, release_commands, run_commands
from litcurate.pipeline.cli.common import FAILED, INTERRUPTED, console, errors, fail

__all__ = ["app", "console", "errors", "fail", "main"]

app = typer.Typer(
    name="litcurate",
    help="Clinical review PDFs -> a versioned, validated dataset of outcomes and statements.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        console.print(f"litcurate {__version__}")
        raise typer.Exit()


@app.callback()
def _options(version: Annotated[bool, typer.Option(
        "--version", callback=_print_version, is_eager=True,
        help="Print litcurate's version and exit.")] = False) -> None:
    """Clinical review PDFs -> a versioned, validated dataset of outcomes and statements."""
# pdfminer warns about harmless colour-space quirks of real journal PDFs on every page.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

for command in (run_commands.run, run_commands.serve, paper_commands.extract,
                paper_commands.inspect, release_commands.diff, paper_commands.correct,
                paper_commands.review, paper_commands.add, release_commands.verify,
                release_commands.releases):
    app.command()(command)


def main() -> None:
    """Console-script entry point.

    When the command has ended and the exit hooks have run (Prefect has sent what it
    queued, the workers are stopped, the logs flushed), the process ends at once
    instead of tearing its modules down one by one: with Prefect's server code and the
    language model loaded that teardown takes about a second and does nothing a user
    needs. The hook that ends it is registered first, so it runs last.
    """
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    ending = _Ending()
    atexit.register(ending.now)
    try:
        app()
    except SystemExit as done:
        ending.code = done.code if isinstance(done.code, int) else 0 if done.code is None else 1
        raise
    except KeyboardInterrupt:
        errors.print("interrupted")
        ending.code = INTERRUPTED
    except Exception as error:  # no traceback reaches a user: one line, the rest in a log
        from litcurate.pipeline.cli.crash_report import crash_line

        errors.print(f"[red]error[/]: {escape(crash_line(error))}")
        ending.code = FAILED


class _Ending:
    """The exit status the process ends with, once every other exit hook has run."""

    code: int = 0

    def now(self) -> None:
        logging.shutdown()
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(self.code)


if __name__ == "__main__":
    main()
