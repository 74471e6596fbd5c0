"""`admit rules lint [PATH]` and `admit rules show XXX`: the rule data, checked and shown.

Why on the command line: whoever edits a rule file needs every mistake with its file and line
before the engine refuses to load the data set, and whoever reads a decision needs to see the
rules behind it, their dates and their sources, without opening YAML.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from admit.cli.app import app, fail, stdout
from admit.errors import RuleDataError
from admit.rules.spec import (
    LAST_DAY,
    DocumentRule,
    EntryRule,
    ExemptionRule,
    Rule,
    Sections,
    TransitRule,
    ValidityRule,
)

rules_app = typer.Typer(help="Check and show the rule data.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


@rules_app.command("lint")
def lint_command(
    path: Annotated[str | None, typer.Argument(
        help="A data directory or one rule file (default: the shipped data set).")] = None,
) -> None:
    """Report every problem in the rule data as file:line: what was expected."""
    from admit.rules.linter import lint

    try:
        problems = lint(path)
    except RuleDataError as exc:
        fail(str(exc))
    for problem in problems:
        stdout.print(escape(str(problem)), highlight=False, soft_wrap=True)
    if problems:
        stdout.print(f"[red]{len(problems)} problem(s)[/]")
        raise typer.Exit(code=1)
    stdout.print("[green]no problems[/]")


@rules_app.command("show")
def show_command(
    country: Annotated[str, typer.Argument(help="The destination's ICAO code, e.g. MNG.")],
    on: Annotated[str | None, typer.Option(help="Only the rules in force on this date.")] = None,
    rules_path: Annotated[str | None, typer.Option(
        "--rules", help="A rule data directory (default: the shipped data set).")] = None,
) -> None:
    """Show a destination's rules (its own and its policies'), their dates and sources."""
    from admit.rules import load_rules

    day = None
    if on is not None:
        try:
            day = date.fromisoformat(on)
        except ValueError:
            fail(f"--on: not a date (got {on!r})")
    try:
        rules = load_rules(rules_path)
    except RuleDataError as exc:
        fail(f"rule data: {exc}")
    code = country.strip().upper()
    destination = rules.destinations.get(code)
    if destination is None:
        fail(f"country: no rule file countries/{code}.yaml (got {country!r})")
    spec = destination.spec
    stdout.print(f"[bold]{spec.code}[/] {escape(spec.name)} — verified "
                 f"{spec.verified.isoformat()}, file {escape(spec.file)}", highlight=False)
    if spec.note:
        stdout.print(escape(spec.note), highlight=False)
    sources: list[str] = []
    _sections(spec.code, spec.sections, day, sources)
    for policy in destination.policies:
        stdout.print(f"\n[bold]Policy {policy.key}[/] ({escape(policy.name)}), applied while "
                     f"{spec.code} is a member of {policy.members}", highlight=False)
        _sections(policy.key, policy.sections, day, sources)
    if sources:
        stdout.print("\n[bold]Sources[/]")
        for number, url in enumerate(sources, 1):
            stdout.print(f"  {escape(f'[{number}]')} {escape(url)}", highlight=False,
                         soft_wrap=True)
    stdout.print(f"\n[dim]data {rules.data_version}[/]", highlight=False)


def _sections(owner: str, sections: Sections, day: date | None, sources: list[str]) -> None:
    for name in ("documents", "validity", "entry", "exemptions", "transit"):
        found: tuple[Rule, ...] = getattr(sections, name) or ()
        shown = [r for r in found if day is None or r.start <= day <= r.end]
        if not shown:
            continue
        table = Table(title=f"{owner} {name}", title_justify="left", box=None,
                      header_style="bold", pad_edge=False)
        for column in ("id", "nationalities", "terms", "in force", "sources"):
            table.add_column(column, overflow="fold")
        for rule in shown:
            who = "default" if rule.nationalities is None else ", ".join(rule.nationalities)
            refs = []
            for source in rule.sources:
                if source.url not in sources:
                    sources.append(source.url)
                refs.append(escape(f"[{sources.index(source.url) + 1}]"))
            table.add_row(rule.id, escape(who), escape(_terms(rule)), _dates(rule),
                          " ".join(refs))
        stdout.print(table)


def _dates(rule: Rule) -> str:
    start = "" if rule.start == date.min else rule.start.isoformat()
    end = "" if rule.end == LAST_DAY else rule.end.isoformat()
    return "always" if not start and not end else f"{start or '…'} – {end or '…'}"


def _terms(rule: Rule) -> str:
    parts: list[str] = []
    if isinstance(rule, DocumentRule):
        parts.append("accepts " + ", ".join(sorted(t.value for t in rule.accept)))
        if rule.issuers:
            parts.append("issued by " + ", ".join(rule.issuers))
    elif isinstance(rule, ValidityRule):
        if rule.min_months or rule.min_days:
            span = f"{rule.min_months} months" if rule.min_months else f"{rule.min_days} days"
            parts.append(f"valid {span} beyond {rule.beyond}")
        if rule.duration_of_stay:
            parts.append("valid for the stay")
        if rule.issued_within_years:
            parts.append(f"issued within {rule.issued_within_years} years")
    elif isinstance(rule, EntryRule):
        parts.append(rule.regime)
        if rule.max_stay_days:
            parts.append(f"{rule.max_stay_days} days" + (
                f" in {rule.window_days}" if rule.window_days else ""))
        if rule.max_continuous_days:
            parts.append(f"{rule.max_continuous_days} days per stay")
    elif isinstance(rule, ExemptionRule):
        held = ", ".join(f"{h.type.value} by {h.issuer}" for h in rule.held)
        parts.append(f"holding {held} → {rule.grant_regime}")
        if rule.grant_max_stay_days:
            parts.append(f"{rule.grant_max_stay_days} days")
    elif isinstance(rule, TransitRule):
        parts.append(rule.regime + (" (airside)" if rule.airside else ""))
        if rule.max_hours:
            parts.append(f"up to {rule.max_hours} hours")
    if rule.documents:
        parts.append("for " + ", ".join(sorted(d.value for d in rule.documents)))
    if rule.purposes:
        parts.append("purposes " + ", ".join(sorted(p.value for p in rule.purposes)))
    return "; ".join(parts)
