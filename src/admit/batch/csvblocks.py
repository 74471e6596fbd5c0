"""CSV manifests read in blocks of whole lines, so that a malformed line costs one row.

Why: Polars reads clean CSV fast, but it refuses a whole file for one malformed line — a field
too many, a quote that is never closed, bytes that are not UTF-8 — and its message quotes the
line, which is a passenger's data. A manifest must lose neither its other passengers nor its
privacy to one bad line. So the file is cut into blocks of whole lines, about a batch each;
Polars reads every block it accepts, exactly as its own scan would, and a block it refuses is
read again line by line with Python's csv module: each line that cannot be read is one bad row,
reported by its line number and what is wrong with it (never its content), and every other line
is the row Polars would have made of it. A clean file pays only for finding the last line break
of each block.

One line is one row: a quoted cell may hold commas and doubled quotes but not a line break (no
manifest column holds one). So row N is always line N + 1, and a quote left open cannot swallow
the passengers after it. A block whose rows Polars counts differently from its lines (a quoted
line break) is read line by line too, and the lines of such a cell are bad rows.
"""

from __future__ import annotations

import codecs
import csv
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from admit.batch.columns import ROW, shown
from admit.errors import InputError

Errors = list[tuple[int, InputError]]
# The first block is sized by the header's length (data lines are about as long) and at most
# this many bytes; later blocks by the lines read so far.
FIRST_BLOCK = 1 << 24
MAX_HEADER = 1 << 20  # a first line longer than this is not a manifest's header
HEADER_LINES = 1  # row N is line N + HEADER_LINES
# What Polars raises on text it cannot read; a panic is not an Exception.
_REFUSED = (pl.exceptions.PolarsError, pl.exceptions.PanicException)
_UNCLOSED = "unexpected end of data"  # the csv module's word for a quote left open
_CSV_FAULTS = {"',' expected after '\"'": "text after the closing quote of a cell",
               "new-line character seen in unquoted field": "a carriage return inside the line"}


class LineError(InputError):
    """A line that cannot be read as a row: named by its number and what is wrong, never by
    its text, which holds a passenger's data."""

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


@dataclass(frozen=True, slots=True)
class CsvManifest:
    """A CSV manifest's header, and where its first row starts."""

    path: Path
    names: tuple[str, ...]
    offset: int  # bytes before the first row: a byte order mark and the header line

    def batches(self, batch_size: int) -> Iterator[tuple[pl.DataFrame, Errors]]:
        """About `batch_size` rows at a time (a block of whole lines): the rows that could be
        read, with `row`, and the numbers and errors of the lines that could not."""
        schema = pl.Schema(dict.fromkeys(self.names, pl.String()))
        row = 1
        size = min(batch_size * max(self.offset, 1), FIRST_BLOCK)  # bytes per block
        try:
            with self.path.open("rb") as handle:
                handle.seek(self.offset)
                while block := handle.read(size):
                    if len(block) == size:  # not the end: the block ends at its last line break
                        cut = block.rfind(b"\n") + 1
                        if not cut:  # a line longer than the block: read it whole
                            handle.seek(-len(block), os.SEEK_CUR)
                            size *= 2
                            continue
                        if cut < len(block):
                            handle.seek(cut - len(block), os.SEEK_CUR)
                            block = block[:cut]
                    frame, errors, lines = self._block(block, row, schema)
                    yield frame, errors
                    row += lines
                    size = max(int(batch_size * len(block) / lines), 1)
        except OSError as exc:
            raise InputError("FILE", str(self.path), f"cannot be read: {exc.strerror}"
                             ) from None

    def _block(self, block: bytes, first: int, schema: pl.Schema
               ) -> tuple[pl.DataFrame, Errors, int]:
        """A block's rows and bad rows, and how many lines it held."""
        try:
            frame = pl.read_csv(block, has_header=False, schema=schema,
                                missing_columns="insert")
        except _REFUSED:
            return self._line_by_line(block, first)
        lines = frame.height
        # Without a quote no cell can hold a line break, so each row was one line (looking for
        # a quote costs far less than counting lines, which only a block with quotes pays).
        if b'"' in block and lines != block.count(b"\n") + (not block.endswith(b"\n")):
            return self._line_by_line(block, first)
        numbers = pl.int_range(first, first + lines, dtype=pl.Int64, eager=True).alias(ROW)
        return frame.insert_column(0, numbers), [], lines

    def _line_by_line(self, block: bytes, first: int) -> tuple[pl.DataFrame, Errors, int]:
        width = len(self.names)
        numbers: list[int] = []
        rows: list[list[str | None]] = []
        errors: Errors = []
        texts = block.split(b"\n")
        if not texts[-1]:
            texts.pop()  # after the last line break
        for index, text in enumerate(texts):
            row = first + index
            cells = self._cells(text.removesuffix(b"\r"), row + HEADER_LINES)
            if isinstance(cells, LineError):
                errors.append((row, cells))
                continue
            numbers.append(row)
            rows.append(cells + [None] * (width - len(cells)))
        columns: list[tuple[str | None, ...]] = (list(zip(*rows, strict=True)) if rows
                                                 else [()] * width)
        frame = pl.DataFrame([pl.Series(ROW, numbers, dtype=pl.Int64),
                              *(pl.Series(name, column, dtype=pl.String)
                                for name, column in zip(self.names, columns, strict=True))])
        return frame, errors, len(texts)

    def _cells(self, raw: bytes, line: int) -> list[str | None] | LineError:
        """One line's cells as Polars reads them (an empty cell is missing), or what is wrong
        with the line."""
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return LineError(f"line {line}", exc.start + 1,
                             f"not UTF-8 text (byte {exc.start + 1} of the line)")
        try:
            fields = next(csv.reader([text], strict=True), [])
        except csv.Error as exc:
            if str(exc) != _UNCLOSED:
                # The csv module's messages name only its own characters, never the text.
                reason = _CSV_FAULTS.get(str(exc).split(" - ")[0], str(exc))
                return LineError(f"line {line}", None, f"not CSV: {reason}")
            # The quote opens the last cell the lenient reading finds.
            opened = len(next(csv.reader([text]), [""]))
            column = (shown(self.names[opened - 1], opened) if opened <= len(self.names)
                      else f"field {opened}")
            return LineError(f"line {line}", column,
                             f"a quote opened in {column} is not closed on this line")
        if len(fields) > len(self.names):
            return LineError(f"line {line}", len(fields),
                             f"{len(fields)} fields, but the header has {len(self.names)}")
        return [cell or None for cell in fields]


def open_csv(path: Path) -> CsvManifest:
    """Read a CSV manifest's header; an InputError when there is none to read."""
    try:
        with path.open("rb") as handle:
            head = handle.read(MAX_HEADER)
    except OSError as exc:
        raise InputError("FILE", str(path), f"cannot be read: {exc.strerror}") from None
    if not head:
        raise _unreadable(path, "the file is empty")
    start = len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0
    end = head.find(b"\n", start)
    if end < 0:
        if len(head) == MAX_HEADER:
            raise _unreadable(path, f"its first {MAX_HEADER:,} bytes hold no line break")
        end = len(head)
    try:
        text = head[start:end].removesuffix(b"\r").decode("utf-8")
    except UnicodeDecodeError:
        raise _unreadable(path, "the header line is not UTF-8 text") from None
    try:
        names = next(csv.reader([text], strict=True), [])
    except csv.Error as exc:
        raise _unreadable(path, f"the header line is not CSV ({exc})") from None
    seen: set[str] = set()
    for position, name in enumerate(names, 1):
        if name == ROW:
            raise InputError("columns", name, "is the name of the row number screening adds")
        if name in seen:
            raise InputError("columns", shown(name, position), "is in the header twice")
        seen.add(name)
    return CsvManifest(path, tuple(names), min(end + 1, len(head)))


def _unreadable(path: Path, reason: str) -> InputError:
    return InputError("FILE", str(path), f"cannot be read as csv: {reason}")
