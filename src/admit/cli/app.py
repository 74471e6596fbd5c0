"""The shared Typer application and the helpers every sub-command uses to fail cleanly."""

from __future__ import annotations

import sys
from typing import NoReturn

import typer
from rich.console import Console

app = typer.Typer(
    name="admit",
    help="May this person, with these documents, board this trip and enter these countries?",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

stdout = Console()
stderr = Console(stderr=True)


def fail(message: str) -> NoReturn:
    """Exit 2 with one line that says what was wrong: the CLI's contract for bad input."""
    stderr.print(f"[bold red]error:[/] {message}", highlight=False, markup=True)
    raise typer.Exit(code=2)


def read_text(path: str) -> str:
    """Read a file argument, `-` meaning standard input; a missing file is an input error."""
    if path == "-":
        return sys.stdin.read()
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError as exc:
        fail(f"cannot read {path!r}: {exc.strerror}")
    except UnicodeDecodeError:
        fail(f"{path!r} is not UTF-8 text")
