"""Result writers: screened batches appended to CSV, JSON Lines or Parquet as they come.

Why: the output of a ten-million-row manifest must not be held in memory either. CSV and JSON
Lines are appended batch by batch; Parquet files cannot be appended to, so batches go to
Arrow IPC parts in a temporary directory and Polars streams them into one Parquet file at the
end (its streaming sink keeps memory bounded).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from types import TracebackType
from typing import IO

import polars as pl

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


class Writer:
    """Append batches to `target` (`-` is standard output, for CSV and JSON Lines)."""

    def __init__(self, target: str, fmt: str) -> None:
        if fmt == "parquet" and target == "-":
            raise InputError("--output", target, "Parquet needs a file, not standard output")
        self.target = target
        self.format = fmt
        self._handle: IO[bytes] | None = None
        self._parts: Path | None = None
        self._count = 0

    def __enter__(self) -> Writer:
        if self.format == "parquet":
            self._parts = Path(tempfile.mkdtemp(prefix="admit-screen-"))
        elif self.target == "-":
            self._handle = sys.stdout.buffer
        else:
            try:
                self._handle = open(self.target, "wb")  # closed in __exit__
            except OSError as exc:
                raise InputError("--output", self.target, f"cannot write: {exc.strerror}"
                                 ) from None
        return self

    def write(self, batch: pl.DataFrame) -> None:
        if self.format == "parquet":
            assert self._parts is not None
            batch.write_ipc(self._parts / f"{self._count:08d}.arrow")
        elif self.format == "csv":
            assert self._handle is not None
            batch.write_csv(self._handle, include_header=self._count == 0)
        else:
            assert self._handle is not None
            batch.write_ndjson(self._handle)
        self._count += 1

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        try:
            if self.format == "parquet" and self._parts is not None and kind is None:
                if self._count:
                    pl.scan_ipc(self._parts / "*.arrow").sink_parquet(self.target)
            elif self._handle is not None:
                self._handle.flush()
        finally:
            if self._parts is not None:
                shutil.rmtree(self._parts, ignore_errors=True)
            if self._handle is not None and self.target != "-":
                self._handle.close()
