"""The `admit` command line: a thin shell over the library (see docs/design.md, Layers).

Each sub-command lives in its own module and registers itself on the shared Typer app, so that
the command line stays a list of small files, one per job.
"""

from __future__ import annotations

from admit.cli import cases, check, demo, mrz, rules, screen, serve, stay, users  # noqa: F401  (imported to register their commands)
from admit.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
