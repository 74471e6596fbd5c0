"""Hypothesis fuzz of every command's arguments and JSON inputs, run in-process (CliRunner).

The contract: exit 0, or a documented failure code — 2 for bad input with a message, 1 where a
command documents it (broken rule data, a refused case action, lint problems) — and never a
traceback or an exception escaping the command. Arguments mix real values (codes, dates at the
calendar's ends, actions and their fields) with Rich markup, emoji codes, huge numbers,
over-long paths and random text; JSON inputs mix contract-shaped documents with garbage, deep
nesting and integers longer than Python reads. Every command the app registers is fuzzed from
its own parameters, so a new command or option is covered without editing this file.

Random text is UTF-8 without NUL: what a command line can carry (an argument is a C string).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.testing
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from admit.cli import app
from tests.cases.test_story import REFUSAL

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
FIXTURE = str(ROOT / "fixtures" / "rules")
PAXLST = ROOT / "fixtures" / "paxlst"
MANIFEST = ("ref,nationality,document_type,expires,leg1_from,leg1_to,leg1_date\n"
            "A,ZZA,,2030-01-01,ZZB,UTO,2023-02-27\nB,RUS,,2023-02-20,ZZA,UTO,2023-02-27\n")
SPECIMEN = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
            "L898902C36UTO7408122F1204159ZE184226B<<<<<10\n")
FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])

# Exit codes each command documents (docs/engine.md, mrz.md, stay.md, rules.md, cases.md,
# screening.md, api.md): 2 is always bad input (a usage error too, for every command); 1 is
# broken rule data, lint problems or a refused or broken case.
ALLOWED = {"check": {0, 1, 2}, "demo": {0, 2}, "mrz": {0, 2}, "screen": {0, 1, 2},
           "serve": {0, 2}, "stay": {0, 2}, "cases": {0, 1, 2}, "rules": {0, 1, 2},
           "users": {0, 2}}
RUNS = {"count": 0}
COMMAND = typer.main.get_command(app)

SPECIAL = [
    "", " ", "-", "--", "[/]", "[bold]X", ":100:", "[red]x[/red] :smile:", "\\[", "a=b", "=",
    "RUS", "ZZA", "UTO", "ZZB", "ZZD", "ZZQ", "XXA", "XXB", "DEU", "USA", "KAZ", "MNG", "zza",
    "D", "2023-02-27", "2023-02-30", "1899-12-31", "1900-01-01", "2999-12-31", "3000-01-01",
    "9999-12-31", "0001-01-01", "2023-02-27T06:40:00+08:00", "1e30", "-1e30", "nan", "inf",
    "-1", "0", "1", "8784", "8785", "9" * 30, "9" * 5000, "x" * 5000, "passport",
    "national_id", "tourism", "transit", "json", "text", "strict", "lenient", "TD1", "TD3",
    "csv", "parquet", "jsonl", "paxlst", "skip", "fail", "rows", "vectorised", "rolling",
    "first_entry", "officer", "supervisor", "auditor", "remove", "propose_removal",
    "lodge_claim", "destination=KAZ", "date=2023-02-28", "127.0.0.1", "256.256.256.256",
    FIXTURE, str(PAXLST / "arrival.edi"), str(PAXLST / "airports.csv"), "/", "/nonexistent",
]
text = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=24)
values = st.one_of(st.sampled_from(SPECIAL), text, st.integers(-10**6, 10**6).map(str),
                   st.dates(date(1, 1, 1), date(9999, 12, 31)).map(date.isoformat))
places = st.sampled_from(["RUS", "ZZA", "UTO", "ZZB", "ZZD", "ZZQ", "XXA", "XXB", "DEU", "KAZ"])
# Mostly dates of real trips, sometimes the calendar's ends and beyond (1900-2999).
ordinary_days = st.dates(date(2015, 1, 1), date(2030, 12, 31))
far_days = st.dates(date(1890, 1, 1), date(3010, 12, 31))
days = st.one_of(ordinary_days, ordinary_days, ordinary_days, far_days).map(date.isoformat)
scalars = st.one_of(st.none(), st.booleans(), st.integers(),
                    st.floats(allow_nan=True, allow_infinity=True), values)
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(values, inner, max_size=4)), max_leaves=12)


def mostly(valid: st.SearchStrategy[Any], other: st.SearchStrategy[Any] = values
           ) -> st.SearchStrategy[Any]:
    """A valid value seven times in eight, else anything."""
    return st.one_of(*[valid] * 7, other)


def _nodes(document: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    children = (document.items() if isinstance(document, dict) else enumerate(document)
                if isinstance(document, list) else ())
    for key, child in children:
        yield from _nodes(child, (*path, key))


def _replaced(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copy = document.copy()
    copy[path[0]] = _replaced(document[path[0]], path[1:], value)
    return copy


@st.composite
def mutated(draw: st.DrawFn, valid: st.SearchStrategy[Any]) -> Any:
    """A valid document, or one with one part (a field, an item, the whole) made anything."""
    document = draw(valid)
    if draw(st.booleans()):
        path = draw(st.sampled_from(list(_nodes(document))))
        document = _replaced(document, path, draw(json_values))
    return document


def documents(shaped: st.SearchStrategy[Any]) -> st.SearchStrategy[str]:
    """Standard input: a contract's JSON, mutated or not, mostly; else any JSON or text that is
    hardly JSON: random, nested deeper than any reader allows, or holding a huge integer."""
    deep = st.integers(1, 3000).map(lambda n: "[" * n + "]" * n)
    big = st.integers(4000, 4400).map(lambda n: '{"traveller": ' + "7" * n + "}")
    contract = mutated(shaped).map(json.dumps)
    return st.one_of(contract, contract, contract, contract, json_values.map(json.dumps),
                     text, deep, big)


@st.composite
def stays(draw: st.DrawFn, start: date) -> tuple[list[list[str]], date]:
    """Past stays in order from `start`, and the first day after the last of them."""
    found: list[list[str]] = []
    day = start
    for _ in range(draw(st.integers(0, 3))):
        entry = day + timedelta(days=draw(st.integers(0, 200)))
        exit_ = entry + timedelta(days=draw(st.integers(0, 120)))
        found.append([entry.isoformat(), exit_.isoformat()])
        day = exit_ + timedelta(days=1)
    return found, day


@st.composite
def trips(draw: st.DrawFn) -> dict[str, Any]:
    nationality = draw(places)
    document: dict[str, Any] = {"type": draw(st.sampled_from(["passport", "national_id"])),
                                "issuer": nationality,
                                "issued": draw(days), "expires": draw(days)}
    if draw(st.booleans()):
        document = {"mrz": SPECIMEN}
    legs = [draw(st.fixed_dictionaries(
        {"from": places, "to": places, "date": days},
        optional={"until": days, "transit": st.booleans(),
                  "purpose": st.sampled_from(["tourism", "business", "transit"])}))
        for _ in range(draw(st.integers(1, 3)))]
    traveller: dict[str, Any] = {"nationalities": [nationality], "documents": [document]}
    if draw(st.booleans()):
        past, _ = draw(stays(draw(ordinary_days)))
        traveller["stays"] = [{"country": draw(places), "entry": entry, "exit": exit_}
                              for entry, exit_ in past]
    return {"traveller": traveller, "itinerary": legs}


@st.composite
def stay_requests(draw: st.DrawFn) -> dict[str, Any]:
    window = draw(st.integers(1, 400))
    rule: dict[str, Any] = {"window_days": window, "max_days": draw(st.integers(1, window)),
                            "anchor": draw(st.sampled_from(["rolling", "first_entry"]))}
    if draw(st.booleans()):
        rule["max_continuous_days"] = draw(st.integers(1, 400))
    past, after = draw(stays(draw(far_days)))
    mode = draw(st.sampled_from(["query_date", "planned_entry"]))
    return {"rule": rule, "stays": past,
            mode: (after + timedelta(days=draw(st.integers(0, 100)))).isoformat()}


refusals = st.just(REFUSAL)  # mutated by `documents`


def invoke(args: list[str], stdin: str | None = None) -> Result:
    RUNS["count"] += 1
    return runner.invoke(app, args, input=stdin)


def assert_clean(result: Result, allowed: set[int]) -> None:
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"uncaught {type(result.exception).__name__}: "
                             f"{result.exception}") from result.exception
    assert "Traceback" not in result.output
    assert result.exit_code in allowed, (result.exit_code, result.output)
    if result.exit_code != 0:
        assert result.output.strip(), f"exit {result.exit_code} without a message"
    if result.stderr.startswith("error: "):
        assert result.stderr.count("\n") == 1, result.stderr  # one line, whatever its width


def run(args: list[str], stdin: str | None = None) -> Result:
    result = invoke(args, stdin)
    assert_clean(result, ALLOWED[args[0]])
    return result


@pytest.fixture(scope="module", autouse=True)
def runs_reported() -> Iterator[None]:
    yield
    print(f"\nCLI fuzz: {RUNS['count']} CLI runs")


@pytest.fixture(scope="module", autouse=True)
def one_build() -> Iterator[None]:
    """The runner has Typer build the Click command anew on every run, which costs as much as
    most runs; a real process builds it once, so the fuzz builds it once too."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typer.testing, "_get_command", lambda _app: COMMAND)
        yield


@pytest.fixture(autouse=True)
def in_a_temporary_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files a run writes (`screen -o NAME` with a drawn name) land there, not in the tree."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="module")
def tokens(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A case store of its own with an officer, a supervisor and three open cases."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ADMIT_DATA_DIR", str(tmp_path_factory.mktemp("cases") / "var"))
        for name in ("ADMIT_DATABASE_URL", "ADMIT_CASES_KEY", "ADMIT_TOKEN"):
            patch.delenv(name, raising=False)
        found = {}
        for name, role in (("olga", "officer"), ("sam", "supervisor")):
            added = invoke(["users", "add", name, "--role", role])
            assert added.exit_code == 0, added.output
            found[role] = added.stdout.strip()
        for _ in range(3):
            opened = invoke(["cases", "open", "--json", "-", "--token", found["officer"]],
                            json.dumps(REFUSAL))
            assert opened.exit_code == 0, opened.output
        yield found


@pytest.fixture
def no_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """`admit serve` checks its arguments for real, then starts nothing."""
    import uvicorn.supervisors

    class Supervisor:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pass

        def run(self) -> None:
            pass

    monkeypatch.setattr("uvicorn.run", lambda *args, **kwargs: None)
    monkeypatch.setattr(uvicorn.supervisors, "Multiprocess", Supervisor)
    monkeypatch.setattr("admit.cli.serve._listening_socket", lambda host, port: None)
    monkeypatch.setenv("ADMIT_RULES", "")  # serve sets it for its workers; restored after


def option(name: str, strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[list[str]]:
    """`[name, value]`, or nothing."""
    return st.one_of(st.just([]), strategy.map(lambda value: [name, str(value)]))


def given_option(name: str, strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[list[str]]:
    """`[name, value]`."""
    return strategy.map(lambda value: [name, str(value)])


def joined(*parts: st.SearchStrategy[list[str]]) -> st.SearchStrategy[list[str]]:
    return st.tuples(*parts).map(lambda lists: [arg for part in lists for arg in part])


def value_options(*path: str) -> list[str]:
    """The options of a command that take a value."""
    command: Any = COMMAND
    for name in path:
        command = command.commands[name]
    return [opt for param in command.params
            if param.param_type_name == "option" and not param.is_flag for opt in param.opts]


@st.composite
def spoiled(draw: st.DrawFn, valid: st.SearchStrategy[list[str]], path: tuple[str, ...]
            ) -> list[str]:
    """Valid arguments, then half the time one of the command's options again with any
    value: given twice, an option takes its last value, so one part of the run is spoilt."""
    args = draw(valid)
    if draw(st.booleans()):
        args = [*args, draw(st.sampled_from(value_options(*path))), draw(values)]
    return args


@FUZZ
@given(args=spoiled(joined(
    given_option("--nationality", places), option("--passport-expires", days),
    option("--passport-issued", days),
    option("--document", st.sampled_from(["passport", "national_id"])),
    option("--issuer", places), given_option("--from", places), given_option("--to", places),
    given_option("--date", days), option("--until", days),
    option("--purpose", st.sampled_from(["tourism", "business", "transit"])),
    option("--output", st.sampled_from(["text", "json"])), option("--on", days),
    st.sampled_from([[], ["--transit"]]), st.just(["--rules", FIXTURE])), ("check",)))
def test_check_friendly(args: list[str]) -> None:
    result = run(["check", *args])
    if result.exit_code == 0 and "json" not in args:
        assert "board: " in result.stdout


@FUZZ
@given(stdin=documents(trips()), on=option("--on", mostly(days)))
def test_check_json(stdin: str, on: list[str]) -> None:
    result = run(["check", "--json", "-", "--rules", FIXTURE, *on], stdin)
    if result.exit_code == 0:
        assert json.loads(result.stdout)["status"]


@FUZZ
@given(value=text.filter(lambda v: v.strip().upper() not in {"RUS", "ZZA", "UTO", "ZZB"}))
def test_a_refused_value_is_echoed_as_typed(value: str) -> None:
    result = run(["check", "--rules", FIXTURE, "--nationality", value, "--from", "ZZA",
                  "--to", "UTO", "--date", "2023-02-27"])
    if result.exit_code == 2 and result.stderr.startswith("error: --nationality:"):
        assert f"(got {value!r})" in result.stderr


@st.composite
def stay_options(draw: st.DrawFn) -> list[str]:
    """The friendly form of a valid request (the rule from the data or given), then half the
    time one option more with any value (see `spoiled`)."""
    request = draw(stay_requests())
    mode = "--on" if "query_date" in request else "--enter"
    day = request.get("query_date") or request["planned_entry"]
    if draw(st.booleans()):
        country = draw(st.sampled_from(["DEU", "FRA", "MNG", "GEO"]))
        args = ["--country", country, "--nationality", draw(st.sampled_from(["USA", "RUS"]))]
        for entry, exit_ in request["stays"]:
            args += ["--stay", f"{draw(st.sampled_from([country, 'ITA', 'TUR']))}:{entry}:{exit_}"]
    else:
        rule = request["rule"]
        args = ["--window-days", str(rule["window_days"]), "--max-days", str(rule["max_days"]),
                "--anchor", rule["anchor"]]
        if "max_continuous_days" in rule:
            args += ["--max-continuous-days", str(rule["max_continuous_days"])]
        for entry, exit_ in request["stays"]:
            args += ["--stay", f"{entry}:{exit_}"]
    args += [mode, day]
    if mode == "--enter" and draw(st.booleans()):
        args += ["--for-days", str(draw(st.integers(1, 120)))]
    if draw(st.booleans()):
        args += [draw(st.sampled_from(value_options("stay"))), draw(values)]
    return args


@FUZZ
@given(args=stay_options())
def test_stay_friendly(args: list[str]) -> None:
    result = run(["stay", *args])
    if result.exit_code == 0:
        assert "days used" in result.stdout


@FUZZ
@given(stdin=documents(stay_requests()))
def test_stay_json(stdin: str) -> None:
    run(["stay", "--json", "-"], stdin)


MRZ_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
TD1 = ("I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\n"
       "ERIKSSON<<ANNA<MARIA<<<<<<<<<<\n")


@st.composite
def mrz_texts(draw: st.DrawFn) -> str:
    """A specimen with a few characters changed, dropped or added, or any text."""
    mrz = list(draw(st.sampled_from([SPECIMEN, TD1])))
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(mrz) - 1))
        change = draw(st.sampled_from(["replace", "drop", "add"]))
        new = draw(mostly(st.sampled_from(MRZ_CHARACTERS), text))
        if change == "replace":
            mrz[at] = new
        elif change == "drop":
            del mrz[at]
        else:
            mrz.insert(at, new)
    return "".join(mrz) if draw(mostly(st.just(True), st.just(False))) else draw(text)


@FUZZ
@given(stdin=mrz_texts(),
       args=spoiled(joined(option("--profile", st.sampled_from(["strict", "lenient"])),
                           option("--on", days),
                           option("--format", st.sampled_from(["TD1", "TD2", "TD3", "MRVA"])),
                           st.sampled_from([[], ["--repair"]])), ("mrz",)))
def test_mrz(stdin: str, args: list[str]) -> None:
    result = run(["mrz", "-", *args], stdin)
    if result.exit_code == 0:
        assert "valid" in json.loads(result.stdout)


fixture_codes = st.sampled_from(["UTO", "ZZA", "ZZB", "ZZD", "uto", " ZZA "])


@settings(FUZZ, max_examples=30)
@given(command=st.one_of(
    joined(st.just(["rules", "show"]), mostly(fixture_codes).map(lambda c: [c]),
           spoiled(joined(option("--on", days), st.just(["--rules", FIXTURE])),
                   ("rules", "show"))),
    joined(st.just(["rules", "coverage"]), spoiled(joined(
        option("--on", days), st.sampled_from([[], ["--gaps"]]), st.just(["--rules", FIXTURE])),
        ("rules", "coverage"))),
    joined(st.just(["rules", "lint"]), st.sampled_from(
        [[FIXTURE], [f"{FIXTURE}/countries/UTO.yaml"], ["/nonexistent"], ["x" * 5000],
         [str(PAXLST / "airports.csv")]]))))
def test_rules(command: list[str]) -> None:
    run(command)


@settings(FUZZ, max_examples=40)
@given(args=spoiled(joined(option("--format", st.sampled_from(["csv", "jsonl", "parquet"])),
                           option("--bad-rows", st.sampled_from(["skip", "fail"])),
                           option("--on", days), option("--batch-size", st.integers(1, 1000)),
                           option("--engine", st.sampled_from(["vectorised", "rows"]))),
                    ("screen",)),
       paxlst=st.booleans())
def test_screen(tmp_path: Path, args: list[str], paxlst: bool) -> None:
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(MANIFEST)
    source = [str(PAXLST / "arrival.edi"), "--airports", str(PAXLST / "airports.csv")]
    run(["screen", *(source if paxlst else [str(manifest)]), "--rules", FIXTURE,
         "-o", str(tmp_path / "out.csv"), *args])


times = st.datetimes(datetime(2023, 2, 20), datetime(2023, 4, 1)).map(
    lambda t: t.isoformat() + "+00:00")
field_values = st.one_of(places, days, times, st.integers(1, 3).map(str),
                         st.sampled_from(["carrier", "true", "false", "referred", "rejected",
                                          "a reason", "EX 101"]))


@st.composite
def case_actions(draw: st.DrawFn) -> list[str]:
    """An action on one of the open cases, with its own fields (mostly valid values)."""
    from admit.cases.machine import ACTIONS

    name = draw(mostly(st.sampled_from(sorted(ACTIONS)), st.sampled_from(["nothing", "[/]"])))
    fields = list(ACTIONS[name].payload.model_fields) if name in ACTIONS else ["x"]
    pairs = [f"{field}={draw(mostly(field_values))}" for field in fields
             if draw(mostly(st.just(True), st.just(False)))]
    case = draw(mostly(st.sampled_from(["1", "2", "3"]), values))
    return ["cases", "act", case, name, *pairs,
            *draw(option("--version", mostly(st.integers(1, 9), values)))]


@settings(FUZZ, max_examples=80)
@given(command=st.one_of(
    joined(st.just(["cases", "due"]), spoiled(joined(
        option("--at", times), option("--within", st.floats(0, 8784)),
        st.sampled_from([[], ["--json"]])), ("cases", "due"))),
    joined(st.just(["cases", "list"]), spoiled(joined(
        option("--state", st.sampled_from(["refused", "removal_proposed", "closed"])),
        st.sampled_from([[], ["--json"]])), ("cases", "list"))),
    joined(st.just(["cases", "show"]), mostly(st.sampled_from(["1", "2", "3"])).map(
        lambda c: [c]), spoiled(joined(option("--consider", places),
                                       st.sampled_from([[], ["--json"]])), ("cases", "show"))),
    case_actions(), case_actions()),
    role=st.sampled_from(["officer", "supervisor"]))
def test_cases(tokens: dict[str, str], command: list[str], role: str) -> None:
    run([*command, "--token", tokens[role]])


@settings(FUZZ, max_examples=30)
@given(stdin=documents(refusals))
def test_cases_open(tokens: dict[str, str], stdin: str) -> None:
    run(["cases", "open", "--json", "-", "--token", tokens["officer"]], stdin)


@settings(FUZZ, max_examples=30)
@given(name=st.one_of(values, st.from_regex(r"[a-z][a-z0-9._@-]{0,20}", fullmatch=True)),
       role=st.one_of(st.sampled_from(["officer", "supervisor", "auditor"]), values),
       revoke=st.booleans())
def test_users(tokens: dict[str, str], name: str, role: str, revoke: bool) -> None:
    if name in ("olga", "sam"):  # the users the case fuzz acts as
        return
    run(["users", "add", name, "--role", role])
    run(["users", "list"])
    if revoke:
        run(["users", "revoke", name])


hosts = st.one_of(st.sampled_from(["127.0.0.1", "localhost", "::1", "0.0.0.0", "", "[/]",
                                   "256.256.256.256", "8.8.8.8", "a" * 300, "1e30"]),
                  st.tuples(*[st.integers(0, 300)] * 4).map(lambda t: ".".join(map(str, t))))


@settings(FUZZ, max_examples=40)
@given(args=spoiled(joined(option("--host", hosts), option("--port", st.integers(-10, 70000)),
                           option("--workers", st.integers(-2, 3)),
                           st.sampled_from([[], ["--no-access-log"]]),
                           st.just(["--rules", FIXTURE])), ("serve",)))
def test_serve(no_server: None, args: list[str]) -> None:
    run(["serve", *args])


def _leaves(command: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    children = getattr(command, "commands", None)
    if not children:
        return [(path, command)]
    return [leaf for name, child in sorted(children.items())
            for leaf in _leaves(child, (*path, name))]


LEAVES = _leaves(COMMAND)


@st.composite
def command_lines(draw: st.DrawFn) -> tuple[list[str], str]:
    """Any registered command with its own options and arguments, drawn at random."""
    path, command = draw(st.sampled_from(LEAVES))
    options = [param for param in command.params if param.param_type_name == "option"]
    args: list[str] = []
    for _ in range(draw(st.integers(0, 6))):
        if len(options) > 0 and draw(st.booleans()):
            param = draw(st.sampled_from(options))
            args.append(draw(st.sampled_from(param.opts)))
            if not param.is_flag:
                args.append(draw(values))
        else:
            args.append(draw(values))
    opts = {name for param in options for name in param.opts}
    # Defaults a run must not fall back on: the shipped data set is slow to cover and lint
    # (--rules, and lint's path, come first so that drawn values override them), and a case
    # command needs a caller.
    if "--rules" in opts:
        args = ["--rules", FIXTURE, *args]
    if path == ("rules", "lint"):
        args = [FIXTURE, *args]
    return [*path, *args], draw(documents(st.one_of(trips(), stay_requests(), refusals)))


@settings(FUZZ, max_examples=150)
@given(line=command_lines(), role=st.sampled_from(["officer", "supervisor", None]))
def test_every_command(tokens: dict[str, str], no_server: None, line: tuple[list[str], str],
                       role: str | None) -> None:
    args, stdin = line
    with pytest.MonkeyPatch.context() as patch:
        if role is not None:
            patch.setenv("ADMIT_TOKEN", tokens[role])
        run(args, stdin)
