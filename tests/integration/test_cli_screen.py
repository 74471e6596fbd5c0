"""`admit screen` end to end: CSV, Parquet and PAXLST in; CSV, JSON Lines and Parquet out;
the summary and the bad rows on standard error; exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl
import pytest
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


NAME, NUMBER = "SMITH JOHN", "X1234567"  # a passenger's data: never in an error
MALFORMED = {  # a malformed line, and how its row is reported
    "extra field": (f"B,ZZA,,2030-01-01,ZZB,UTO,2023-02-27,,,,,{NAME},{NUMBER}".encode(),
                    "row 2: line 3: 13 fields, but the header has 11"),
    "unclosed quote": (f'B,"{NAME} {NUMBER},,2030-01-01,ZZB,UTO,2023-02-27,,,,'.encode(),
                       "row 2: line 3: a quote opened in nationality is not closed on this "
                       "line"),
    "invalid UTF-8": (f"B,ZZA,,2030-01-01,ZZB,UTO,2023-02-27,,,,{NAME}\xe9{NUMBER}"
                      .encode("latin-1"), "row 2: line 3: not UTF-8 text (byte 51 of the line)"),
}


@pytest.mark.parametrize("engine", ["vectorised", "rows"])
@pytest.mark.parametrize("mode", ["skip", "fail"])
@pytest.mark.parametrize("kind", sorted(MALFORMED))
def test_a_malformed_line_is_a_bad_row_and_every_other_row_is_decided(
        tmp_path: Path, kind: str, mode: str, engine: str) -> None:
    line, report = MALFORMED[kind]
    lines = MANIFEST.encode().splitlines()
    source = tmp_path / "manifest.csv"
    source.write_bytes(b"\n".join([*lines[:2], line, *lines[2:]]) + b"\n")
    target = tmp_path / "out.csv"
    result = runner.invoke(app, ["screen", str(source), "-o", str(target), "--bad-rows", mode,
                                 "--engine", engine, "--rules", FIXTURE])
    assert result.exit_code == 0, result.output
    assert report in result.stderr
    out = pl.read_csv(target, infer_schema=False)
    assert out.get_column("row").to_list() == (["1", "2", "3", "4", "5"] if mode == "fail"
                                               else ["1", "3"])
    assert out.get_column("ref").to_list()[:3] == (["A", None, "B"] if mode == "fail"
                                                   else ["A", "B"])
    if mode == "fail":
        assert out.row(1, named=True)["status"] == "error"
        assert out.row(1, named=True)["error"] == report.removeprefix("row 2: ")
    assert re.search(r"rows read\s*│\s*5 ", result.stderr)
    for text in (result.stdout, result.stderr, target.read_text()):
        assert NAME not in text and NUMBER not in text


def damaged_parquet(path: Path) -> None:
    """10,000 passengers in row groups of 1,000, with a page in the middle overwritten."""
    rows = 10_000
    pl.DataFrame({"ref": [f"{NAME} {i}" for i in range(rows)], "nationality": ["ZZA"] * rows,
                  "expires": ["2030-01-01"] * rows, "leg1_from": ["ZZB"] * rows,
                  "leg1_to": ["UTO"] * rows, "leg1_date": ["2023-02-27"] * rows},
                 ).write_parquet(path, row_group_size=1000)
    clean = path.read_bytes()
    for share in (0.3, 0.25, 0.36, 0.45, 0.55):
        data = bytearray(clean)
        at = int(len(data) * share)
        data[at:at + 256] = b"\xff" * 256
        path.write_bytes(bytes(data))
        try:
            pl.read_parquet(path)
        except pl.exceptions.PolarsError:
            return
    raise AssertionError("no overwrite made the file unreadable")


@pytest.mark.parametrize("suffix", ["csv", "parquet", "jsonl"])
def test_a_damaged_parquet_file_exits_2_and_leaves_no_output(tmp_path: Path,
                                                              suffix: str) -> None:
    source = tmp_path / "in" / "manifest.parquet"
    source.parent.mkdir()
    damaged_parquet(source)
    out = tmp_path / "out"
    out.mkdir()
    target = out / f"decisions.{suffix}"
    result = runner.invoke(app, ["screen", str(source), "-o", str(target), "--batch-size",
                                 "1000", "--rules", FIXTURE])
    assert result.exit_code == 2, result.output
    assert "lies in a damaged part of the file" in result.stderr
    assert "Traceback" not in result.output
    assert list(out.iterdir()) == []  # neither the output nor a part of it
    assert NAME not in result.output


def test_no_error_quotes_a_name_or_a_document_number(tmp_path: Path) -> None:
    headerless = tmp_path / "manifest.csv"
    headerless.write_text(f"A,ZZA,{NAME},{NUMBER},ZZB,UTO,2023-02-27\n")
    broken = tmp_path / "flight.edi"
    broken.write_text(f"UNH+1+PAXLST:D'NAD+FL+++X'{NAME}+{NUMBER}'UNT+3+1'")
    for source in (headerless, broken):
        result = runner.invoke(app, ["screen", str(source), "--rules", FIXTURE])
        assert result.exit_code == 2, result.output
        assert "error:" in result.stderr
        assert NAME not in result.output and NUMBER not in result.output
