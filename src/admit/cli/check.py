"""`admit check`: may this person board this trip and enter these countries?

Two forms over one engine call (`admit.engine.check`): `--json FILE|-` reads docs/design.md's trip
JSON and prints the decision JSON, for scripts and carriers; the friendly form (`--nationality
RUS --passport-expires 2023-02-20 --from KAZ --to MNG --date 2023-02-27`) builds a one-leg trip
from options and prints the decision, its reasons and their sources for a person to read. Exit
0 for any decision; 2 for input that cannot be read, with one message naming the field.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.padding import Padding

from admit.cli.app import app, broken_rules, fail, parse_day, read_json, reading_path, stdout
from admit.errors import InputError, RuleDataError
from admit.model import Decision, Status, Trip

# Trip fields as the friendly form's options spell them, for error messages.
_OPTION_OF_FIELD = {
    "traveller.nationalities[0]": "--nationality",
    "traveller.documents[0].type": "--document",
    "traveller.documents[0].issuer": "--issuer",
    "traveller.documents[0].expires": "--passport-expires",
    "traveller.documents[0].issued": "--passport-issued",
    "itinerary[0].from": "--from",
    "itinerary[0].to": "--to",
    "itinerary[0].date": "--date",
    "itinerary[0].until": "--until",
    "itinerary[0].purpose": "--purpose",
}
_MARK = {Status.ADMISSIBLE: "✓", Status.ADMISSIBLE_ON_ARRIVAL: "✓",
         Status.AUTHORIZATION_REQUIRED: "!", Status.UNKNOWN: "?", Status.INADMISSIBLE: "✗"}
_STYLE = {Status.ADMISSIBLE: "green", Status.ADMISSIBLE_ON_ARRIVAL: "green",
          Status.AUTHORIZATION_REQUIRED: "yellow", Status.UNKNOWN: "magenta",
          Status.INADMISSIBLE: "red"}


@app.command("check")
def check_command(
    json_source: Annotated[str | None, typer.Option(
        "--json", help="A trip as JSON (FILE, or - for stdin); prints the decision as JSON.")
    ] = None,
    nationality: Annotated[str | None, typer.Option(help="The traveller's nationality.")] = None,
    passport_expires: Annotated[str | None, typer.Option(
        help="Expiry date of the document, YYYY-MM-DD.")] = None,
    passport_issued: Annotated[str | None, typer.Option(
        help="Issue date of the document, YYYY-MM-DD.")] = None,
    document: Annotated[str, typer.Option(
        help="Document type: passport, national_id, internal_passport, …")] = "passport",
    issuer: Annotated[str | None, typer.Option(
        help="Who issued the document (default: the nationality).")] = None,
    origin: Annotated[str | None, typer.Option("--from", help="Where the leg starts.")] = None,
    to: Annotated[str | None, typer.Option(help="The destination.")] = None,
    day: Annotated[str | None, typer.Option("--date", help="Arrival, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Intended departure, YYYY-MM-DD.")] = None,
    transit: Annotated[bool, typer.Option("--transit", help="Only passing through.")] = False,
    purpose: Annotated[str | None, typer.Option(
        help="tourism, business, transit, study, work or family.")] = None,
    output: Annotated[str, typer.Option(
        help="text (default for the friendly form) or json.")] = "text",
    on: Annotated[str | None, typer.Option(
        help="Apply the rules of this date (default: each leg's date).")] = None,
    rules_path: Annotated[str | None, typer.Option(
        "--rules", help="A rule data directory (default: the shipped data set).")] = None,
) -> None:
    """Decide whether a traveller may board a trip and enter its countries."""
    from admit.engine import check
    from admit.rules import load_rules

    if output not in ("text", "json"):
        fail(f"--output: expected text or json (got {output!r})")
    as_of = None if on is None else parse_day("--on", on)
    try:
        with reading_path("--rules", rules_path):
            rules = load_rules(rules_path)
    except RuleDataError as exc:
        broken_rules(exc)  # not the user's input: there is no decision to give
    friendly = any(v is not None for v in (nationality, passport_expires, passport_issued,
                                           issuer, origin, to, day, until, purpose)) or transit
    if json_source is not None:
        if friendly:
            fail("--json: give a trip file, or the friendly options (--nationality, --to, …), "
                 "not both")
        trip = _trip(read_json(json_source), rules.extra_codes, {})
        output = "json"
    else:
        trip = _trip(_friendly(nationality, document, issuer, passport_expires, passport_issued,
                               origin, to, day, until, transit, purpose),
                     rules.extra_codes, _OPTION_OF_FIELD)
    decision = check(trip, rules, on=as_of)
    if output == "json":
        typer.echo(json.dumps(decision.to_json(), indent=2, ensure_ascii=False))
    else:
        _print(decision)


def _trip(obj: Any, extra: frozenset[str], options: dict[str, str]) -> Trip:
    try:
        return Trip.from_json(obj, extra_codes=extra)
    except InputError as exc:
        field = options.get(exc.field)
        if field is None:
            fail(str(exc))
        fail(f"{field}: {exc.reason} (got {exc.value!r})")


def _friendly(nationality: str | None, document: str, issuer: str | None,
              expires: str | None, issued: str | None, origin: str | None, to: str | None,
              day: str | None, until: str | None, transit: bool, purpose: str | None
              ) -> dict[str, Any]:
    for option, value in (("--nationality", nationality), ("--from", origin), ("--to", to),
                          ("--date", day)):
        if value is None:
            fail(f"{option}: required (or give a trip with --json FILE)")
    doc: dict[str, Any] = {"type": document, "issuer": issuer or nationality}
    if expires is not None:
        doc["expires"] = expires
    if issued is not None:
        doc["issued"] = issued
    leg: dict[str, Any] = {"from": origin, "to": to, "date": day, "transit": transit}
    if until is not None:
        leg["until"] = until
    if purpose is not None:
        leg["purpose"] = purpose
    return {"traveller": {"nationalities": [nationality], "documents": [doc]},
            "itinerary": [leg]}


def _print(decision: Decision) -> None:
    style = _STYLE[decision.status]
    board = "[green]yes[/]" if decision.board else "[red]no[/]"
    stdout.print(f"[bold {style}]{decision.status.label.upper()}[/]  board: {board}",
                 highlight=False)
    sources: list[str] = []
    for leg in decision.legs:
        document = ("no document" if leg.document is None else
                    f"{leg.document.type.value} issued by {leg.document.issuer}")
        stay = "" if leg.max_stay_days is None else f", up to {leg.max_stay_days} days"
        stdout.print(f"\n[bold]{escape(leg.country)}[/] {leg.date.isoformat()} ({leg.role}): "
                     f"[{_STYLE[leg.status]}]{leg.status.label}[/] — {escape(document)}{stay}",
                     highlight=False)
        for finding in leg.findings:
            refs = []
            for url in finding.sources:
                if url not in sources:
                    sources.append(url)
                refs.append(escape(f"[{sources.index(url) + 1}]"))
            rule = f" {escape(finding.rule)}" if finding.rule else ""
            stdout.print(f"  [{_STYLE[finding.status]}]{_MARK[finding.status]}[/] "
                         f"[bold]{finding.code.value}[/] ({finding.status.label}){rule} "
                         f"{' '.join(refs)}", highlight=False)
            stdout.print(Padding(escape(finding.message), (0, 0, 0, 4)), highlight=False)
    if sources:
        stdout.print("\n[bold]Sources[/]")
        for number, url in enumerate(sources, 1):
            stdout.print(f"  {escape(f'[{number}]')} {escape(url)}", highlight=False,
                         soft_wrap=True)
    as_of = "" if decision.as_of is None else f", rules as of {decision.as_of.isoformat()}"
    versions = f"data {decision.data_version}, engine {decision.engine_version}{as_of}"
    stdout.print(f"\n[dim]{escape(versions)}[/]", highlight=False)
