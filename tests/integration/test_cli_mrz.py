from __future__ import annotations

import json

from typer.testing import CliRunner

from admit.cli import app

runner = CliRunner()
SPECIMEN = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
            "L898902C36UTO7408122F1204159ZE184226B<<<<<10\n")


def test_reads_stdin_and_prints_the_contract() -> None:
    result = runner.invoke(app, ["mrz", "-", "--on", "2026-11-24"], input=SPECIMEN)
    assert result.exit_code == 0
    out = json.loads(result.stdout)
    assert out["valid"] is True and out["format"] == "TD3"
    assert out["fields"]["document_number"] == "L898902C3"
    assert out["dates"]["expiry_date"] == "2012-04-15"


def test_an_invalid_mrz_still_exits_zero() -> None:
    result = runner.invoke(app, ["mrz", "-"], input=SPECIMEN.replace("<<<<<10", "<<<<<19"))
    assert result.exit_code == 0
    assert json.loads(result.stdout)["errors"][0]["code"] == "check_digit.composite"


def test_repair_option() -> None:
    result = runner.invoke(app, ["mrz", "-", "--repair"], input=SPECIMEN.replace("7408122",
                                                                                 "74O8I22"))
    out = json.loads(result.stdout)
    assert out["valid"] is True and len(out["corrected"]) == 2


def test_empty_input_exits_two_with_a_message() -> None:
    result = runner.invoke(app, ["mrz", "-"], input="\n\n")
    assert result.exit_code == 2
    assert "no MRZ lines" in result.stderr
    assert "Traceback" not in result.output


def test_bad_options_exit_two_naming_the_value() -> None:
    result = runner.invoke(app, ["mrz", "-", "--on", "2026-13-01"], input=SPECIMEN)
    assert result.exit_code == 2 and "2026-13-01" in result.stderr
    result = runner.invoke(app, ["mrz", "-", "--profile", "loose"], input=SPECIMEN)
    assert result.exit_code == 2 and "loose" in result.stderr


def test_missing_file_exits_two() -> None:
    result = runner.invoke(app, ["mrz", "/nonexistent/mrz.txt"])
    assert result.exit_code == 2 and "/nonexistent/mrz.txt" in result.stderr


def test_demo_runs() -> None:
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0 and "ERIKSSON" in result.stdout
