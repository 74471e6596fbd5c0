"""CSV manifests read in blocks of whole lines, so that a malformed line costs one row.

Why: Polars reads clean CSV fast, but it refuses a whole file for one malformed line — a field
too many, a quote that is never closed, bytes that are not UTF-8 — and its message quotes the
line, which is a passenger's data. A manifest must lose neither its other passengers nor its
privacy to one bad line. So the file is cut into blocks of whole lines, about a batch each;
Polars reads every block it accepts, exactly as its own scan would. A block it refuses is split
into lines, each judged on its own (UTF-8, its field count, and Python's csv module for a line
with quotes): each line that cannot be read is one bad row, reported by its line number and
what is wrong with it (never its content), and the other lines go back to Polars together, so
that they are the rows its scan would have made (the csv module reads them should Polars refuse
them still). A clean file pays only for finding the last line break of each block; a block with
a bad line about a microsecond a line more.

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
        frame = _polars(block, schema)
        if frame is None:
            return self._line_by_line(block, first, schema)
        numbers = pl.int_range(first, first + frame.height, dtype=pl.Int64, eager=True)
        return frame.insert_column(0, numbers.alias(ROW)), [], frame.height

    def _line_by_line(self, block: bytes, first: int, schema: pl.Schema
                      ) -> tuple[pl.DataFrame, Errors, int]:
        """A block Polars refused: each line judged on its own, the good ones then read by
        Polars together (so they are the rows its scan would have made), or, should it refuse
        them still, by the csv module."""
        lines = block.split(b"\n")
        if not lines[-1]:
            lines.pop()  # after the last line break
        good: list[bytes] = []
        numbers: list[int] = []
        errors: Errors = []
        for index, line in enumerate(lines):
            fault = self._fault(line, first + index + HEADER_LINES)
            if fault is None:
                good.append(line)
                numbers.append(first + index)
            else:
                errors.append((first + index, fault))
        frame = _polars(b"\n".join(good) + b"\n", schema) if good else None
        if frame is None or frame.height != len(good):
            frame = self._python_rows(good)
        return frame.insert_column(0, pl.Series(ROW, numbers, dtype=pl.Int64)), errors, \
            len(lines)

    def _fault(self, raw: bytes, line: int) -> LineError | None:
        """What keeps a line from being a row, if anything."""
        try:
            text = raw.decode("utf-8").removesuffix("\r")
        except UnicodeDecodeError as exc:
            return LineError(f"line {line}", exc.start + 1,
                             f"not UTF-8 text (byte {exc.start + 1} of the line)")
        if '"' not in text:  # the common case, and then a comma always parts two cells
            fields = text.count(",") + 1
        else:
            try:
                fields = len(next(csv.reader([text], strict=True), []))
            except csv.Error as exc:
                return self._csv_fault(text, line, exc)
        if fields > len(self.names):
            return LineError(f"line {line}", fields,
                             f"{fields} fields, but the header has {len(self.names)}")
        return None

    def _csv_fault(self, text: str, line: int, exc: csv.Error) -> LineError:
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

    def _python_rows(self, lines: list[bytes]) -> pl.DataFrame:
        """Good lines read by the csv module (an empty cell is missing, as in Polars)."""
        width = len(self.names)
        rows = []
        for line in lines:
            fields = next(csv.reader([line.decode("utf-8").removesuffix("\r")]), [])
            rows.append([cell or None for cell in fields] + [None] * (width - len(fields)))
        columns: list[tuple[str | None, ...]] = (list(zip(*rows, strict=True)) if rows
                                                 else [()] * width)
        return pl.DataFrame([pl.Series(name, column, dtype=pl.String)
                             for name, column in zip(self.names, columns, strict=True)])


def _polars(block: bytes, schema: pl.Schema) -> pl.DataFrame | None:
    """The block as Polars reads it, or None if it refuses it or makes other than one row of
    each line (a quoted line break)."""
    try:
        frame = pl.read_csv(block, has_header=False, schema=schema, missing_columns="insert")
    except _REFUSED:
        return None
    # Without a quote no cell can hold a line break, so each row was one line (looking for a
    # quote costs far less than counting lines, which only a block with quotes pays).
    if b'"' in block and frame.height != block.count(b"\n") + (not block.endswith(b"\n")):
        return None
    return frame


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
