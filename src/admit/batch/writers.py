"""Result writers: screened batches written to CSV, JSON Lines or Parquet as they come.

Why: the output of a ten-million-row manifest must not be held in memory either. CSV and JSON
Lines are appended batch by batch. A Parquet file cannot be appended to, so the batches are
handed to Polars as a streaming source (`register_io_source`) and its streaming Parquet sink
pulls them one at a time, writing row groups as it goes: memory stays at a batch or two, and
nothing is written twice (an earlier version spilled Arrow IPC parts to disk and read them
back, which took longer than the screening).

A file is written under a temporary name in its own folder and renamed to its name only when
the last batch is in and on disk: a run that fails part way (a damaged input, a full disk, an
interrupt) leaves no output that looks complete, and an older file of that name as it was.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
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
    empty stream still writes the header (CSV) or the schema (Parquet). A file appears under
    its name only once it is complete."""
    if target == "-":
        if fmt == "parquet":
            raise InputError("--output", target, "Parquet needs a file, not standard output")
        _text(sys.stdout.buffer, fmt, schema, batches)
        sys.stdout.buffer.flush()
        return
    if os.path.isdir(target):
        raise InputError("--output", target, "is a folder, not a file")
    if os.path.exists(target) and not os.access(target, os.W_OK):
        # Renaming over it would work, but a file that may not be written is not replaced.
        raise InputError("--output", target, "cannot write: Permission denied")
    path = Path(target)
    try:  # a clear error before any work when the folder cannot be written
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                             suffix=".part")
    except OSError as exc:
        raise InputError("--output", target, f"cannot write: {exc.strerror}") from None
    failed: list[BaseException] = []  # what the batches themselves raised, if anything

    def watched() -> Iterator[pl.DataFrame]:
        try:
            yield from batches
        except GeneratorExit:
            raise
        except BaseException as exc:
            failed.append(exc)
            raise

    os.close(handle)
    try:
        os.chmod(temporary, _new_file_mode(path))
        if fmt == "parquet":
            _parquet(temporary, schema, watched())
            _fsync(temporary)
        else:
            with open(temporary, "wb") as stream:
                _text(stream, fmt, schema, watched())
                stream.flush()
                os.fsync(stream.fileno())
        os.replace(temporary, path)
    except (OSError, pl.exceptions.PolarsError) as exc:
        Path(temporary).unlink(missing_ok=True)
        if failed:  # the screening failed, not the writing
            raise
        reason = exc.strerror if isinstance(exc, OSError) else str(exc).splitlines()[0]
        raise InputError("--output", target, f"cannot write: {reason}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _new_file_mode(path: Path) -> int:
    """The mode `open` would give the file: an existing file's own, else 0o666 less the umask
    (a temporary file starts private)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _fsync(name: str) -> None:
    handle = os.open(name, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _sync_folder(folder: Path) -> None:
    """Put the rename on disk too (where the system lets a folder be opened)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


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

    register_io_source(source, schema=schema).sink_parquet(target)
