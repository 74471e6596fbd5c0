"""Manifest readers: CSV, Parquet and PAXLST files as a stream of text batches.

Why: a manifest can be larger than memory (a day of a hub's departures, or a benchmark's ten
million rows), so every reader yields batches of about `batch_size` rows, each carrying its
input row numbers. Cells arrive as text so that one set of checks (`admit.batch.validate`)
judges every format alike; typed Parquet columns (dates, booleans) are turned into their ISO
text. Each batch also carries the rows that could not be read at all (a malformed CSV line,
`admit.batch.csvblocks`), so that they are reported as bad rows, never dropped. A Parquet file
that breaks off (a damaged page) cannot be resumed row by row: it fails the run with the first
row that cannot be read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from admit.batch.columns import ROW, leg_count
from admit.batch.csvblocks import Errors, open_csv
from admit.errors import InputError

FORMATS = ("csv", "parquet", "paxlst")
_SUFFIXES = {".csv": "csv", ".txt": "csv", ".parquet": "parquet", ".pq": "parquet",
             ".edi": "paxlst", ".paxlst": "paxlst", ".edifact": "paxlst"}
# What Polars raises on a file it cannot read; a panic is not an Exception.
_READ_ERRORS = (pl.exceptions.PolarsError, pl.exceptions.PanicException, OSError)
# Column types whose values have a text form; a nested column (list, struct) does not.
_NESTED = (pl.List, pl.Array, pl.Struct, pl.Object)

Batch = tuple[pl.DataFrame, Errors]  # the rows read (text, with `row`), and the rows not read


@dataclass(frozen=True, slots=True)
class Manifest:
    """An opened manifest: its legs per row and a way to stream it in batches."""

    path: Path
    format: str
    legs: int
    read: Callable[[int], Iterator[Batch]]

    def batches(self, batch_size: int) -> Iterator[Batch]:
        for frame, unread in self.read(batch_size):
            if frame.height or unread:
                yield frame, unread


def input_format(path: Path, given: str | None) -> str:
    if given is not None:
        if given not in FORMATS:
            raise InputError("--input-format", given, f"expected one of: {', '.join(FORMATS)}")
        return given
    found = _SUFFIXES.get(path.suffix.lower())
    if found is None:
        raise InputError("FILE", str(path), "cannot tell the format from the file name; give "
                         f"--input-format ({', '.join(FORMATS)})")
    return found


def open_manifest(path: Path, fmt: str | None = None,
                  airports: dict[str, str] | None = None) -> Manifest:
    """Open a manifest for streaming; raises InputError for a file that cannot be read."""
    kind = input_format(path, fmt)
    if not path.is_file():
        raise InputError("FILE", str(path), "no such file")
    if kind == "csv":
        csv = open_csv(path)
        return Manifest(path, kind, leg_count(csv.names), csv.batches)
    if kind == "paxlst":
        return _paxlst(path, airports or {})
    return _parquet(path)


def _paxlst(path: Path, airports: dict[str, str]) -> Manifest:
    from admit.batch.paxlst import read_paxlst  # deferred: only PAXLST input needs it

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError("FILE", str(path), f"cannot be read: {exc.strerror}") from None
    frame = read_paxlst(data, airports)
    legs = leg_count(frame.columns)
    numbered = frame.with_row_index(ROW, offset=1).with_columns(pl.col(ROW).cast(pl.Int64))

    def read(batch_size: int) -> Iterator[Batch]:
        for batch in numbered.iter_slices(batch_size):
            yield batch, []

    return Manifest(path, "paxlst", legs, read)


def _parquet(path: Path) -> Manifest:
    try:
        lazy = pl.scan_parquet(path, row_index_name=ROW, row_index_offset=1)
        schema = lazy.collect_schema()
    except _READ_ERRORS as exc:
        raise InputError("FILE", str(path), "cannot be read as parquet: "
                         f"{str(exc).splitlines()[0]}") from None
    names = [name for name in schema.names() if name != ROW]
    legs = leg_count(names)
    texts = [pl.col(ROW).cast(pl.Int64)]
    for name in names:
        dtype = schema[name]
        if isinstance(dtype, _NESTED):
            raise InputError("columns", name, f"holds {dtype} values, not text")
        texts.append(pl.col(name) if dtype == pl.String else pl.col(name).cast(pl.String))
    frame = lazy.select(texts)

    def read(batch_size: int) -> Iterator[Batch]:
        done = 0
        try:
            for batch in frame.collect_batches(chunk_size=batch_size):
                done += batch.height
                yield batch, []
        except _READ_ERRORS:
            # Polars' message may quote the data: the first row it cannot read says where.
            first = _first_unreadable(frame, done, batch_size)
            where = (f"row {first:,} lies" if first is not None
                     else f"a row after row {done:,} lies")
            raise InputError("FILE", str(path), f"cannot be read as parquet: {where} in a "
                             "damaged part of the file") from None

    return Manifest(path, "parquet", legs, read)


def _first_unreadable(frame: pl.LazyFrame, start: int, span: int) -> int | None:
    """The number of the first row after the first `start` that Polars cannot read: a slice
    from `start` doubled until it fails, then halved. None if every row reads after all."""
    low, high = 0, max(span, 1)  # `low` rows from `start` read; `high` rows do not
    while (read := _rows_read(frame, start, high)) is not None:
        if read < high:
            return None  # the slice reached the end, and everything read
        low, high = high, high * 2
    while high - low > 1:
        middle = (low + high) // 2
        if _rows_read(frame, start, middle) is None:
            high = middle
        else:
            low = middle
    return start + high


def _rows_read(frame: pl.LazyFrame, start: int, rows: int) -> int | None:
    """How many of `rows` rows from `start` Polars reads, or None when it cannot."""
    try:
        return frame.slice(start, rows).collect().height
    except _READ_ERRORS:
        return None
