"""Text cells to small integers, judged once per distinct string with the trip parser's rules.

Why: a manifest's cells repeat endlessly — a day of arrivals has a few hundred country codes,
a few thousand dates, a handful of document types — so a cell is read once per distinct
string, not once per row. The dictionary is a Polars Enum of the strings seen so far (in order
of first sight, so that a string's index never changes): each batch's typed columns are cast
to it, a string it does not hold yet casts to null and is added (a second cast of that column,
in the first batches); a new string is read in Python by the same functions the trip parser
uses (`admit.tripjson`, with the reference's trimming), so a cell is accepted or refused
exactly as `admit check` would; and every row's typed value is a gather from a lookup indexed
by the string's index. Per row that is one hash of the string and one gather, instead of
trimming, regular expressions and date parsing. (An Enum casts faster than a Categorical with
categories of its own, and its indices are the dictionary's own.)

Typed values are Int32: a country code's index in `codes`, a date's days since 1970-01-01 (the
physical form of `pl.Date`), an enumeration's index, a transit flag 0/1. A missing cell
(absent, empty or blank) is null; a cell the parser would refuse is `BAD`.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from admit import codes
from admit.batch.reference import FALSE_WORDS, TRUE_WORDS
from admit.errors import InputError
from admit.model import DocumentType, Purpose

# The trip parser's own readers of a code and a date: a cell is accepted exactly when
# `admit check` would accept it.
from admit.tripjson import ISO_DATE
from admit.tripjson import read_code as parse_code
from admit.tripjson import read_date as parse_date

BAD = -(2**31)  # a cell the trip parser would refuse; below every real date and index
EPOCH = date(1970, 1, 1)
KINDS = ("code", "date", "document_type", "purpose", "transit")
DOCUMENT_TYPES = tuple(DocumentType)
PURPOSES = tuple(Purpose)
_DOCUMENT_INDEX = {kind.value: index for index, kind in enumerate(DOCUMENT_TYPES)}
_PURPOSE_INDEX = {purpose.value: index for index, purpose in enumerate(PURPOSES)}
# Physical ids of the dictionary fit in UInt32; it is started afresh past this many distinct
# strings, so that a column of free text cannot make it grow without bound.
MAX_STRINGS = 2_000_000
MAX_CODES = 2**11  # a code's index fills 11 bits of a leg key (`admit.batch.learning`)
# What `str.strip` removes (the characters for which `str.isspace` holds; a test checks the
# list), for trimming a column in Polars exactly as the reference trims a cell.
WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
              "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


def days(day: date) -> int:
    return (day - EPOCH).days


def from_days(value: int) -> date:
    return date.fromordinal(EPOCH.toordinal() + value)


def cell_text(value: str | None) -> str | None:
    """The reference's reading of a cell: blanks removed, an empty cell missing."""
    if value is None:
        return None
    value = value.strip()
    return value or None


class Cells:
    """One manifest's dictionary of cell strings, and their typed values by kind."""

    def __init__(self, extra_codes: frozenset[str] = frozenset()) -> None:
        self.extra_codes = extra_codes
        self.codes: list[str] = []  # country codes by index (normalised: `D` reads `DEU`)
        self._code_index: dict[str, int] = {}
        self._reset()

    def _reset(self) -> None:
        self._strings: list[str] = []  # the dictionary, in order of first sight
        self._held: set[str] = set()
        self.dtype = pl.Enum(self._strings)
        self._values: dict[str, list[int | None]] = {kind: [] for kind in KINDS}
        self._lookups: dict[str, pl.Series] = {
            kind: pl.Series([], dtype=pl.Int32) for kind in KINDS}

    def code_index(self, code: str) -> int:
        index = self._code_index.get(code)
        if index is None:
            index = len(self.codes)
            if index >= MAX_CODES:  # Doc 9303 has some 280 codes; a rule set adds a few
                raise ValueError(f"more than {MAX_CODES} country codes: a leg key cannot "
                                 "hold them")
            self.codes.append(code)
            self._code_index[code] = index
        return index

    def encode(self, raw: pl.DataFrame, kinds: dict[str, str]) -> pl.DataFrame:
        """The typed batch: each column of `kinds` (column → kind) as Int32, others dropped.
        Columns the batch does not have are null."""
        present = [c for c in kinds if c in raw.columns]
        if len(self._strings) > MAX_STRINGS:
            self._reset()
        physical = self._cast(raw, present)
        # A string the dictionary does not hold casts to null: learn those, and cast again
        # the columns that had any (the first batches, mostly).
        fresh = [c for c in present
                 if physical.get_column(c).null_count() > raw.get_column(c).null_count()]
        if fresh:
            self._learn(pl.concat(
                [raw.get_column(c).filter(physical.get_column(c).is_null()).drop_nulls()
                 for c in fresh]).unique(maintain_order=True).to_list())
            physical = physical.with_columns(self._cast(raw, fresh))
        return physical.select(
            *[pl.lit(self._lookups[kinds[c]]).gather(pl.col(c)).alias(c) for c in present],
            *[pl.lit(None, pl.Int32).alias(c) for c in kinds if c not in raw.columns])

    def _cast(self, raw: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
        """Each string's index in the dictionary (null for a string it does not hold)."""
        return raw.select([pl.col(c).cast(self.dtype, strict=False).to_physical().alias(c)
                           for c in columns])

    def _learn(self, fresh: list[str]) -> None:
        """Add strings to the dictionary, read for every kind."""
        fresh = [text for text in fresh if text not in self._held]
        self._strings.extend(fresh)
        self._held.update(fresh)
        self.dtype = pl.Enum(self._strings)
        for kind in KINDS:
            values = self._values[kind]
            values.extend(self._read(kind, text) for text in fresh)
            self._lookups[kind] = pl.Series(values, dtype=pl.Int32)

    def _read(self, kind: str, raw: str | None) -> int | None:
        text = cell_text(raw)
        if text is None:
            return None
        # The parser's own tests first (its regular expression, its normalisation), so that
        # the many strings that are not of this kind cost no exception.
        try:
            if kind == "code":
                if not self._known(codes.normalize(text)):
                    return BAD
                return self.code_index(parse_code(text, kind, self._known))
            if kind == "date":
                if not ISO_DATE.fullmatch(text):
                    return BAD
                return days(parse_date(text, kind))
        except InputError:
            return BAD
        if kind == "document_type":
            return _DOCUMENT_INDEX.get(text, BAD)
        if kind == "purpose":
            return _PURPOSE_INDEX.get(text, BAD)
        word = text.lower()
        return 1 if word in TRUE_WORDS else 0 if word in FALSE_WORDS else BAD

    def _known(self, code: str) -> bool:
        return codes.is_known(code) or code in self.extra_codes
