"""`admit cases …`: the inadmissible-person case workflow on the command line.

Why a shell over CaseService: the same roles, state machine, guards and audit trail as the
API and the web pages. The caller is identified by an API token (`--token` or ADMIT_TOKEN,
from `admit users add`), so every event names a real user and role. Actions take their fields
as FIELD=VALUE pairs or a JSON file (`--json FILE`, which also makes them print JSON, as
`admit check --json` does); `admit cases actions` lists them with their fields.
The case store's libraries are imported only when a cases command runs, so they never slow
the rest of the command line. Without --version an action applies to the case as it is now;
with it, a case that changed since is refused (exit 1, VERSION_CONFLICT) as in the API.
Case numbers are read exactly (ASCII digits, no sign, spaces or leading zeros). `verify
--head` prints the value to record outside the database, `--expect-head` checks it.
Exit codes: 0 done, 1 refused (the message gives the code: NON_REFOULEMENT_HOLD, FORBIDDEN,
…) or a broken trail, 2 bad input.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from admit.cli.app import app, fail, read_json, stderr, stdout
from admit.errors import InputError

if TYPE_CHECKING:  # the case store's libraries load only when a cases command runs
    from admit.cases import CaseService, User


def _case_number(text: str) -> int:
    """A case number exactly as written (no sign, spaces, leading zeros): else exit 2."""
    from admit.cases.ids import parse_case_id

    try:
        return parse_case_id(text)
    except InputError as exc:
        fail(str(exc))


cases_app = typer.Typer(help="Inadmissible-person cases: refusal, removal, deferral, "
                             "protection.", no_args_is_help=True)
app.add_typer(cases_app, name="cases")

Token = Annotated[str | None, typer.Option("--token", envvar="ADMIT_TOKEN",
                                           help="Your API token (or ADMIT_TOKEN).",
                                           show_default=False)]
AsJson = Annotated[bool, typer.Option("--json", help="Print the JSON the API gives.")]
_MAX_WITHIN_HOURS = 24 * 366


@contextmanager
def session(token: str | None) -> Iterator[tuple[CaseService, User]]:
    """The service and the authenticated caller; errors become the CLI's exit codes."""
    from admit.cases import CaseError, CaseService

    svc: CaseService | None = None
    try:
        svc = CaseService.from_env()
        yield svc, svc.authenticate(token)
    except InputError as exc:
        fail(str(exc))
    except CaseError as exc:
        stderr.print(f"[bold red]refused:[/] {escape(exc.code)}: {escape(exc.message)}",
                     highlight=False)
        raise typer.Exit(1) from None
    finally:
        if svc is not None:
            svc.close()


def _json(obj: object) -> None:
    typer.echo(json.dumps(obj, indent=2, ensure_ascii=False))


def _fields(pairs: list[str] | None, source: str | None) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if source is not None:
        loaded = read_json(source)
        if not isinstance(loaded, dict):
            fail(f"{source}: the fields must be a JSON object")
        data.update(loaded)
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            fail(f"{pair!r}: give fields as FIELD=VALUE")
        data[key.strip()] = value
    return data


@cases_app.command("open")
def open_case(source: Annotated[str, typer.Option("--json", help="The refusal as JSON (FILE "
                                                  "or - for stdin): person, documents, "
                                                  "arrival, grounds; prints the case as "
                                                  "JSON.")],
              token: Token = None) -> None:
    """Open a case from a refusal; the engine's decision is kept with it."""
    data = _fields(None, source)
    with session(token) as (svc, user):
        case = svc.open(user, data)
        view = svc.view(user, case.id)
    _json(view)
    typer.echo(f"case {case.id} opened ({case.state.value}, version {case.version})",
               err=True)


@cases_app.command("act")
def act(case_id: Annotated[str, typer.Argument(help="The case number.")],
        action: Annotated[str, typer.Argument(help="See `admit cases actions`.")],
        fields: Annotated[list[str] | None, typer.Argument(help="FIELD=VALUE pairs.")] = None,
        source: Annotated[str | None, typer.Option("--json", help="Fields as a JSON object "
                                                   "(FILE or -); prints the case as JSON.")]
        = None,
        version: Annotated[int | None, typer.Option(help="The version you read; refused if "
                                                    "the case changed since.")] = None,
        token: Token = None) -> None:
    """Take an action on a case (propose_removal, lodge_claim, remove, …)."""
    number = _case_number(case_id)
    data = _fields(fields, source)
    with session(token) as (svc, user):
        case = svc.act(user, number, action, data, version)
        view = svc.view(user, case.id) if source is not None else None
    if view is not None:
        _json(view)
    else:
        typer.echo(f"case {case.id}: {action} done ({case.state.value}, version "
                   f"{case.version})")


@cases_app.command("actions")
def actions() -> None:
    """Every action: who may take it, from which states, and its fields."""
    from admit.cases.machine import ACTIONS

    for act_ in ACTIONS.values():
        fields = ", ".join(name + ("" if info.is_required() else "?")
                           for name, info in act_.payload.model_fields.items())
        sources = "|".join(sorted(s.value for s in act_.sources)) or "(new case)"
        target = act_.target.value if act_.target else "(same state)"
        stdout.print(escape(f"{act_.name}  [{', '.join(sorted(r.value for r in act_.roles))}]"),
                     highlight=False, style="bold")
        stdout.print(escape(f"    {act_.title}: {sources} -> {target}"), highlight=False)
        stdout.print(escape(f"    fields (? optional): {fields}"), highlight=False)


@cases_app.command("show")
def show(case_id: Annotated[str, typer.Argument(help="The case number.")],
         consider: Annotated[list[str] | None, typer.Option(
             help="Another removal destination to evaluate; repeat for more.")] = None,
         limit: Annotated[int, typer.Option(min=1, max=1000, help="Events of the timeline "
                                            "to show.")] = 100,
         offset: Annotated[int, typer.Option(min=0, max=2**31 - 1, help="Events of the "
                                             "timeline to skip, from the first.")] = 0,
         token: Token = None, as_json: AsJson = False) -> None:
    """A case: its state, deadlines, hold, removal alternatives and a page of its timeline."""
    number = _case_number(case_id)
    with session(token) as (svc, user):
        view = svc.view(user, number, tuple(consider or ()), limit=limit, offset=offset)
    if as_json:
        _json(view)
        return
    person = view["refusal"]["person"]
    arrival = view["refusal"]["arrival"]
    stdout.print(f"[bold]Case {view['id']}[/] — {view['state']} (version {view['version']})")
    stdout.print(escape(f"{person['surname']}, {person['given_names']} "
                        f"({'/'.join(person['nationalities'])}); refused at "
                        f"{arrival['port_of_entry']} ({arrival['country']}) on "
                        f"{arrival['time']}, embarked in {arrival['embarkation_country']}"))
    deadline = view["next_deadline"]
    if deadline is not None:
        late = " [bold red]OVERDUE[/]" if deadline["overdue"] else ""
        stdout.print(f"Next deadline: {escape(deadline['label'])} by {deadline['due']}{late}")
    if view["hold"] is not None:
        stdout.print(f"[bold yellow]{view['hold']['code']}[/]: {escape(view['hold']['message'])}")
    table = Table("destination", "why listed", "status", "risks")
    for alt in view["alternatives"]:
        risks = "; ".join(f"{r['reason']}" + (f" ({r['agreement']})" if r["agreement"] else "")
                          for r in alt["risks"])
        table.add_row(escape(alt["country"]), escape(", ".join(alt["roles"])),
                      escape(alt["status"]), escape(risks or "-"))
    stdout.print(table)
    for event in view["timeline"]:
        stdout.print(escape(f"  {event['recorded_at'][:19]}  v{event['version']:<3} "
                            f"{event['title']} — {event['actor']} ({event['role']})"),
                     highlight=False)
    page = view["timeline_page"]
    if page["offset"] + len(view["timeline"]) < page["total"] or page["offset"]:
        stdout.print(f"  (events {page['offset'] + 1}–{page['offset'] + len(view['timeline'])}"
                     f" of {page['total']}: --offset and --limit show others)", highlight=False)


@cases_app.command("list")
def list_cases(state: Annotated[list[str] | None, typer.Option(
                   help="Only cases in this state; repeat for more.")] = None,
               token: Token = None, as_json: AsJson = False) -> None:
    """Every case, the next deadline first."""
    from admit.cases import State

    try:
        states = frozenset(State(s) for s in state) if state else None
    except ValueError:
        fail(f"--state: one of {', '.join(s.value for s in State)} (got {state!r})")
    with session(token) as (svc, user):
        rows = svc.summaries(user, states=states)
        now = svc.clock()
    _print_summaries([r.to_json(now) for r in rows], as_json)


@cases_app.command("due")
def due(at: Annotated[str | None, typer.Option(help="The moment to judge by (ISO date or "
                                               "time, UTC unless it says); default now.")]
        = None,
        within: Annotated[float, typer.Option(help="Also list what falls due within this "
                                              "many hours.")] = 0,
        token: Token = None, as_json: AsJson = False) -> None:
    """Open cases whose next deadline is due or overdue."""
    from datetime import datetime

    from admit.cases.commands import as_utc

    moment = None
    if at is not None:
        try:
            parsed = datetime.fromisoformat(at)
        except ValueError:
            fail(f"--at: not an ISO date or time (got {at!r})")
        try:
            moment = as_utc(parsed)
        except ValueError as exc:
            fail(f"--at: {exc} (got {at!r})")
    # The API's bound (within_hours): also refuses nan and inf, which no timedelta can hold.
    if not 0 <= within <= _MAX_WITHIN_HOURS:
        fail(f"--within: must be between 0 and {_MAX_WITHIN_HOURS} hours (got {within})")
    with session(token) as (svc, user):
        when = moment if moment is not None else svc.clock()
        rows = svc.due(user, when, timedelta(hours=within))
    _print_summaries([r.to_json(when) for r in rows], as_json)


def _print_summaries(rows: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        _json(rows)
        return
    table = Table("case", "state", "person", "next deadline", "due")
    for row in rows:
        deadline = row["next_deadline"]
        when = "-"
        if deadline is not None:
            when = deadline["due"][:16] + (" OVERDUE" if deadline["overdue"] else "")
        person = row["person"]
        table.add_row(str(row["id"]), row["state"],
                      escape(f"{person['surname']}, {person['given_names']}"),
                      escape(deadline["label"]) if deadline else "-", when)
    stdout.print(table)


@cases_app.command("verify")
def verify(as_json: AsJson = False,
           head: Annotated[bool, typer.Option(
               "--head", help="Print only the head to record outside the database "
               "(EVENTS:MAC), when the trail is intact.")] = False,
           expect_head: Annotated[str | None, typer.Option(
               "--expect-head", metavar="EVENTS:MAC", help="A head recorded earlier: fail "
               "unless the trail still holds it unchanged.")] = None,
           rebuild_snapshots: Annotated[bool, typer.Option(
               "--rebuild-snapshots", help="Write every case's snapshot afresh from its "
               "events (only over an intact chain).")] = False) -> None:
    """Prove the audit trail intact, or name the first broken event (exit 1)."""
    from admit.cases import CaseError, CaseService
    from admit.cases.audit import parse_anchor

    try:
        expect = parse_anchor(expect_head, "--expect-head") if expect_head is not None else None
    except InputError as exc:
        fail(str(exc))
    try:
        svc = CaseService.from_env()
    except CaseError as exc:
        fail(exc.message)
    try:
        if rebuild_snapshots:
            written = svc.rebuild_snapshots()
            typer.echo(f"snapshots rebuilt: {written}", err=True)
        report = svc.verify(expect)
    except CaseError as exc:
        stderr.print(f"[bold red]refused:[/] {escape(exc.code)}: {escape(exc.message)}",
                     highlight=False)
        raise typer.Exit(1) from None
    finally:
        svc.close()
    if as_json:
        _json(report.to_json())
    elif report.ok and head:
        typer.echo(report.chain.head.text)
    elif report.ok:
        held = f"; it holds the recorded head {expect.text}" if expect is not None else ""
        typer.echo(f"audit trail intact: {report.chain.events} events, {report.cases} cases "
                   f"match their events{held}")
        typer.echo(f"head: {report.chain.head.text}")
    else:
        chain = report.chain
        if not chain.ok:
            typer.echo(f"audit trail BROKEN at event {chain.first_broken}: {chain.reason}")
        for problem in report.problems:
            typer.echo(f"problem: {problem}")
    if not report.ok:
        raise typer.Exit(1)
