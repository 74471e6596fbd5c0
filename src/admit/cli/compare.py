"""The work of `admit rules compare FILE.csv`: read the inputs, compare, print the report.

Why apart from `admit.cli.rules`, which registers the command: the report has several tables
(per destination, the board-level confusion matrix, every disagreement with its explanation)
and the inputs (a matrix, an explanations file, destination filters) each fail in their own
words; the command's signature stays with its siblings and this module holds the rest. Every
string from a file or the user is printed as text, never read as Rich markup.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date

import typer
from rich.markup import escape
from rich.table import Table

from admit.cli.app import fail, read_text, stdout
from admit.daterange import check_day
from admit.errors import InputError, RuleDataError
from admit.rules.compare import (
    MATRIX_BOARDS,
    Answer,
    Board,
    DestinationReport,
    Kind,
    Pair,
    Report,
    Tally,
    compare,
    parse_matrix,
    to_json,
)
from admit.rules.compare_notes import Explanation, read_explanations

_MARK = {Kind.WORST: "!!", Kind.BOARD: "!", Kind.EXACT: "~", Kind.UNKNOWN: "?"}
_STYLE = {Kind.WORST: "bold red", Kind.BOARD: "yellow", Kind.EXACT: "cyan",
          Kind.UNKNOWN: "magenta"}


def run(matrix_path: str, on: str | None, rules_path: str | None,
        destinations: Sequence[str] | None, as_json: bool, explanations_path: str | None
        ) -> None:
    """Exit 2 naming the option, row or field and the value for any input that cannot be
    read; otherwise print the report (JSON with `as_json`)."""
    from admit.rules import load_rules

    day = _day(on) if on is not None else date.today()
    try:
        rules = load_rules(rules_path)
    except RuleDataError as exc:
        fail(f"rule data: {exc}")
    except OSError as exc:  # a name too long, no permission, a file where a directory belongs
        fail(f"--rules: cannot read {rules_path!r}: {exc.strerror or exc}")
    wanted = None
    if destinations:
        wanted = set()
        for value in destinations:
            code = value.strip().upper()
            if code not in rules.destinations:
                fail(f"--destination: no rule file countries/{code}.yaml (got {value!r})")
            wanted.add(code)
    notes: tuple[Explanation, ...] = ()
    if explanations_path is not None:
        try:
            notes = read_explanations(read_text(explanations_path), explanations_path,
                                      rules.extra_codes)
        except RuleDataError as exc:
            fail(f"--explanations: {exc}")
    try:
        cells = parse_matrix(read_text(matrix_path), rules.extra_codes)
    except InputError as exc:
        fail(f"{matrix_path}: {exc}")
    report = compare(rules, cells, day, wanted, notes)
    if as_json:
        typer.echo(json.dumps(to_json(report), indent=2, ensure_ascii=False))
    else:
        show(report, matrix_path)


def _day(value: str) -> date:
    """The `--on` date, within the calendar every layer of admit uses."""
    try:
        return check_day("--on", date.fromisoformat(value))
    except InputError as exc:
        fail(f"--on: {exc.reason} (got {value!r})")
    except ValueError:
        fail(f"--on: not a date (got {value!r})")


def show(report: Report, matrix_path: str) -> None:
    stdout.print(f"[bold]Cross-check[/] of {escape(matrix_path)} with the rules of "
                 f"{report.on.isoformat()}: the matrix is a lead to check against real "
                 "sources, never a source.", highlight=False, soft_wrap=True)
    stdout.print(_destinations(report))
    total = report.tally
    stdout.print(f"\n[bold]Overall[/] {_figures(total)}", highlight=False, soft_wrap=True)
    stdout.print(_confusion(total))
    for line in _skipped(report):
        stdout.print(escape(line), highlight=False, soft_wrap=True)
    for destination in report.destinations:
        _disagreements(destination)
    if report.unused:
        stdout.print("\n[bold]Explanations that cover no disagreement[/]")
        for note in report.unused:
            stdout.print(f"  line {note.line}: {escape(note.destination)} "
                         f"{escape(_passports(note))} ({escape(note.reason)})", highlight=False)
    stdout.print(f"\n[dim]data {escape(report.data_version)}[/]", highlight=False)


def _destinations(report: Report) -> Table:
    table = Table(box=None, header_style="bold", pad_edge=False, caption_justify="left",
                  caption="exact / board: agreement on the exact level and on the board level "
                          "(free, authorization, refused); unknown: admit has no answer; "
                          "!!: admit boards (free) where the matrix needs an authorization or "
                          "refuses; open: disagreements no explanation covers.")
    table.add_column("code", no_wrap=True)
    table.add_column("name", no_wrap=True, overflow="ellipsis", max_width=18)
    for column in ("pairs", "exact", "board", "unknown", "!!", "open"):
        table.add_column(column, no_wrap=True, justify="right")
    for row in report.destinations:
        tally = row.tally
        table.add_row(escape(row.code), escape(row.name), str(tally.pairs),
                      _pct(tally, tally.exact), _pct(tally, tally.board),
                      _pct(tally, tally.unknown), str(tally.worst) if tally.worst else "",
                      str(tally.unexplained) if tally.unexplained else "")
    return table


def _figures(tally: Tally) -> str:
    return (f"{tally.pairs} pairs: exact {_pct(tally, tally.exact)}, board "
            f"{_pct(tally, tally.board)}, unknown {_pct(tally, tally.unknown)}; "
            f"[bold red]{tally.worst}[/] where admit boards (free) and the matrix needs an "
            f"authorization or refuses; {tally.unexplained} disagreement(s) unexplained.")


def _confusion(tally: Tally) -> Table:
    table = Table(title="Board level: matrix (rows) against admit (columns)",
                  title_justify="left", box=None, header_style="bold", pad_edge=False)
    table.add_column("matrix \\ admit", no_wrap=True)
    for board in Board:
        table.add_column(board.value, justify="right", no_wrap=True)
    for matrix in MATRIX_BOARDS:
        table.add_row(matrix.value, *(str(tally.confusion.get((matrix, admit), 0))
                                      for admit in Board))
    return table


def _skipped(report: Report) -> list[str]:
    lines = []
    if report.no_rule_file:
        lines.append(f"Not compared, no rule file: {', '.join(report.no_rule_file)}.")
    if report.not_in_matrix:
        lines.append(f"Not in the matrix: {', '.join(report.not_in_matrix)}.")
    return lines


def _disagreements(destination: DestinationReport) -> None:
    listed = destination.disagreements(Kind.WORST, Kind.BOARD)
    exact = destination.disagreements(Kind.EXACT)
    unknown = destination.disagreements(Kind.UNKNOWN)
    if not listed and not exact and not unknown:
        return
    stdout.print(f"\n[bold]{escape(destination.code)}[/] {escape(destination.name)}",
                 highlight=False)
    if listed or exact:
        table = Table(box=None, header_style="bold", pad_edge=False)
        for column in ("", "passports", "matrix", "admit", "rule", "explanation"):
            table.add_column(column, overflow="fold")
        rows = [(pair.kind, [pair.passport], pair.cell.value, admit_words(pair.admit),
                 pair.admit.rule or "—", _explained(pair)) for pair in listed]
        # Exact-level disagreements often share a rule (every e-visa where admit says visa):
        # one row per matrix value, answer, rule and explanation keeps the report readable.
        groups: dict[tuple[str, str, str, str], list[str]] = {}
        for pair in exact:
            key = (pair.cell.value, admit_words(pair.admit), pair.admit.rule or "—",
                   _explained(pair))
            groups.setdefault(key, []).append(pair.passport)
        rows += [(Kind.EXACT, passports, *key) for key, passports in sorted(groups.items())]
        for kind, passports, value, admit, rule, explained in rows:
            table.add_row(f"[{_STYLE[kind]}]{_MARK[kind]}[/]", escape(", ".join(passports)),
                          escape(value), escape(admit), escape(rule), escape(explained))
        stdout.print(table)
    if unknown:
        holders = ", ".join(p.passport for p in unknown)
        stdout.print(f"  [magenta]?[/] admit unknown for {len(unknown)}: {escape(holders)}",
                     highlight=False, soft_wrap=True)
        for line in _unknown_notes(unknown):
            stdout.print(f"    {escape(line)}", highlight=False, soft_wrap=True)


def admit_words(answer: Answer) -> str:
    """`visa_free (30 days)`: admit's level with its longest stay."""
    days = f" ({answer.days} days)" if answer.days is not None else ""
    return f"{answer.level.value}{days}"


def _explained(pair: Pair) -> str:
    note = pair.explanation
    return "" if note is None else f"{note.reason}: {note.note}"


def _unknown_notes(pairs: Sequence[Pair]) -> list[str]:
    """Each explanation that covers unknown pairs, once, with the passports it covers."""
    covered: dict[Explanation, list[str]] = {}
    for pair in pairs:
        if pair.explanation is not None:
            covered.setdefault(pair.explanation, []).append(pair.passport)
    return [f"{', '.join(found)}: {note.reason}: {note.note}" for note, found in covered.items()]


def _passports(note: Explanation) -> str:
    return "all" if note.passports is None else ", ".join(note.passports)


def _pct(tally: Tally, count: int) -> str:
    value = tally.percent(count)
    return "—" if value is None else f"{value:.1f}%"
