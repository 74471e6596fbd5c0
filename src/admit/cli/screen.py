"""`admit screen FILE`: decide a whole manifest (CSV, Parquet or PAXLST), one row per person.

A thin shell over `admit.batch.screen.screen_file`: it opens the rules, shows a Rich progress
bar on a terminal, writes the decisions (CSV, Parquet or JSON Lines), then prints a summary
table and the bad rows (by row number) on standard error, so that standard output can carry
the decisions themselves. Exit 0 when the file was screened, bad rows included (malformed
lines too); 2 when it cannot be read (a damaged Parquet file) or the output cannot be written,
and then no output file is left; 1 when the rule data is broken.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from admit.cli.app import app, broken_rules, fail, parse_day, read_text, reading_path, stderr
from admit.errors import InputError, RuleDataError

if TYPE_CHECKING:
    from admit.batch.screen import Summary

_SHOWN_ERRORS = 20


@app.command("screen")
def screen_command(
    file: Annotated[Path, typer.Argument(help="The manifest: .csv, .parquet or a PAXLST file.")],
    output: Annotated[str, typer.Option(
        "--output", "-o", help="Where to write the decisions (- for standard output).")] = "-",
    output_format: Annotated[str | None, typer.Option(
        "--format", help="csv, parquet or jsonl (default: from --output's name; csv)")] = None,
    input_format: Annotated[str | None, typer.Option(
        help="csv, parquet or paxlst (default: from the file name).")] = None,
    bad_rows: Annotated[str, typer.Option(
        help="skip: leave bad rows out; fail: write them with status 'error'.")] = "skip",
    on: Annotated[str | None, typer.Option(
        help="Apply the rules of this date (default: each leg's date).")] = None,
    airports: Annotated[str | None, typer.Option(
        help="For PAXLST: a file of 'code,country' lines naming each airport's country.")
    ] = None,
    batch_size: Annotated[int, typer.Option(help="Rows per batch (bounds memory).")] = 250_000,
    engine: Annotated[str, typer.Option(
        help="vectorised (default) or rows (the row-by-row reference).")] = "vectorised",
    rules_path: Annotated[str | None, typer.Option(
        "--rules", help="A rule data directory (default: the shipped data set).")] = None,
) -> None:
    """Screen a passenger manifest: board / no-board, status, codes and the main reason."""
    from admit.batch.paxlst import read_airports
    from admit.batch.screen import screen_file
    from admit.batch.writers import output_format as pick_format
    from admit.rules import load_rules

    as_of = None if on is None else parse_day("--on", on)
    try:
        with reading_path("--rules", rules_path):
            rules = load_rules(rules_path)
    except RuleDataError as exc:
        broken_rules(exc)
    table = read_airports(read_text(airports), airports) if airports is not None else None
    progress = Progress(TextColumn("screening"), BarColumn(), TextColumn("{task.completed:,} rows"),
                        TimeElapsedColumn(), console=stderr, transient=True,
                        disable=not stderr.is_terminal)
    try:
        fmt = pick_format(output, output_format)
        with progress:
            task = progress.add_task("screen", total=None)
            summary = screen_file(file, output, fmt, rules, input_format=input_format, on=as_of,
                                  bad_rows=bad_rows, batch_size=batch_size, engine=engine,
                                  airports=table,
                                  progress=lambda rows: progress.advance(task, rows))
    except InputError as exc:
        fail(str(exc))
    _report(summary)


def _report(summary: Summary) -> None:
    table = Table(title="Screening summary", title_justify="left")
    table.add_column("status")
    table.add_column("passengers", justify="right")
    for status in ("admissible", "admissible_on_arrival", "authorization_required", "unknown",
                   "inadmissible", "error"):
        if summary.statuses.get(status):
            table.add_row(status, f"{summary.statuses[status]:,}")
    table.add_row("[bold]board[/]", f"{summary.boarded:,}")
    table.add_row("[bold]bad rows[/]", f"{summary.bad_rows:,}")
    table.add_row("[bold]rows read[/]", f"{summary.rows:,}")
    stderr.print(table)
    rate = summary.rows / summary.seconds if summary.seconds > 0 else 0.0
    stderr.print(f"{summary.rows:,} rows with up to {summary.legs} legs in "
                 f"{summary.seconds:.2f} s ({rate:,.0f} rows/s)", highlight=False)
    for number, message in summary.errors[:_SHOWN_ERRORS]:
        stderr.print(f"[yellow]row {number}:[/] {escape(message)}", highlight=False,
                     soft_wrap=True)
    hidden = summary.bad_rows - min(len(summary.errors), _SHOWN_ERRORS)
    if hidden > 0:
        stderr.print(f"… and {hidden:,} more bad rows", highlight=False)
