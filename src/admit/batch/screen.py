"""Screening a manifest file end to end: read in batches, decide, write, count.

Why: `admit screen` and the benchmark need the same loop — stream batches from a reader through
a screener (vectorised, or the row-by-row reference) into a writer, report each bad row with
its number, keep going — and a summary at the end. Bad rows are left out (`skip`) or written
with status `error` and their message (`fail`); neither stops the run. A line the reader could
not read at all (a malformed CSV line) is a bad row too. The output file appears only when the
whole manifest has been screened (`admit.batch.writers`).
"""

from __future__ import annotations

import gc
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from admit.batch.cells import WHITESPACE
from admit.batch.columns import ERROR_STATUS, REF, ROW, output_columns, output_schema
from admit.batch.readers import Manifest, open_manifest
from admit.batch.reference import screen_rows
from admit.batch.vectorised import Screener
from admit.batch.writers import write_batches
from admit.errors import InputError
from admit.rules import Rules

BAD_ROWS = ("skip", "fail")
ENGINES = ("vectorised", "rows")
KEPT_ERRORS = 1000  # bad rows kept for the report; the rest are only counted
# Rows per batch: large enough that Polars' fixed cost per operation is spread thin (100,000-row
# batches took a quarter longer), small enough that a batch and its working columns stay well
# under the memory target.
BATCH_SIZE = 250_000


@dataclass(slots=True)
class Summary:
    """What a screening run did: rows read, their statuses, the bad rows."""

    rows: int = 0
    legs: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    boarded: int = 0
    bad_rows: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # the first KEPT_ERRORS
    seconds: float = 0.0
    keys: int = 0  # leg keys the vectorised screener decided (after merging holder classes)
    engine_calls: int = 0  # the vectorised screener's questions to the engine

    def add_errors(self, errors: list[tuple[int, InputError]]) -> None:
        self.bad_rows += len(errors)
        room = KEPT_ERRORS - len(self.errors)
        self.errors.extend((number, str(error)) for number, error in errors[:max(room, 0)])


def error_rows(raw: pl.DataFrame, errors: list[tuple[int, InputError]],
               legs: int) -> pl.DataFrame:
    """Output rows for bad rows under `--bad-rows fail`: status `error`, no boarding."""
    numbers = [number for number, _ in errors]
    refs = dict(raw.filter(pl.col(ROW).is_in(numbers)).select(
        ROW, pl.col(REF).str.strip_chars(WHITESPACE) if REF in raw.columns
        else pl.lit(None, pl.String)
    ).iter_rows())
    data: dict[str, list[Any]] = {name: [None] * len(errors) for name in output_columns(legs)}
    data[ROW] = numbers
    data[REF] = [refs.get(number) or None for number in numbers]
    data["board"] = [False] * len(errors)
    data["status"] = [ERROR_STATUS] * len(errors)
    data["codes"] = [""] * len(errors)
    data["error"] = [str(error) for _, error in errors]
    return pl.DataFrame(data, schema=output_schema(legs))


def _reference_batch(raw: pl.DataFrame, manifest: Manifest, rules: Rules, on: date | None
                     ) -> tuple[pl.DataFrame, list[tuple[int, InputError]]]:
    rows: list[dict[str, Any]] = []
    errors: list[tuple[int, InputError]] = []
    numbers = raw.get_column(ROW).to_list()
    records = raw.drop(ROW).iter_rows(named=True)
    for number, (out, error) in zip(numbers, screen_rows(records, manifest.legs, rules, on),
                                    strict=True):
        if error is None:
            rows.append(out | {ROW: number})
        else:
            errors.append((number, error))
    return pl.DataFrame(rows, schema=output_schema(manifest.legs)), errors


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while screening. The screener's Python parts
    (keys, cuts, engine calls) allocate many short-lived objects and make no reference
    cycles, and every collection would walk the rule set's objects too: about 4% of a cold
    run. Reference counting still frees everything; the collector resumes afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def screen_file(path: Path, output: str, output_format: str, rules: Rules, *,
                input_format: str | None = None, on: date | None = None,
                bad_rows: str = "skip", batch_size: int = BATCH_SIZE, engine: str = "vectorised",
                airports: dict[str, str] | None = None,
                progress: Callable[[int], None] | None = None) -> Summary:
    """Screen `path` into `output`; raises InputError only for a file that cannot be read (or
    an output that cannot be written), and then leaves no output file."""
    if bad_rows not in BAD_ROWS:
        raise InputError("--bad-rows", bad_rows, f"expected one of: {', '.join(BAD_ROWS)}")
    if engine not in ENGINES:
        raise InputError("--engine", engine, f"expected one of: {', '.join(ENGINES)}")
    if batch_size < 1:
        raise InputError("--batch-size", batch_size, "must be at least 1")
    manifest = open_manifest(path, input_format, airports)
    screener = Screener(rules, manifest.legs, on=on)
    summary = Summary(legs=manifest.legs)
    schema = output_schema(manifest.legs)
    start = time.perf_counter()

    def screened() -> Iterator[pl.DataFrame]:
        errors: list[tuple[int, InputError]]
        for raw, unread in manifest.batches(batch_size):
            if not raw.height:  # every line of the block was malformed
                out, errors = pl.DataFrame(schema=schema), []
            elif engine == "vectorised":
                out, errors = screener.screen(raw)
            else:
                out, errors = _reference_batch(raw, manifest, rules, on)
            if unread:  # rows the reader could not read are bad rows like any other
                errors = sorted(errors + unread, key=lambda error: error[0])
            summary.rows += raw.height + len(unread)
            summary.add_errors(errors)
            if errors and bad_rows == "fail":
                out = pl.concat([out.cast(schema), error_rows(raw, errors, manifest.legs)]
                                ).sort(ROW)
            for status, count in out.get_column("status").value_counts().iter_rows():
                summary.statuses[status] += count
            summary.boarded += int(out.get_column("board").sum())
            yield out
            if progress is not None:
                progress(raw.height + len(unread))

    with _collector_paused():
        write_batches(output, output_format, schema, screened())
    summary.seconds = time.perf_counter() - start
    summary.keys = screener.keys_seen
    summary.engine_calls = screener.engine_calls
    return summary
