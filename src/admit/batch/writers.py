"""Result writers: screened batches written to CSV, JSON Lines or Parquet as they come.

Why: the output of a ten-million-row manifest must not be held in memory either. CSV and JSON
Lines are appended batch by batch. A Parquet file cannot be appended to, so the batches are
handed to Polars as a streaming source (`register_io_source`) and its streaming Parquet sink
pulls them one at a time, writing row groups as it goes: memory stays at a batch or two, and
nothing is written twice (an earlier version spilled Arrow IPC parts to disk and read them
back, which took longer than the screening).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

import polars as pl
from polars.io.plugins import register_io_source

from admit.errors import InputError

FORMATS = ("csv", "parquet", "jsonl")
_SUFFIXES = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".jsonl": "jsonl",
             ".ndjson": "jsonl"}


def output_format(target: str, given: str | None) -> str:
    if given is not None:
        if given not in FORMATS:
            raise InputError("--format", given, f"expected one of: {', '.join(FORMATS)}")
        return given
    if target == "-":
        return "csv"
    found = _SUFFIXES.get(Path(target).suffix.lower())
    if found is None:
        raise InputError("--output", target, "cannot tell the format from the file name; give "
                         f"--format ({', '.join(FORMATS)})")
    return found


def write_batches(target: str, fmt: str, schema: pl.Schema,
                  batches: Iterable[pl.DataFrame]) -> None:
    """Write every batch to `target` (`-` is standard output, for CSV and JSON Lines); an
    empty stream still writes the header (CSV) or the schema (Parquet)."""
    if fmt == "parquet":
        if target == "-":
            raise InputError("--output", target, "Parquet needs a file, not standard output")
        try:
            open(target, "wb").close()  # a clear error before any work, as for CSV
        except OSError as exc:
            raise InputError("--output", target, f"cannot write: {exc.strerror}") from None
        _parquet(target, schema, batches)
        return
    if target == "-":
        _text(sys.stdout.buffer, fmt, schema, batches)
        sys.stdout.buffer.flush()
        return
    try:
        handle = open(target, "wb")  # noqa: SIM115 - closed below, after the last batch
    except OSError as exc:
        raise InputError("--output", target, f"cannot write: {exc.strerror}") from None
    with handle:
        _text(handle, fmt, schema, batches)


def _text(handle: IO[bytes], fmt: str, schema: pl.Schema,
          batches: Iterable[pl.DataFrame]) -> None:
    count = 0
    for batch in batches:
        if fmt == "csv":
            batch.write_csv(handle, include_header=count == 0)
        else:
            batch.write_ndjson(handle)
        count += 1
    if not count and fmt == "csv":
        pl.DataFrame(schema=schema).write_csv(handle)


def _parquet(target: str, schema: pl.Schema, batches: Iterable[pl.DataFrame]) -> None:
    def stream() -> Iterator[pl.DataFrame]:
        empty = True
        for batch in batches:
            empty = False
            yield batch
        if empty:
            yield pl.DataFrame(schema=schema)

    def source(with_columns: list[str] | None, predicate: pl.Expr | None,
               n_rows: int | None, batch_size: int | None) -> Iterator[pl.DataFrame]:
        return stream()

    try:
        register_io_source(source, schema=schema).sink_parquet(target)
    except BaseException:
        Path(target).unlink(missing_ok=True)  # no half-written file under the right name
        raise
