"""Reading and writing manifests without losing a passenger: malformed CSV lines are bad rows
(by line number, without their text), the rest read as Polars reads them; a damaged Parquet
file fails naming the first row it cannot read; an output appears only when complete; no
error quotes a name or a document number."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from admit.batch.columns import ROW
from admit.batch.csvblocks import open_csv
from admit.batch.paxlst import read_paxlst
from admit.batch.readers import open_manifest
from admit.batch.screen import screen_file
from admit.batch.writers import write_batches
from admit.errors import InputError
from admit.rules import load_rules
from tests.unit.test_engine import FIXTURE

RULES = load_rules(FIXTURE)
HEADER = b"ref,nationality,expires,leg1_from,leg1_to,leg1_date\n"
NAME, NUMBER = "SMITH JOHN", "X1234567"  # a passenger's data: never in an error
GOOD = [f"R{i},ZZA,2030-01-{1 + i % 28:02d},ZZB,UTO,2023-02-27".encode() for i in range(12)]
# Malformed lines, and how each is reported (after `line N: `).
MALFORMED = {
    "extra field": (f'R,ZZA,2030-01-01,ZZB,UTO,2023-02-27,"{NAME}",{NUMBER}'.encode(),
                    "8 fields, but the header has 6"),
    "unclosed quote": (f'R,"{NAME},2030-01-01,ZZB,UTO,2023-02-27'.encode(),
                       "a quote opened in nationality is not closed on this line"),
    "invalid UTF-8": (f"R,ZZA,2030-01-01,ZZB,UTO,2023-02-27,{NAME}\xe9".encode("latin-1"),
                      "not UTF-8 text (byte 47 of the line)"),
    "text after a quote": (f'R,"{NAME}"{NUMBER},2030-01-01,ZZB,UTO,2023-02-27'.encode(),
                           "not CSV: text after the closing quote of a cell"),
}


def read(path: Path, batch_size: int) -> tuple[pl.DataFrame, list[tuple[int, str]]]:
    frames: list[pl.DataFrame] = []
    errors: list[tuple[int, str]] = []
    for frame, unread in open_manifest(path).batches(batch_size):
        frames.append(frame)
        errors.extend((number, str(error)) for number, error in unread)
    return pl.concat(frames), errors


def polars_read(data: bytes) -> pl.DataFrame:
    """What Polars itself makes of a clean file, numbered as screening numbers rows."""
    return pl.read_csv(data, infer_schema=False).with_row_index(ROW, offset=1).with_columns(
        pl.col(ROW).cast(pl.Int64))


@pytest.mark.parametrize("batch_size", [1, 2, 5, 1000])
def test_a_clean_file_reads_as_polars_reads_it_whatever_the_blocks(tmp_path: Path,
                                                                   batch_size: int) -> None:
    lines = [*GOOD[:3], b'"R,3",ZZA,,ZZB,UTO,2023-02-27', b"", b"R5,ZZA", b"   ",
             b'R7,"ZZA",2030-01-01,ZZB,UTO,"2023-02-27"\r', *GOOD[8:]]
    data = HEADER + b"\n".join(lines)  # no line break after the last line
    path = tmp_path / "m.csv"
    path.write_bytes(data)
    frame, errors = read(path, batch_size)
    assert errors == []
    assert frame.equals(polars_read(data))
    assert frame.height == len(lines)  # a blank line is a row (of missing cells), as in Polars


@pytest.mark.parametrize("kind", sorted(MALFORMED))
@pytest.mark.parametrize("batch_size", [1, 4, 1000])
def test_a_malformed_line_is_one_bad_row_and_the_others_read_as_polars_would(
        tmp_path: Path, kind: str, batch_size: int) -> None:
    line, reason = MALFORMED[kind]
    path = tmp_path / "m.csv"
    path.write_bytes(HEADER + b"\n".join([*GOOD[:5], line, *GOOD[5:]]) + b"\n")
    frame, errors = read(path, batch_size)
    assert errors == [(6, f"line 7: {reason}")]
    clean = polars_read(HEADER + b"\n".join(GOOD) + b"\n")
    expected = clean.with_columns(pl.when(pl.col(ROW) > 5).then(pl.col(ROW) + 1)
                                  .otherwise(pl.col(ROW)).alias(ROW))
    assert frame.equals(expected)
    assert NAME not in errors[0][1] and NUMBER not in errors[0][1]


def test_every_line_malformed_reads_no_row_and_reports_each(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(HEADER + b"\n".join(line for line, _ in MALFORMED.values()))
    frame, errors = read(path, 2)
    assert frame.height == 0
    assert [number for number, _ in errors] == [1, 2, 3, 4]


def test_a_quoted_line_break_costs_the_line_that_opens_it(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(HEADER + b'R0,"ZZA\nZZB",2030-01-01,ZZB,UTO,2023-02-27\n' + GOOD[1] + b"\n")
    frame, errors = read(path, 1000)
    assert errors == [(1, "line 2: a quote opened in nationality is not closed on this line")]
    # The next line is a row of its own (which the row checks then judge), and row numbers
    # stay line numbers minus the header.
    assert frame.get_column(ROW).to_list() == [2, 3]
    assert frame.get_column("ref").to_list() == ['ZZB"', "R1"]


def test_a_quote_inside_a_cell_that_polars_refuses_is_read_by_the_csv_module(
        tmp_path: Path) -> None:
    # Polars refuses `R"1` (one quote, not opening the cell); the csv module reads it as it
    # stands, and no line is lost to it, nor to a bad line beside it.
    path = tmp_path / "m.csv"
    path.write_bytes(HEADER + b"\n".join([GOOD[0], b'R"1,ZZA,,ZZB,UTO,2023-02-27',
                                          MALFORMED["extra field"][0], GOOD[3]]) + b"\n")
    frame, errors = read(path, 1000)
    assert [number for number, _ in errors] == [3]
    assert frame.get_column("ref").to_list() == ["R0", 'R"1', "R3"]
    assert frame.get_column("expires").to_list() == ["2030-01-01", None, "2030-01-04"]


def test_a_line_longer_than_a_block_is_read_whole(tmp_path: Path) -> None:
    long = b"R0,ZZA,2030-01-01,ZZB,UTO,2023-02-27" + b" " * 5000
    path = tmp_path / "m.csv"
    path.write_bytes(HEADER + b"\n".join([long, GOOD[1], long]) + b"\n")
    frame, errors = read(path, 1)
    assert errors == []
    assert frame.get_column("ref").to_list() == ["R0", "R1", "R0"]


def test_the_header_may_start_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(b"\xef\xbb\xbf" + HEADER + GOOD[0] + b"\n")
    assert open_csv(path).names[0] == "ref"


@pytest.mark.parametrize(("data", "message"), [
    (b"", "the file is empty"),
    (b"ref,\xff\n", "the header line is not UTF-8 text"),
    (b'ref,"nationality\n', "the header line is not CSV"),
    (b"ref,ref,nationality\n", "columns: is in the header twice (got 'ref')"),
    (b"row,nationality\n", "columns: is the name of the row number screening adds"),
])
def test_a_header_that_cannot_be_read_is_an_input_error(tmp_path: Path, data: bytes,
                                                        message: str) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(data)
    with pytest.raises(InputError, match=re.escape(message)):
        open_manifest(path)


def test_a_file_without_a_header_does_not_show_its_first_passenger(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(f"A1,ZZA,{NAME},{NUMBER},ZZB,UTO,2023-02-27\n")
    with pytest.raises(InputError) as error:
        open_manifest(path)
    assert "leg1_from" in str(error.value)
    assert NAME not in str(error.value) and NUMBER not in str(error.value)
    path.write_text(f"nationality,leg1_from,leg1_to,leg1_date,{NAME}\n")
    with pytest.raises(InputError, match="unknown column") as error:
        open_manifest(path)
    assert "column 5" in str(error.value) and NAME not in str(error.value)


def damaged_parquet(path: Path, rows: int = 10_000) -> None:
    """A Parquet file of `rows` passengers in row groups of 1,000, with 256 bytes overwritten
    in its middle, where Polars then fails to read a page (not every overwrite does: some
    only change values)."""
    pl.DataFrame({"ref": [f"{NAME} {i}" for i in range(rows)], "nationality": ["ZZA"] * rows,
                  "expires": [NUMBER] * rows, "leg1_from": ["ZZB"] * rows,
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


def test_a_damaged_parquet_file_fails_naming_the_first_row_it_cannot_read(
        tmp_path: Path) -> None:
    path = tmp_path / "m.parquet"
    damaged_parquet(path)
    manifest = open_manifest(path)
    read_rows = 0
    with pytest.raises(InputError) as error:
        for frame, _ in manifest.batches(2500):
            read_rows += frame.height
    message = str(error.value)
    assert "lies in a damaged part of the file" in message
    first = int(message.split("row ")[1].split(" ")[0].replace(",", ""))
    assert read_rows < first <= 10_000
    # Every row before it reads; the row itself does not.
    rows = pl.scan_parquet(path)
    assert rows.slice(0, first - 1).collect().height == first - 1
    with pytest.raises(pl.exceptions.PolarsError):
        rows.slice(first - 1, 1).collect()
    assert NAME not in message and NUMBER not in message


SCHEMA = pl.Schema({"row": pl.Int64(), "status": pl.String()})


def two_batches_then(error: BaseException) -> Iterator[pl.DataFrame]:
    yield pl.DataFrame({"row": [1], "status": ["admissible"]}, schema=SCHEMA)
    yield pl.DataFrame({"row": [2], "status": ["unknown"]}, schema=SCHEMA)
    raise error


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_a_failed_run_leaves_no_output_and_an_older_file_as_it_was(tmp_path: Path,
                                                                   fmt: str) -> None:
    target = tmp_path / f"out.{fmt}"
    with pytest.raises(InputError, match="damaged"):
        write_batches(str(target), fmt, SCHEMA,
                      two_batches_then(InputError("FILE", "m.parquet", "damaged")))
    assert list(tmp_path.iterdir()) == []
    target.write_text("the last run's decisions")
    with pytest.raises(KeyboardInterrupt):
        write_batches(str(target), fmt, SCHEMA, two_batches_then(KeyboardInterrupt()))
    assert list(tmp_path.iterdir()) == [target]
    assert target.read_text() == "the last run's decisions"


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_complete_run_replaces_the_file_with_the_usual_mode(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"out.{fmt}"
    batches = [pl.DataFrame({"row": [1], "status": ["admissible"]}, schema=SCHEMA)]
    mask = os.umask(0o022)
    try:
        write_batches(str(target), fmt, SCHEMA, iter(batches))
    finally:
        os.umask(mask)
    assert list(tmp_path.iterdir()) == [target]
    assert target.stat().st_mode & 0o777 == 0o644
    read_back = pl.read_csv(target) if fmt == "csv" else pl.read_parquet(target)
    assert read_back.get_column("status").to_list() == ["admissible"]


def test_an_output_that_cannot_be_written_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder"):
        write_batches(str(tmp_path), "csv", SCHEMA, iter([]))
    with pytest.raises(InputError, match="cannot write"):
        write_batches(str(tmp_path / "none" / "out.csv"), "csv", SCHEMA, iter([]))


@pytest.mark.parametrize("data", [
    # A segment terminator lost after a name: the name is read as the next segment's tag.
    f"UNH+1+PAXLST:D'NAD+FL+++X'{NAME}+{NUMBER}'UNT+3+1'".encode(),
    f"UNH+1+PAXLST:D'NAD+FL+++X'DOC+P+{NUMBER}?".encode(),
    f"UNA:+.? 'UNH+1+PAXLST'NAD+FL+++{NAME}?\n{NUMBER}'".encode(),
])
def test_a_broken_paxlst_message_does_not_quote_its_people(data: bytes) -> None:
    with pytest.raises(InputError) as error:
        read_paxlst(data, {})
    assert str(error.value).startswith("PAXLST: not EDIFACT")
    assert NAME not in str(error.value) and NUMBER not in str(error.value)


@pytest.mark.parametrize("engine", ["vectorised", "rows"])
def test_a_refused_cell_is_quoted_only_when_it_has_its_columns_shape(tmp_path: Path,
                                                                      engine: str) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(HEADER + b"\n".join([
        f"R1,{NAME},2030-01-01,ZZB,UTO,2023-02-27".encode(),  # another column's data slipped in
        f"R2,ZZA,{NUMBER},ZZB,UTO,2023-02-27".encode(),
        b"R3,ZZA,2030-01-01,ZZB,P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<,2023-02-27",
        b"R4,ZZQ,2030-01-01,ZZB,UTO,2023-02-27",  # typos: quoted, to be found and fixed
        b"R5,ZZA,2030-01-01,ZZB,UTO,2023-02-30",
    ]) + b"\n")
    summary = screen_file(path, str(tmp_path / "out.csv"), "csv", RULES, engine=engine)
    withheld = "(got \"(cell withheld: not the shape of the column's values)\")"
    assert summary.errors == [
        (1, f"nationality: unknown country code (ICAO Doc 9303 codes, e.g. 'DEU') {withheld}"),
        (2, f"expires: not a date in the form YYYY-MM-DD {withheld}"),
        (3, f"leg1_to: unknown country code (ICAO Doc 9303 codes, e.g. 'DEU') {withheld}"),
        (4, "nationality: unknown country code (ICAO Doc 9303 codes, e.g. 'DEU') (got 'ZZQ')"),
        (5, "leg1_date: not a date (got '2023-02-30')")]


def test_a_parquet_column_without_a_text_form_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "m.parquet"
    pl.DataFrame({"nationality": [["ZZA"]], "leg1_from": ["ZZB"], "leg1_to": ["UTO"],
                  "leg1_date": ["2023-02-27"]}).write_parquet(path)
    with pytest.raises(InputError, match="columns: holds List"):
        open_manifest(path)
