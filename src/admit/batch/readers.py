"""Manifest readers: CSV, Parquet and PAXLST files as a stream of text batches.

Why: a manifest can be larger than memory (a day of a hub's departures, or a benchmark's ten
million rows), so every reader yields batches of at most `batch_size` rows, each carrying its
input row numbers, through Polars' streaming scans. Cells arrive as text so that one set of
checks (`admit.batch.validate`) judges every format alike; typed Parquet columns (dates,
booleans) are turned into their ISO text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from admit.batch.columns import ROW, leg_count
from admit.errors import InputError

FORMATS = ("csv", "parquet", "paxlst")
_SUFFIXES = {".csv": "csv", ".txt": "csv", ".parquet": "parquet", ".pq": "parquet",
             ".edi": "paxlst", ".paxlst": "paxlst", ".edifact": "paxlst"}


@dataclass(frozen=True, slots=True)
class Manifest:
    """An opened manifest: its legs per row and a way to stream it in batches."""

    path: Path
    format: str
    legs: int
    frame: pl.LazyFrame

    def batches(self, batch_size: int) -> Iterator[pl.DataFrame]:
        for batch in self.frame.collect_batches(chunk_size=batch_size):
            if batch.height:
                yield batch


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
    if kind == "paxlst":
        from admit.batch.paxlst import read_paxlst  # deferred: only PAXLST input needs it

        frame = read_paxlst(path.read_bytes(), airports or {})
        return Manifest(path, kind, leg_count(frame.columns),
                        frame.with_row_index(ROW, offset=1)
                        .with_columns(pl.col(ROW).cast(pl.Int64)).lazy())
    try:
        if kind == "csv":
            lazy = pl.scan_csv(path, infer_schema=False, row_index_name=ROW, row_index_offset=1)
        else:
            lazy = pl.scan_parquet(path, row_index_name=ROW, row_index_offset=1)
        schema = lazy.collect_schema()
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise InputError("FILE", str(path), f"cannot be read as {kind}: "
                         f"{str(exc).splitlines()[0]}") from None
    names = [name for name in schema.names() if name != ROW]
    legs = leg_count(names)
    texts = [pl.col(ROW).cast(pl.Int64)]
    for name in names:
        dtype = schema[name]
        column = pl.col(name)
        texts.append(column if dtype == pl.String else column.cast(pl.String))
    return Manifest(path, kind, legs, lazy.select(texts))
