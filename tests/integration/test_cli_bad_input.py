"""Input that used to end the command line in a traceback: each is now exit 2 with one line
naming the option (or the file) and what is wrong with it."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from admit.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
FIXTURE = str(ROOT / "fixtures" / "rules")
FRIENDLY = ("--nationality", "RUS", "--from", "ZZA", "--to", "UTO", "--date", "2023-02-27")
TOO_LONG = "r" * 5000  # longer than any file name the system takes


def run(*args: str, stdin: str | None = None) -> Result:
    return runner.invoke(app, list(args), input=stdin)


def refused(result: Result, *expected: str) -> str:
    """The one error line of a run that exited 2 cleanly, checked to contain `expected`."""
    assert result.exit_code == 2, (result.exception, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    line = result.stderr
    assert line.startswith("error: ") and line.count("\n") == 1, line
    for text in expected:
        assert text in line
    return line


JSON_COMMANDS = [("check", "--json", "-", "--rules", FIXTURE), ("stay", "--json", "-"),
                 ("cases", "act", "1", "remove", "--json", "-")]


@pytest.mark.parametrize("command", JSON_COMMANDS)
@pytest.mark.parametrize("levels", [100, 100_000])
def test_deeply_nested_json(command: tuple[str, ...], levels: int) -> None:
    document = '{"traveller": ' + "[" * levels + "]" * levels + "}"
    refused(run(*command, stdin=document), "not JSON that can be read",
            "nested more than 64 levels deep")


def test_json_nested_to_the_limit_is_still_read() -> None:
    document = {"traveller": json.loads("[" * 63 + "]" * 63),
                "itinerary": [{"from": "ZZA", "to": "UTO", "date": "2023-02-27"}]}
    line = refused(run("check", "--json", "-", "--rules", FIXTURE, stdin=json.dumps(document)),
                   "traveller")
    assert "nested" not in line


@pytest.mark.parametrize("command", JSON_COMMANDS)
def test_an_integer_longer_than_python_reads(command: tuple[str, ...]) -> None:
    document = '{"traveller": ' + "7" * 4301 + "}"
    refused(run(*command, stdin=document), "a number has more than 4300 digits")


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "3000-01-01", "1899-12-31"])
@pytest.mark.parametrize("command", [
    ("rules", "coverage", "--rules", FIXTURE),
    ("rules", "show", "UTO", "--rules", FIXTURE),
    ("check", *FRIENDLY, "--rules", FIXTURE),
    ("mrz", "-"),
    ("screen", str(ROOT / "fixtures" / "paxlst" / "arrival.edi"), "--rules", FIXTURE),
    ("stay", "--country", "DEU", "--nationality", "USA"),
])
def test_dates_outside_the_calendar(command: tuple[str, ...], day: str) -> None:
    refused(run(*command, "--on", day),
            f"--on: must be between 1900-01-01 and 2999-12-31 (got '{day}')")


def test_coverage_takes_the_calendar_last_day() -> None:
    result = run("rules", "coverage", "--rules", FIXTURE, "--on", "2999-12-31")
    assert result.exit_code == 0, result.output
    assert "Coverage on 2999-12-31" in result.stdout


@pytest.mark.parametrize("command", [
    ("check", *FRIENDLY),
    ("rules", "show", "UTO"),
    ("rules", "coverage"),
    ("screen", "manifest.csv"),
    ("serve",),
])
def test_an_over_long_rules_path(command: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
                                 ) -> None:
    monkeypatch.setattr("uvicorn.run", _never_serve)
    refused(run(*command, "--rules", TOO_LONG), "--rules: cannot read 'rrrr",
            "File name too long")


def test_an_over_long_path_to_lint() -> None:
    refused(run("rules", "lint", TOO_LONG), "path: cannot read 'rrrr", "File name too long")


def test_an_over_long_trip_file() -> None:
    refused(run("check", "--json", TOO_LONG), "cannot read 'rrrr", "File name too long")


def _never_serve(*args: Any, **kwargs: Any) -> None:
    raise AssertionError("the server must not start on bad input")


@pytest.mark.parametrize("host", ["256.256.256.256", "", "[/]", "a" * 300])
def test_serve_refuses_a_host_it_cannot_listen_on(host: str, monkeypatch: pytest.MonkeyPatch
                                                  ) -> None:
    monkeypatch.setattr("uvicorn.run", _never_serve)
    refused(run("serve", "--host", host, "--rules", FIXTURE),
            f"--host: not a host name or address to listen on (got {host!r})")


def test_serve_refuses_a_port_in_use(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("uvicorn.run", _never_serve)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        refused(run("serve", "--port", str(port), "--rules", FIXTURE),
                f"--host/--port: cannot listen on '127.0.0.1' port {port}: ")


def test_a_path_with_a_newline_is_shown_on_one_line() -> None:
    result = run("check", *FRIENDLY, "--rules", "/nonexistent\nrules")
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1
    assert "/nonexistent\\nrules" in result.stderr


@pytest.fixture
def token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A case store in a temporary directory and an officer's token for it."""
    monkeypatch.setenv("ADMIT_DATA_DIR", str(tmp_path / "var"))
    for name in ("ADMIT_DATABASE_URL", "ADMIT_CASES_KEY", "ADMIT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    added = run("users", "add", "olga", "--role", "officer")
    assert added.exit_code == 0, added.output
    return added.stdout.strip()


@pytest.mark.parametrize("within", ["1e30", "inf", "nan", "-1", "8785"])
def test_cases_due_within_hours_out_of_range(token: str, within: str) -> None:
    refused(run("cases", "due", "--within", within, "--token", token),
            "--within: must be between 0 and 8784 hours")


def test_cases_due_within_a_year(token: str) -> None:
    result = run("cases", "due", "--within", "8784", "--json", "--token", token)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize("at", ["9999-12-31T23:00", "3000-01-01", "1899-12-31"])
def test_cases_due_at_a_time_outside_the_calendar(token: str, at: str) -> None:
    refused(run("cases", "due", "--at", at, "--within", "48", "--token", token),
            "--at: must be between 1900-01-01 and 2999-12-31", f"(got {at!r})")
