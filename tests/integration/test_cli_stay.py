"""`admit stay`: the JSON contract form, the friendly calendar form, and exit 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from admit.cli import app

runner = CliRunner()

# SEM's example 2 (https://www.sem.admin.ch/sem/de/home/themen/einreise/aufenthaltsrechner/bsp-2.html):
# stays 15.08.2014-30.09.2014 and 01.11.2014-30.11.2014; a stay was possible until 13.12.2014.
EXAMPLE_2 = {
    "rule": {"window_days": 180, "max_days": 90},
    "stays": [["2014-08-15", "2014-09-30"], ["2014-11-01", "2014-11-30"]],
    "query_date": "2014-11-30",
}
FRIENDLY = [
    "stay",
    "--window-days",
    "180",
    "--max-days",
    "90",
    "--stay",
    "2014-08-15:2014-09-30",
    "--stay",
    "2014-11-01:2014-11-30",
]


def test_json_from_stdin_prints_the_contract() -> None:
    result = runner.invoke(app, ["stay", "--json", "-"], input=json.dumps(EXAMPLE_2))
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["days_used"] == 77
    assert answer["days_remaining"] == 13
    assert answer["latest_exit"] == "2014-12-13"
    assert answer["overstay"] is False


def test_json_from_a_file(tmp_path: Path) -> None:
    request = {**EXAMPLE_2, "planned_entry": "2015-01-01"}
    del request["query_date"]
    path = tmp_path / "stay.json"
    path.write_text(json.dumps(request), encoding="utf-8")
    result = runner.invoke(app, ["stay", "--json", str(path)])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["mode"] == "planning"
    assert answer["latest_exit"] is not None


def test_friendly_control_prints_a_calendar_and_the_latest_exit() -> None:
    result = runner.invoke(app, [*FRIENDLY, "--on", "2014-11-30"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "77 of 90 days used, 13 left" in out
    assert "Latest exit: 2014-12-13" in out
    rows = {line[:7]: line[9:] for line in out.splitlines() if line[:4] == "2014"}
    assert set(rows) == {
        "2014-06",
        "2014-07",
        "2014-08",
        "2014-09",
        "2014-10",
        "2014-11",
        "2014-12",
    }
    assert rows["2014-08"].count("■") == 17  # 15 to 31 August
    assert rows["2014-09"].count("■") == 30
    assert rows["2014-10"].count("■") == 0
    assert rows["2014-12"].count("+") == 13


def test_friendly_planning_with_earliest_entry() -> None:
    result = runner.invoke(
        app,
        [
            "stay",
            "--window-days",
            "180",
            "--max-days",
            "90",
            "--stay",
            "2025-01-01:2025-03-31",
            "--enter",
            "2025-04-10",
            "--for-days",
            "30",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "No stay possible" in result.stdout
    assert "Earliest entry for a stay of 30 days: 2025-06-30" in result.stdout


def test_friendly_first_entry_anchor_and_cap() -> None:
    result = runner.invoke(
        app,
        [
            "stay",
            "--window-days",
            "180",
            "--max-days",
            "90",
            "--anchor",
            "first_entry",
            "--max-continuous-days",
            "30",
            "--enter",
            "2025-01-01",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "May stay 30 days: latest exit 2025-01-30" in result.stdout
    assert "Period: 2025-01-01 to 2025-06-29" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--stay", "2025-01-05:2025-01-03", "--on", "2025-02-01"],
            "--stay 2025-01-05:2025-01-03: exit 2025-01-03 is before entry 2025-01-05",
        ),
        (["--stay", "2025-01-05", "--on", "2025-02-01"], "--stay: expected ENTRY:EXIT"),
        (
            ["--stay", "2025-01-01:2025-01-31", "--on", "2025-01-15"],
            "after the control date 2025-01-15",
        ),
        (
            ["--stay", "2025-01-01:2025-01-31", "--enter", "2025-01-15"],
            "planned entry 2025-01-15 falls inside",
        ),
        (["--on", "2025-01-15", "--enter", "2025-01-16"], "not both"),
        ([], "give query_date"),
        (["--on", "15/01/2025"], "--on: must be a date written YYYY-MM-DD"),
        (["--on", "2025-01-01", "--max-continuous-days", "-3"], "--max-continuous-days"),
        (["--enter", "2025-01-01", "--for-days", "0"], "--for-days"),
        (["--on", "2025-01-01", "--for-days", "3"], "--for-days: needs --enter"),
    ],
)
def test_bad_friendly_input_exits_2_with_a_message(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["stay", "--window-days", "180", "--max-days", "90", *args])
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())


def test_window_shorter_than_maximum_exits_2() -> None:
    result = runner.invoke(
        app, ["stay", "--window-days", "30", "--max-days", "90", "--on", "2025-01-01"]
    )
    assert result.exit_code == 2
    assert "--window-days: a window of 30 days is shorter than max_days 90" in " ".join(
        result.stderr.split()
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "--json: not JSON"),
        (
            json.dumps(
                {**EXAMPLE_2, "stays": [["2025-01-05", "2025-01-03"]], "query_date": "2025-02-01"}
            ),
            "stays[0]: exit 2025-01-03 is before entry 2025-01-05",
        ),
        (json.dumps({"rule": {"window_days": 180, "max_days": 90}}), "query_date"),
        (json.dumps([1, 2]), "request: must be an object"),
    ],
)
def test_bad_json_exits_2_with_a_message(text: str, message: str) -> None:
    result = runner.invoke(app, ["stay", "--json", "-"], input=text)
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())


def test_json_with_friendly_options_is_refused() -> None:
    result = runner.invoke(app, ["stay", "--json", "-", "--on", "2025-01-01"], input="{}")
    assert result.exit_code == 2
    assert "--json" in result.stderr


def test_missing_json_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["stay", "--json", str(tmp_path / "missing.json")])
    assert result.exit_code == 2
    assert "cannot read" in result.stderr
