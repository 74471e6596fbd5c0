"""`admit mrz`: read a machine-readable zone from standard input (or a file) and print the JSON
of docs/design.md's MRZ contract. Exit 0 whatever the verdict; 2 when the input cannot be read."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from admit.cli.app import app, fail, parse_day, read_text
from admit.errors import MRZError


@app.command("mrz")
def mrz_command(
    source: Annotated[str, typer.Argument(help="File with the MRZ lines, or - for stdin.")] = "-",
    profile: Annotated[str, typer.Option(help="strict (Doc 9303 to the letter) or lenient.")] = (
        "strict"),
    repair: Annotated[bool, typer.Option("--repair", help="Repair OCR confusions.")] = False,
    on: Annotated[str | None, typer.Option(
        help="Reference date (YYYY-MM-DD) for the century of two-digit years; default today.")
    ] = None,
    format: Annotated[str | None, typer.Option(
        "--format", help="Force a format: TD1, TD2, TD3, MRVA, MRVB, FRENCH_ID, …")] = None,
) -> None:
    """Read an MRZ and print its fields, check digits, errors and warnings as JSON."""
    from admit.mrz import parse

    reference = None if on is None else parse_day("--on", on)
    text = read_text(source)
    try:
        result = parse(text, profile=profile, repair=repair, reference_date=reference,
                       format=format)
    except MRZError as exc:
        fail(str(exc) if exc.field != "mrz" else f"mrz: {exc.reason}")
    typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
