"""`admit demo`: what `make run` shows on a fresh machine: the reader on ICAO's own specimens,
including a broken one and an OCR-damaged one, so a newcomer sees every part of a verdict."""

from __future__ import annotations

from datetime import date

from rich.table import Table

from admit.cli.app import app, stdout

# ICAO Doc 9303 specimen documents of the fictional state Utopia (Parts 4, 5 and 7), and two
# variations of the passport: one with a wrong composite digit, one as OCR might misread it.
SPECIMENS: list[tuple[str, str, bool]] = [
    ("Passport (TD3), ICAO specimen",
     "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10",
     False),
    ("ID card (TD1), ICAO specimen",
     "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\n"
     "ERIKSSON<<ANNA<MARIA<<<<<<<<<<", False),
    ("Visa (MRV-A), ICAO specimen",
     "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL8988901C4XXX7408122F96121096ZE184226B<<<<<<",
     False),
    ("Passport with a wrong composite check digit",
     "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<19",
     False),
    ("Passport as OCR misread it, repaired by check digits",
     "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO74O8I22F12O4I59ZE184226B<<<<<I0",
     True),
]


@app.command("demo")
def demo() -> None:
    """Show the MRZ reader on ICAO specimens (what `make run` runs until the service lands)."""
    from admit.mrz import parse

    stdout.print("[bold]admit[/] — reading ICAO Doc 9303 specimen MRZs\n")
    for title, text, repair in SPECIMENS:
        result = parse(text, repair=repair, reference_date=date(2026, 1, 1))
        table = Table(title=f"{title}: {result.format}, "
                      + ("[green]valid[/]" if result.valid else "[red]invalid[/]"),
                      show_header=False, title_justify="left")
        for name in ("document_code", "issuing_state", "surname", "given_names",
                     "document_number", "nationality", "sex"):
            table.add_row(name, result.fields.get(name, ""))
        for name, iso in result.dates.items():
            table.add_row(name, iso or "?")
        for name, ok in result.checks.items():
            table.add_row(f"check {name}", "[green]ok[/]" if ok else "[red]fails[/]")
        for issue in result.errors:
            table.add_row("[red]error[/]", f"{issue.code} (line {issue.line}, col {issue.column})")
        for fix in result.corrected:
            table.add_row("[yellow]corrected[/]",
                          f"{fix.original}→{fix.corrected} in {fix.field} "
                          f"(line {fix.line}, col {fix.column})")
        stdout.print(table)
    stdout.print("\nTry it: [bold]echo 'P<UTO…' | .venv/bin/admit mrz -[/]")
