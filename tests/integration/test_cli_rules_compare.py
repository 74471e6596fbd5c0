"""`admit rules compare FILE.csv` on the fixture world: the report, its JSON, the filters,
explanations, literal printing of file text, and bad input exiting 2 with the row or field and
the value."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from admit.cli import app
from admit.cli.app import stdout

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "rules"
MATRIX = ROOT / "tests" / "fixtures" / "crosscheck-matrix.csv"
BASE = ["rules", "compare", str(MATRIX), "--rules", str(FIXTURE), "--on", "2026-02-17"]


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich tables fold long cells at 80 columns; the tests read whole rows."""
    monkeypatch.setattr(stdout, "width", 200)


def test_report_lists_figures_and_every_disagreement_with_its_rule() -> None:
    result = runner.invoke(app, BASE)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    uto = next(line for line in lines if line.startswith("UTO "))
    assert uto.split() == ["UTO", "Utopia", "7", "57.1%", "71.4%", "0.0%", "1", "3"]
    assert any(line.startswith("Overall 15 pairs: exact 40.0%, board 60.0%, unknown 6.7%; 2 ")
               for line in lines), lines
    free = next(line for line in lines if line.startswith("free "))
    assert free.split() == ["free", "5", "1", "0", "1"]
    worst = [line.split() for line in lines if line.startswith("!! ")]
    assert worst == [["!!", "ZZE", "e-visa", "visa_free", "(90", "days)", "AREA#annex-free"],
                     ["!!", "UTO", "visa", "required", "visa_on_arrival", "(15", "days)",
                      "ZZD#default-on-arrival"]]
    assert "  ? admit unknown for 1: ZZD" in lines
    assert "Not compared, no rule file: RKS." in lines


def test_on_changes_the_answer() -> None:
    result = runner.invoke(app, [*BASE[:-1], "2019-06-01", "--json"])
    assert result.exit_code == 0, result.output
    uto = next(d for d in json.loads(result.stdout)["destinations"] if d["code"] == "UTO")
    zzc = next(p for p in uto["disagreements"] if p["passport"] == "ZZC")
    assert (zzc["kind"], zzc["admit"]["rule"]) == ("worst", "UTO#union")


def test_json_and_destination_filter() -> None:
    result = runner.invoke(app, [*BASE, "--json", "--destination", "zzb",
                                 "--destination", "ZZD"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert [d["code"] for d in found["destinations"]] == ["ZZB", "ZZD"]
    assert found["overall"]["pairs"] == 5
    assert found["overall"]["admit_boards_matrix_needs_authorization"] == 1


def test_explanations_are_shown_and_file_text_is_printed_literally(tmp_path: Path) -> None:
    notes = tmp_path / "notes.yaml"
    notes.write_text("- destination: ZZD\n  passports: [UTO]\n  reason: condition-not-flattened"
                     "\n  note: Boards on arrival [bold]only[/bold] with a return ticket.\n",
                     encoding="utf-8")
    result = runner.invoke(app, [*BASE, "--explanations", str(notes)])
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if line.startswith("!!  UTO"))
    assert row.endswith("condition-not-flattened: Boards on arrival [bold]only[/bold] with a "
                        "return ticket.")
    zzd = next(line for line in result.stdout.splitlines() if line.startswith("ZZD "))
    assert zzd.split()[-1] == "1"  # worst; nothing left unexplained


def _bad(args: list[str]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return " ".join(result.stderr.split())


def test_bad_matrix_rows_exit_two(tmp_path: Path) -> None:
    matrix = tmp_path / "m.csv"
    matrix.write_text("Passport,Destination,Requirement\nZZA,UTO,eta\nZZB,UTO,[red]x\n",
                      encoding="utf-8")
    message = _bad(["rules", "compare", str(matrix), "--rules", str(FIXTURE)])
    assert "row 3, Requirement: expected a number of days (7-360)" in message
    assert "(got '[red]x')" in message
    matrix.write_text("Passport,Destination,Requirement\nQQQ,UTO,eta\n", encoding="utf-8")
    message = _bad(["rules", "compare", str(matrix), "--rules", str(FIXTURE)])
    assert "row 2, Passport: not a country code (got 'QQQ')" in message
    matrix.write_text("passport;destination;requirement\n", encoding="utf-8")
    message = _bad(["rules", "compare", str(matrix), "--rules", str(FIXTURE)])
    assert "row 1 (header): expected the columns Passport, Destination, Requirement" in message


@pytest.mark.parametrize(("args", "message"), [
    (["rules", "compare", "/nowhere/m.csv"], "cannot read '/nowhere/m.csv'"),
    ([*BASE[:-1], "June"], "--on: not a date (got 'June')"),
    ([*BASE[:-1], "3000-01-01"], "--on: must be between 1900-01-01 and 2999-12-31"),
    ([*BASE, "--destination", "QQQ"], "--destination: no rule file countries/QQQ.yaml "
                                      "(got 'QQQ')"),
    (["rules", "compare", str(MATRIX), "--rules", "/nowhere/at/all"], "no such data directory"),
    ([*BASE, "--explanations", "/nowhere/notes.yaml"], "cannot read '/nowhere/notes.yaml'"),
])
def test_bad_options_exit_two(args: list[str], message: str) -> None:
    assert message in _bad(args)


def test_bad_explanations_name_the_line_and_value(tmp_path: Path) -> None:
    notes = tmp_path / "notes.yaml"
    notes.write_text("- destination: ZZD\n  passports: all\n  reason: guess\n  note: x\n",
                     encoding="utf-8")
    message = _bad([*BASE, "--explanations", str(notes)])
    assert f"--explanations: {notes}:3: [0].reason: expected one of admit-newer" in message
    assert "got 'guess'" in message
