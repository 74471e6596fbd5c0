"""`admit screen` end to end: CSV, Parquet and PAXLST in; CSV, JSON Lines and Parquet out;
the summary and the bad rows on standard error; exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from admit.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
FIXTURE = str(ROOT / "fixtures" / "rules")
PAXLST = ROOT / "fixtures" / "paxlst"
MANIFEST = ("ref,nationality,document_type,expires,leg1_from,leg1_to,leg1_date,"
            "leg2_from,leg2_to,leg2_date,leg2_transit\n") + """\
A,ZZA,,2030-01-01,ZZB,UTO,2023-02-27,,,,
B,RUS,,2023-02-20,ZZA,UTO,2023-02-27,UTO,ZZB,2023-03-01,true
C,ZZQ,,2030-01-01,ZZA,UTO,2023-02-27,,,,
D,ZZA,passport,2030-01-01,ZZA,UTO,2023-02-29,,,,
"""


def write(tmp_path: Path) -> Path:
    path = tmp_path / "manifest.csv"
    path.write_text(MANIFEST)
    return path


def test_csv_to_jsonl_on_stdout_with_summary_on_stderr(tmp_path: Path) -> None:
    result = runner.invoke(app, ["screen", str(write(tmp_path)), "--format", "jsonl",
                                 "--rules", FIXTURE])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [(r["ref"], r["status"], r["board"]) for r in rows] == [
        ("A", "admissible", True), ("B", "inadmissible", False)]
    assert rows[1]["reason"] == "DOCUMENT_EXPIRED"
    assert "Screening summary" in result.stderr
    assert "row 3: nationality: unknown country code" in result.stderr
    assert "row 4: leg1_date: not a date (got '2023-02-29')" in result.stderr


def test_bad_rows_fail_keeps_them_with_status_error(tmp_path: Path) -> None:
    target = tmp_path / "out.parquet"
    result = runner.invoke(app, ["screen", str(write(tmp_path)), "-o", str(target),
                                 "--bad-rows", "fail", "--rules", FIXTURE])
    assert result.exit_code == 0, result.output
    out = pl.read_parquet(target)
    assert out.get_column("status").to_list() == ["admissible", "inadmissible", "error",
                                                  "error"]
    assert out.get_column("board").to_list() == [True, False, False, False]


def test_both_engines_write_the_same_csv(tmp_path: Path) -> None:
    source = write(tmp_path)
    outputs = []
    for engine in ("vectorised", "rows"):
        target = tmp_path / f"{engine}.csv"
        result = runner.invoke(app, ["screen", str(source), "-o", str(target), "--engine",
                                     engine, "--rules", FIXTURE])
        assert result.exit_code == 0, result.output
        outputs.append(target.read_text())
    assert outputs[0] == outputs[1]


def test_parquet_input(tmp_path: Path) -> None:
    source = tmp_path / "manifest.parquet"
    pl.read_csv(write(tmp_path), infer_schema=False).write_parquet(source)
    result = runner.invoke(app, ["screen", str(source), "--rules", FIXTURE])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].startswith("1,A,true,admissible,")


def test_paxlst_with_airports() -> None:
    result = runner.invoke(app, ["screen", str(PAXLST / "arrival.edi"), "--airports",
                                 str(PAXLST / "airports.csv")])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1].startswith("1,BOOK01,false,inadmissible,DOCUMENT_EXPIRED")
    assert "row 3: nationality: unknown country code" in result.stderr


def test_unreadable_input_exits_2_naming_the_problem(tmp_path: Path) -> None:
    result = runner.invoke(app, ["screen", str(PAXLST / "bad-count.edi"), "--airports",
                                 str(PAXLST / "airports.csv")])
    assert result.exit_code == 2
    assert "PAXLST segment 49 (CNT)" in result.stderr
    missing = runner.invoke(app, ["screen", str(tmp_path / "none.csv")])
    assert missing.exit_code == 2
    assert "no such file" in missing.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("nationality,leg1_to\nRUS,MNG\n")
    header = runner.invoke(app, ["screen", str(bad)])
    assert header.exit_code == 2
    assert "leg1_from" in header.stderr
