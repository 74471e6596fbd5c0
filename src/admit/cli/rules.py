"""`admit rules lint [PATH]`, `admit rules show XXX` and `admit rules coverage`: the rule data,
checked, shown and measured.

Why on the command line: whoever edits a rule file needs every mistake with its file and line
before the engine refuses to load the data set, and whoever reads a decision needs to see the
rules behind it, their dates and their sources, without opening YAML; whoever relies on the
data needs to see how much of each destination it covers before trusting an `unknown`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from admit._iso3166 import ALPHA3
from admit.cli.app import app, fail, parse_day, reading_path, stdout
from admit.errors import RuleDataError
from admit.rules import Rules
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
        with reading_path("path", path):
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

    day = None if on is None else parse_day("--on", on)
    try:
        with reading_path("--rules", rules_path):
            rules = load_rules(rules_path)
    except RuleDataError as exc:
        fail(f"rule data: {exc}")
    code = country.strip().upper()
    destination = rules.destinations.get(code)
    if destination is None:
        fail(f"country: no rule file countries/{code}.yaml (got {country!r})")
    spec = destination.spec
    stdout.print(f"[bold]{escape(spec.code)}[/] {escape(spec.name)} — verified "
                 f"{spec.verified.isoformat()}, file {escape(spec.file)}", highlight=False)
    if spec.note:
        stdout.print(escape(spec.note), highlight=False)
    sources: list[str] = []
    _sections(spec.code, spec.sections, day, sources)
    for policy in destination.policies:
        stdout.print(f"\n[bold]Policy {escape(policy.key)}[/] ({escape(policy.name)}), "
                     f"applied while {escape(f'{spec.code} is a member of {policy.members}')}",
                     highlight=False)
        _sections(policy.key, policy.sections, day, sources)
    if sources:
        stdout.print("\n[bold]Sources[/]")
        for number, url in enumerate(sources, 1):
            stdout.print(f"  {escape(f'[{number}]')} {escape(url)}", highlight=False,
                         soft_wrap=True)
    stdout.print(f"\n[dim]data {escape(rules.data_version)}[/]", highlight=False)


def _sections(owner: str, sections: Sections, day: date | None, sources: list[str]) -> None:
    for name in ("documents", "validity", "entry", "exemptions", "transit"):
        found: tuple[Rule, ...] = getattr(sections, name) or ()
        shown = [r for r in found if day is None or r.start <= day <= r.end]
        if not shown:
            continue
        table = Table(title=escape(f"{owner} {name}"), title_justify="left", box=None,
                      header_style="bold", pad_edge=False)
        for column in ("id", "nationalities", "terms", "in force", "sources"):
            table.add_column(column, overflow="fold")
        for rule in shown:
            who = ("default" if rule.is_default else
                   "all except " + ", ".join(rule.excluded or ()) if rule.nationalities is None
                   else ", ".join(rule.nationalities))
            refs = []
            for source in rule.sources:
                if source.url not in sources:
                    sources.append(source.url)
                refs.append(escape(f"[{sources.index(source.url) + 1}]"))
            table.add_row(escape(rule.id), escape(who), escape(_terms(rule)), _dates(rule),
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


@rules_app.command("coverage")
def coverage_command(
    on: Annotated[str | None, typer.Option(
        help="The date whose rules count (default: today).")] = None,
    rules_path: Annotated[str | None, typer.Option(
        "--rules", help="A rule data directory (default: the shipped data set).")] = None,
    gaps: Annotated[bool, typer.Option(
        "--gaps", help="Also list each destination's known gaps (from the files' notes).")] = False,
) -> None:
    """Show, per destination, which parts of its rules exist, how many nationalities get an
    answer, how many rules lack a source and the oldest `verified` date."""
    from admit.rules import load_rules
    from admit.rules.coverage import PARTS, report
    from admit.rules.coverage import gaps as gaps_of

    day = date.today() if on is None else parse_day("--on", on)
    try:
        with reading_path("--rules", rules_path):
            found = report(rules_path, day)
    except RuleDataError as exc:
        fail(f"rule data: {exc}")
    covered: dict[str, int] = {}
    if not found.problems:
        covered = nationalities_covered(load_rules(found.root), day)
    table = Table(title=f"Coverage on {day.isoformat()}", title_justify="left", box=None,
                  header_style="bold", pad_edge=False, collapse_padding=True,
                  caption_justify="left", caption=(
                      f"nat.: of {len(NATIONALITIES)} nationalities, how many get an answer "
                      "other than unknown with an ordinary passport. Then the number of rules "
                      "per part, the destination's own and its policies'; * a default entry "
                      "rule: every nationality gets a regime. unsrc: rules without sources. "
                      "prim.: the share of rules with an official, treaty or intergovernmental "
                      "source. verified: the oldest date of the file and its policies."))
    table.add_column("code", no_wrap=True)
    table.add_column("name", no_wrap=True, overflow="ellipsis", max_width=16)
    for column in ("nat.", "entry", "docs", "valid", "transit", "exempt", "unsrc", "prim.",
                   "verified"):
        table.add_column(column, no_wrap=True, justify="right")
    for row in found.destinations:
        parts = [f"{row.rules[p]}" + ("*" if p == "entry" and row.default_entry else "")
                 if row.has(p) else "—" for p in PARTS]
        table.add_row(escape(row.code), escape(row.name), str(covered.get(row.code, "?")), *parts,
                      str(row.unsourced) if row.unsourced else "", _percent(row.primary_share),
                      row.verified.isoformat() if row.verified else "?")
    stdout.print(table)
    if found.problems:
        stdout.print(f"[red]{found.problems} problem(s) in the data set[/]: nationalities "
                     f"covered not computed; run `admit rules lint {escape(str(found.root))}`",
                     highlight=False)
    if gaps:
        for row in found.destinations:
            if row.gaps:
                stdout.print(f"\n[bold]{escape(row.code)}[/] {escape(row.name)}",
                             highlight=False)
            for gap in row.gaps:
                stdout.print(f"  {escape(gap.where)}: {escape(gap.text)}", highlight=False,
                             soft_wrap=True)
        for key, policy in sorted(found.policies.items()):
            stdout.print(f"\n[bold]Policy {escape(key)}[/] {escape(policy.name)}",
                         highlight=False)
            for gap in gaps_of(policy):
                stdout.print(f"  {escape(gap.where)}: {escape(gap.text)}", highlight=False,
                             soft_wrap=True)
    stdout.print(f"\n[dim]data {escape(found.data_version)}[/]", highlight=False)


@rules_app.command("compare")
def compare_command(
    matrix: Annotated[str, typer.Argument(
        help="A visa matrix in passport-index's tidy CSV (Passport, Destination, "
             "Requirement).")],
    on: Annotated[str | None, typer.Option(
        help="The date whose rules apply (default: today).")] = None,
    rules_path: Annotated[str | None, typer.Option(
        "--rules", help="A rule data directory (default: the shipped data set).")] = None,
    destination: Annotated[list[str] | None, typer.Option(
        "--destination", help="Only this destination (repeatable).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    explanations: Annotated[str | None, typer.Option(
        help="A YAML file of maintainers' explanations of disagreements.")] = None,
) -> None:
    """Compare admit's answers with a visa matrix, a lead and never a source: agreement per
    destination and every disagreement with the rule admit applied."""
    from admit.cli.compare import run

    run(matrix, on, rules_path, destination, as_json, explanations)


NATIONALITIES = tuple(sorted(ALPHA3 | {"XXA", "XXB"}))


def _percent(share: float | None) -> str:
    return "?" if share is None else f"{share:.0%}"


def nationalities_covered(rules: Rules, on: date) -> dict[str, int]:
    """Per destination, how many nationalities — every ISO state, plus stateless (XXA) and
    refugee (XXB) travellers — get an answer other than `unknown` on `on`. The traveller is the
    golden table's (tools/golden.py): an ordinary passport of their own state issued a year
    before and valid five years (for XXA / XXB a stateless / refugee travel document issued by
    UTO, a neutral issuer), one leg with no departure date."""
    from admit.engine import check_leg
    from admit.model import Leg, Status, Trip
    from admit.rules.coverage import traveller as golden_traveller

    travellers = [golden_traveller(nationality, on) for nationality in NATIONALITIES]
    counts: dict[str, int] = {}
    for code in sorted(rules.destinations):
        leg = Leg(origin="UTO", to=code, date=on)
        counts[code] = sum(check_leg(Trip(traveller, (leg,)), leg, rules).status != Status.UNKNOWN
                           for traveller in travellers)
    return counts
