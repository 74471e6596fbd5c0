"""`admit stay`: the stay calculator on the command line.

Two forms over one calculation (admit.stay.compute_from_json): `--json FILE|-` prints the Stay
contract's JSON for scripts; the friendly form (`--window-days 180 --max-days 90 --stay A:B …
--on DATE` or `--enter DATE`) prints the window as a calendar, a row per month, so a traveller
or a border guard can see which days count and why the answer is what it is.
"""

from __future__ import annotations

import calendar
import json
from datetime import date, timedelta
from typing import Annotated

import typer
from rich.markup import escape
from rich.text import Text

from admit.cli.app import app, broken_rules, fail, parse_day, read_json, stdout
from admit.errors import InputError, RuleDataError
from admit.stay import compute_from_json, counted_stays, earliest_entry_for, parse_rule, parse_stays

# Field names of the contract, as the friendly form's options spell them.
_OPTION_OF_FIELD = {
    "rule.window_days": "--window-days",
    "rule.max_days": "--max-days",
    "rule.max_continuous_days": "--max-continuous-days",
    "rule.max_continuous_months": "--max-continuous-months",
    "rule.anchor": "--anchor",
    "query_date": "--on",
    "planned_entry": "--enter",
}


@app.command("stay")
def stay_command(
    json_source: Annotated[
        str | None,
        typer.Option("--json", help="A Stay request as JSON (FILE, or - for stdin); prints JSON."),
    ] = None,
    window_days: Annotated[int | None, typer.Option(help="Length of the window in days.")] = None,
    max_days: Annotated[int | None, typer.Option(help="Days allowed in any window.")] = None,
    max_continuous_days: Annotated[
        int | None, typer.Option(help="Longest single stay in days.")
    ] = None,
    max_continuous_months: Annotated[
        int | None,
        typer.Option(help="Each stay lasts until the day before the same date N months on."),
    ] = None,
    anchor: Annotated[
        str, typer.Option(help="rolling, or first_entry (fixed periods).")
    ] = "rolling",
    stay: Annotated[
        list[str] | None, typer.Option("--stay", help="A past stay ENTRY:EXIT; repeat for each.")
    ] = None,
    on: Annotated[str | None, typer.Option(help="Control date YYYY-MM-DD.")] = None,
    enter: Annotated[str | None, typer.Option(help="Planned entry YYYY-MM-DD.")] = None,
    for_days: Annotated[
        int | None,
        typer.Option(help="With --enter: the earliest day from then on a stay this long fits."),
    ] = None,
    country: Annotated[
        str | None,
        typer.Option(help="Take the rule from the data: the destination (ICAO code)."),
    ] = None,
    nationality: Annotated[
        str | None, typer.Option(help="With --country: the traveller's nationality.")
    ] = None,
) -> None:
    """How many days are used and left, and the latest day to leave (control or planning).

    With --country and --nationality the rule comes from the rule data for that date, and a
    stay may name its country (--stay DEU:2025-01-10:2025-02-20): under an area's rule (the
    Schengen 90/180) it counts only for the days that country applied it."""
    if json_source is not None:
        if window_days is not None or max_days is not None or stay or on or enter:
            fail("--json: give the whole request in the file, not with the other options")
        document = read_json(json_source, "--json")
        try:
            answer = compute_from_json(document)
        except InputError as exc:
            fail(str(exc))
        typer.echo(json.dumps(answer, indent=2))
        return

    texts = stay or []
    request: dict[str, object]
    if country is not None or nationality is not None:
        if window_days is not None or max_days is not None:
            fail("--country: the rule comes from the data; drop --window-days and --max-days")
        rule, stays = _from_data(country, nationality, texts, on or enter,
                                 "--on" if on else "--enter")
        request = {"rule": rule, "stays": stays}
        texts = [f"#{i}" for i in range(len(stays))]  # clipped stays no longer match the input
    else:
        request = {
            "rule": _rule_request(
                window_days, max_days, max_continuous_days, max_continuous_months, anchor
            ),
            "stays": [_stay_pair(text)[1:] for text in texts],
        }
    if on is not None:
        request["query_date"] = on
    if enter is not None:
        request["planned_entry"] = enter
    try:
        answer = compute_from_json(request)
        earliest = _earliest(request, for_days, enter)
    except InputError as exc:
        fail(_friendly(exc, texts))
    _print_summary(request, answer, earliest, for_days)


def _rule_request(
    window_days: int | None,
    max_days: int | None,
    max_continuous_days: int | None,
    max_continuous_months: int | None,
    anchor: str,
) -> dict[str, object]:
    if window_days is None or max_days is None:
        fail("give --window-days and --max-days (or a whole request with --json)")
    rule: dict[str, object] = {"window_days": window_days, "max_days": max_days, "anchor": anchor}
    if max_continuous_days is not None:
        rule["max_continuous_days"] = max_continuous_days
    if max_continuous_months is not None:
        rule["max_continuous_months"] = max_continuous_months
    return rule


def _stay_pair(text: str) -> list[str]:
    """[country or "", entry, exit] from `ENTRY:EXIT` or `COUNTRY:ENTRY:EXIT`."""
    parts = [part.strip() for part in text.split(":")]
    if len(parts) == 2:
        return ["", *parts]
    if len(parts) == 3 and parts[0]:
        return [parts[0].upper(), parts[1], parts[2]]
    fail(f"--stay: expected ENTRY:EXIT such as 2025-01-10:2025-02-20, or "
         f"COUNTRY:ENTRY:EXIT (got {text!r})")


def _from_data(country: str | None, nationality: str | None, texts: list[str],
               day: str | None, option: str) -> tuple[dict[str, object], list[list[str]]]:
    """The rule the data set gives, and the stays clipped to where and when it applied."""
    from admit import codes
    from admit.engine.stay import stay_terms
    from admit.rules import load_rules
    from admit.stay import Stay, clip_to_membership

    if country is None or nationality is None:
        fail("--country and --nationality go together")
    if day is None:
        fail("--country: give --on (control) or --enter (planning), the date whose rule applies")
    on = parse_day(option, day)
    destination = codes.state_of(codes.normalize(country))
    holder = codes.state_of(codes.normalize(nationality))
    for option, code in (("--country", destination), ("--nationality", holder)):
        if not codes.is_known(code):
            fail(f"{option}: not an ICAO country code (got {code!r})")
    try:
        rules = load_rules()
    except RuleDataError as exc:
        broken_rules(exc)  # not the user's input: there is no rule to give
    try:
        terms = stay_terms(rules, destination, holder, on)
        stays = []
        for text in texts:
            where, entry, exit_ = _stay_pair(text)
            stays.append(Stay(entry=date.fromisoformat(entry), exit=date.fromisoformat(exit_),
                              country=codes.state_of(where) if where else destination))
    except InputError as exc:
        fail(f"--{exc.field}: {exc.reason} (got {exc.value!r})")
    except ValueError as exc:
        fail(f"--stay: {exc}")
    counted = clip_to_membership(stays, terms.periods)
    source = f" — {terms.sources[0]}" if terms.sources else ""
    stdout.print(escape(f"Rule {terms.ref} for citizens of {holder} in {destination} on {on}: "
                        f"{terms.rule.max_days} days in {terms.rule.window_days}, counted in "
                        f"{terms.area}{source}"), highlight=False)
    rule: dict[str, object] = {"window_days": terms.rule.window_days,
                               "max_days": terms.rule.max_days, "anchor": terms.rule.anchor}
    if terms.rule.max_continuous_days is not None:
        rule["max_continuous_days"] = terms.rule.max_continuous_days
    return rule, [[s.entry.isoformat(), s.exit.isoformat()] for s in counted]


def _earliest(request: dict[str, object], days: int | None, enter: str | None) -> date | None:
    if days is None:
        return None
    if enter is None:
        fail("--for-days: needs --enter, the first day the stay could begin")
    return earliest_entry_for(
        parse_rule(request["rule"]),
        parse_stays(request["stays"]),
        days,
        date.fromisoformat(enter),
    )


def _friendly(exc: InputError, texts: list[str]) -> str:
    """The contract's message with the field renamed to the option the user typed."""
    field = exc.field
    if field.startswith("stays[") and "]" in field:
        index = int(field[len("stays[") : field.index("]")])
        where = f"--stay {texts[index]}" if index < len(texts) else "--stay"
        return f"{where}: {exc.reason}"
    if field == "days":
        return f"--for-days: {exc.reason} (got {exc.value!r})"
    return f"{_OPTION_OF_FIELD.get(field, field)}: {exc.reason} (got {exc.value!r})"


def _print_summary(
    request: dict[str, object],
    answer: dict[str, object],
    earliest: date | None,
    for_days: int | None,
) -> None:
    rule = parse_rule(request["rule"])
    stays = counted_stays(parse_stays(request["stays"]))
    present: set[date] = set()
    for item in stays:
        present.update(item.entry + timedelta(days=i) for i in range(item.days))
    window = (
        date.fromisoformat(str(answer["window_start"])),
        date.fromisoformat(str(answer["window_end"])),
    )
    latest = date.fromisoformat(str(answer["latest_exit"])) if answer["latest_exit"] else None
    control = answer["mode"] == "control"
    day = date.fromisoformat(str(request["query_date" if control else "planned_entry"]))
    ahead_from = day + timedelta(days=1) if control else day

    stdout.print(_calendar(window, present, day, ahead_from, latest), highlight=False)
    stdout.print(
        Text.assemble(
            ("■", "bold"),
            " day counted   ",
            ("·", "dim"),
            " day in the window   ",
            ("+", "green"),
            " day you may still stay   ",
            ("▒", "reverse"),
            " control date" if control else " planned entry",
        ),
        highlight=False,
    )
    kind = "Period" if rule.anchor == "first_entry" else "Window"
    stdout.print(
        f"{kind}: {window[0]} to {window[1]} — rule: {rule.max_days} days in {rule.window_days}",
        highlight=False,
    )
    used, left = answer["days_used"], answer["days_remaining"]
    if control:
        stdout.print(
            f"Control on {day}: {used} of {rule.max_days} days used, {left} left.", highlight=False
        )
        if answer["overstay"]:
            stdout.print("[bold red]Overstay[/]: the rule is broken on the control date.")
        elif latest is not None:
            stdout.print(f"Latest exit: [bold]{latest}[/] if the stay goes on.")
        else:
            stdout.print(f"Not present on {day}: no stay goes on.", highlight=False)
    else:
        stdout.print(f"Before entering on {day}: {used} days used.", highlight=False)
        if latest is None:
            stdout.print(f"[bold red]No stay possible[/] beginning on {day}.", highlight=False)
        else:
            stdout.print(f"May stay {left} days: latest exit [bold]{latest}[/].", highlight=False)
    if for_days is not None:
        if earliest is None:
            stdout.print(f"A stay of {for_days} days is never possible under this rule.")
        else:
            stdout.print(
                f"Earliest entry for a stay of {for_days} days: [bold]{earliest}[/].",
                highlight=False,
            )


def _calendar(
    window: tuple[date, date],
    present: set[date],
    day: date,
    ahead_from: date,
    latest: date | None,
) -> Text:
    """One row per month from the window's start to the last day shown, one column per day."""
    first = window[0]
    last = max(window[1], day, latest or day)
    text = Text("         " + "".join(str(n % 10) for n in range(1, 32)) + "\n", style="dim")
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        text.append(f"{year:04d}-{month:02d}  ")
        for n in range(1, calendar.monthrange(year, month)[1] + 1):
            text.append(*_cell(date(year, month, n), window, present, day, ahead_from, latest))
        text.append("\n")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    text.rstrip()
    return text


def _cell(
    d: date,
    window: tuple[date, date],
    present: set[date],
    day: date,
    ahead_from: date,
    latest: date | None,
) -> tuple[str, str]:
    mark = " "
    style = ""
    if latest is not None and ahead_from <= d <= latest:
        mark, style = "+", "green"
    elif d in present:
        mark, style = ("■", "bold") if window[0] <= d <= window[1] else ("□", "dim")
    elif window[0] <= d <= window[1]:
        mark, style = "·", "dim"
    if d == day:
        style = f"{style} reverse".strip()
        mark = "▒" if mark == " " else mark
    return mark, style
