"""The manifest's columns: what a screening input holds and what its output gives back.

Why a module of its own: the CSV and Parquet readers, the PAXLST reader, both screeners and the
writers all speak these names, and docs/screening.md documents them. One row is one passenger
with one travel document; legs are numbered columns (`leg1_to`, `leg2_to`, …) so that a row is a
whole itinerary and a file can be screened in independent batches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import polars as pl

from admit.errors import InputError
from admit.model import Status

REF = "ref"
NATIONALITY = "nationality"
DOCUMENT_TYPE = "document_type"
ISSUER = "issuer"
EXPIRES = "expires"
ISSUED = "issued"
BIRTH_DATE = "birth_date"
PASSENGER_COLUMNS = (REF, NATIONALITY, DOCUMENT_TYPE, ISSUER, EXPIRES, ISSUED, BIRTH_DATE)
LEG_FIELDS = ("from", "to", "date", "until", "transit", "purpose")
# The input row number (1 = the first passenger), kept through screening so that every output
# row and every error can be traced back to its input line.
ROW = "row"
MAX_LEGS = 16

_LEG_COLUMN = re.compile(r"leg([1-9][0-9]*)_(" + "|".join(LEG_FIELDS) + r")")
# What a column's name looks like; a header cell that does not is named by its position in
# errors, because a file without a header has a passenger's data in its first line.
_COLUMN_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")

# Output columns, before the per-leg statuses (`leg1_status`, …).
OUTPUT_COLUMNS = (ROW, REF, "board", "status", "codes", "reason", "reason_rule",
                  "reason_country", "error")
ERROR_STATUS = "error"
# Statuses, best to worst, then a bad row's: an Enum, so that they sort by severity and a
# Parquet file stores each as a small integer.
STATUS_TYPE = pl.Enum([status.label for status in Status] + [ERROR_STATUS])
# Output columns whose values come from a small vocabulary (codes, rules, countries): stored
# dictionary-encoded. Their text is the same in every format.
WORD_COLUMNS = ("codes", "reason", "reason_rule", "reason_country")


def leg_column(leg: int, name: str) -> str:
    """`leg_column(1, "to")` → `leg1_to` (legs count from 1, as people number them)."""
    return f"leg{leg}_{name}"


def shown(name: str, position: int) -> str:
    """A header cell as an error may show it: a column's name as written, anything else as
    `column N` (N from 1)."""
    return name if _COLUMN_NAME.fullmatch(name) else f"column {position}"


def leg_count(columns: Iterable[str]) -> int:
    """How many legs a manifest's header describes; every leg up to that count needs its
    `from`, `to` and `date` columns, so a misspelt header fails here and not row by row."""
    names = list(columns)
    header = ", ".join(shown(name, position) for position, name in enumerate(names, 1))
    legs = 0
    for name in names:
        match = _LEG_COLUMN.fullmatch(name)
        if match is not None:
            legs = max(legs, int(match.group(1)))
    if legs == 0:
        raise InputError("columns", header, "a manifest needs leg1_from, leg1_to and leg1_date")
    if legs > MAX_LEGS:
        raise InputError("columns", leg_column(legs, "to"), f"at most {MAX_LEGS} legs")
    known = set(PASSENGER_COLUMNS) | {ROW}
    for position, name in enumerate(names, 1):
        if name not in known and _LEG_COLUMN.fullmatch(name) is None:
            raise InputError("columns", shown(name, position), "unknown column; expected "
                             f"{', '.join(PASSENGER_COLUMNS)} and legN_{{{','.join(LEG_FIELDS)}}}")
    if NATIONALITY not in names:
        raise InputError("columns", header, f"the column {NATIONALITY!r} is required")
    for leg in range(1, legs + 1):
        for name in ("from", "to", "date"):
            if leg_column(leg, name) not in names:
                raise InputError("columns", header,
                                 f"the column {leg_column(leg, name)!r} is required")
    return legs


def input_columns(legs: int) -> tuple[str, ...]:
    """Every input column of a manifest with that many legs, in documented order."""
    return PASSENGER_COLUMNS + tuple(leg_column(leg, name) for leg in range(1, legs + 1)
                                     for name in LEG_FIELDS)


def output_columns(legs: int) -> tuple[str, ...]:
    return OUTPUT_COLUMNS + tuple(leg_column(leg, "status") for leg in range(1, legs + 1))


def output_schema(legs: int) -> pl.Schema:
    """The output's column types: the statuses an Enum, the other words Categorical (in
    Parquet, dictionary-encoded strings), the rest text, the row number and board."""
    types: dict[str, pl.DataType] = {name: pl.String() for name in output_columns(legs)}
    types[ROW] = pl.Int64()
    types["board"] = pl.Boolean()
    for name in ("status", *(leg_column(leg, "status") for leg in range(1, legs + 1))):
        types[name] = STATUS_TYPE
    for name in WORD_COLUMNS:
        types[name] = pl.Categorical()
    return pl.Schema(types)
