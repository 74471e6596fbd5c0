"""Reading a batch of manifest rows with Polars: text cells to typed, normalised columns, and
every bad cell found without a Python loop over rows.

Why: the vectorised screener must accept and refuse exactly the rows the trip parser would
(`admit.tripjson`, through `admit.batch.reference`), but at millions of rows a second. Country
codes are normalised once per distinct value with the same functions the parser uses; dates
must be real ISO dates; enumerations must name a known value. A row's first bad cell gives its
error, which is put into words (for the few bad rows only) as the parser words it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from admit import codes
from admit.batch.columns import (
    BIRTH_DATE,
    DOCUMENT_TYPE,
    EXPIRES,
    ISSUED,
    ISSUER,
    NATIONALITY,
    REF,
    ROW,
    input_columns,
    leg_column,
)
from admit.batch.reference import FALSE_WORDS, TRUE_WORDS
from admit.errors import InputError
from admit.model import CONVENTION_CLASS, DocumentType, Purpose

_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
_CODE_REASON = "unknown country code (ICAO Doc 9303 codes, e.g. 'DEU')"
# Output column for the normalised nationality a document proves (XXA/XXB for convention
# travel documents), and for the number of legs a row fills.
PROVES = "proves"
LEGS = "legs"
CHECK = "check"  # index of a row's first failed check, null for a good row


@dataclass(frozen=True, slots=True)
class Check:
    """One way a row can be bad: the column, the condition (a boolean expression on the
    batch) and how to word it from the raw row."""

    column: str
    bad: pl.Expr
    reason: Callable[[dict[str, str | None]], tuple[object, str]]


def _text(column: str) -> pl.Expr:
    value = pl.col(column).str.strip_chars()
    return pl.when(value == "").then(None).otherwise(value)


def _fixed(column: str, reason: str) -> Callable[[dict[str, str | None]], tuple[object, str]]:
    return lambda row: (row.get(column), reason)


def _enum_reason(kind: type[DocumentType] | type[Purpose]) -> str:
    return "expected one of: " + ", ".join(member.value for member in kind)


def _date_reason(column: str) -> Callable[[dict[str, str | None]], tuple[object, str]]:
    def reason(row: dict[str, str | None]) -> tuple[object, str]:
        value = row.get(column)
        if value is None or not pl.Series([value]).str.contains(_ISO_DATE).item():
            return value, "not a date in the form YYYY-MM-DD"
        return value, "not a date"
    return reason


def _before(column: str, other: str, words: str
            ) -> Callable[[dict[str, str | None]], tuple[object, str]]:
    return lambda row: (row.get(column), f"{words} {row.get(other)}")


class BatchReader:
    """Types and checks batches of one manifest. Code look-ups are cached across batches."""

    def __init__(self, legs: int, extra_codes: frozenset[str] = frozenset()) -> None:
        self.legs = legs
        self.extra_codes = extra_codes
        self._codes: dict[str, str | None] = {}

    def _code_map(self, frame: pl.DataFrame, columns: list[str]) -> dict[str, str | None]:
        for column in columns:
            for value in frame.get_column(column).unique().to_list():
                if value is not None and value not in self._codes:
                    code = codes.normalize(value)
                    known = codes.is_known(code) or code in self.extra_codes
                    self._codes[value] = codes.state_of(code) if known else None
        return self._codes

    def read(self, raw: pl.DataFrame) -> tuple[pl.DataFrame, list[tuple[int, InputError]]]:
        """The typed batch (good rows only, with `row`) and each bad row's number and error."""
        legs = self.legs
        missing = [c for c in input_columns(legs) if c not in raw.columns]
        text = raw.with_columns([pl.lit(None, pl.String).alias(c) for c in missing]).select(
            pl.col(ROW), *[_text(c).alias(c) for c in input_columns(legs)])
        code_columns = [NATIONALITY, ISSUER] + [leg_column(k, n) for k in range(1, legs + 1)
                                                for n in ("from", "to")]
        mapping = self._code_map(text, code_columns)
        nationality = pl.col(NATIONALITY).replace_strict(mapping, default=None,
                                                         return_dtype=pl.String)
        issuer_text = pl.coalesce(pl.col(ISSUER), pl.col(NATIONALITY))
        kind = pl.col(DOCUMENT_TYPE).fill_null("passport")
        typed = [pl.col(ROW), pl.col(REF), nationality.alias(NATIONALITY),
                 kind.alias(DOCUMENT_TYPE),
                 issuer_text.replace_strict(mapping, default=None,
                                            return_dtype=pl.String).alias(ISSUER),
                 *[_date(c).alias(c) for c in (EXPIRES, ISSUED, BIRTH_DATE)]]
        convention = {kind.value: proves for kind, proves in CONVENTION_CLASS.items()}
        typed.append(kind.replace_strict(convention, default=nationality,
                                         return_dtype=pl.String).alias(PROVES))
        filled = [pl.any_horizontal([pl.col(leg_column(k, n)).is_not_null()
                                     for n in ("from", "to", "date", "until", "transit",
                                               "purpose")])
                  for k in range(1, legs + 1)]
        count: pl.Expr = pl.lit(1)
        for k in range(2, legs + 1):
            count = pl.when(filled[k - 1]).then(pl.lit(k)).otherwise(count)
        typed.append(count.alias(LEGS))
        for k in range(1, legs + 1):
            typed += [pl.col(leg_column(k, n)).replace_strict(mapping, default=None,
                                                             return_dtype=pl.String)
                      .alias(leg_column(k, n)) for n in ("from", "to")]
            typed += [_date(leg_column(k, n)).alias(leg_column(k, n)) for n in ("date", "until")]
            typed.append(pl.col(leg_column(k, "transit")).str.to_lowercase()
                         .is_in(list(TRUE_WORDS)).fill_null(False)
                         .alias(leg_column(k, "transit")))
            typed.append(pl.col(leg_column(k, "purpose")))
        checks = self._checks(mapping, filled)
        first: pl.Expr = pl.lit(None, pl.Int32)
        for index in reversed(range(len(checks))):
            first = pl.when(checks[index].bad).then(pl.lit(index, pl.Int32)).otherwise(first)
        # Lazy, so that Polars computes the subexpressions the checks share (a parsed date, a
        # mapped code) once.
        out = text.lazy().select(*typed, first.alias(CHECK)).collect()
        bad = out.filter(pl.col(CHECK).is_not_null()).select(ROW, CHECK)
        errors: list[tuple[int, InputError]] = []
        if bad.height:
            rows = text.join(bad, on=ROW, how="semi").sort(ROW)
            for raw_row, (number, index) in zip(rows.iter_rows(named=True),
                                                bad.sort(ROW).iter_rows(), strict=True):
                check = checks[index]
                value, reason = check.reason(raw_row)
                errors.append((number, InputError(check.column, value, reason)))
        return out.filter(pl.col(CHECK).is_null()).drop(CHECK), errors

    def _checks(self, mapping: dict[str, str | None], filled: list[pl.Expr]) -> list[Check]:
        def unknown(expr: pl.Expr) -> pl.Expr:
            return expr.is_not_null() & expr.replace_strict(
                mapping, default=None, return_dtype=pl.String).is_null()

        kinds = [kind.value for kind in DocumentType]
        purposes = [purpose.value for purpose in Purpose]
        checks = [
            Check(NATIONALITY, pl.col(NATIONALITY).is_null(), _fixed(NATIONALITY, "is required")),
            Check(NATIONALITY, unknown(pl.col(NATIONALITY)), _fixed(NATIONALITY, _CODE_REASON)),
            Check(DOCUMENT_TYPE, pl.col(DOCUMENT_TYPE).is_not_null()
                  & ~pl.col(DOCUMENT_TYPE).is_in(kinds),
                  _fixed(DOCUMENT_TYPE, _enum_reason(DocumentType))),
            Check(ISSUER, unknown(pl.col(ISSUER)), _fixed(ISSUER, _CODE_REASON)),
        ]
        for column in (EXPIRES, ISSUED, BIRTH_DATE):
            checks.append(Check(column, _bad_date(column), _date_reason(column)))
        checks.append(Check(EXPIRES, _date(EXPIRES) < _date(ISSUED),
                            _before(EXPIRES, ISSUED, "is before the issue date")))
        for k in range(1, self.legs + 1):
            present = filled[k - 1] if k > 1 else pl.lit(True)
            for name in ("from", "to", "date"):
                column = leg_column(k, name)
                checks.append(Check(column, present & pl.col(column).is_null(),
                                    _fixed(column, "is required")))
            for name in ("from", "to"):
                column = leg_column(k, name)
                checks.append(Check(column, unknown(pl.col(column)),
                                    _fixed(column, _CODE_REASON)))
            day, until = leg_column(k, "date"), leg_column(k, "until")
            checks += [Check(day, _bad_date(day), _date_reason(day)),
                       Check(until, _bad_date(until), _date_reason(until)),
                       Check(until, _date(until) < _date(day),
                             _before(until, day, "is before the leg's date"))]
            transit = leg_column(k, "transit")
            checks.append(Check(transit, pl.col(transit).is_not_null() & ~pl.col(transit)
                                .str.to_lowercase().is_in(list(TRUE_WORDS | FALSE_WORDS)),
                                _fixed(transit, "must be true or false (or yes/no, 1/0)")))
            purpose = leg_column(k, "purpose")
            checks.append(Check(purpose, pl.col(purpose).is_not_null()
                                & ~pl.col(purpose).is_in(purposes),
                                _fixed(purpose, _enum_reason(Purpose))))
            if k > 1:
                gap = leg_column(k - 1, "to")
                checks.append(Check(gap, filled[k - 1] & ~filled[k - 2],
                                    _fixed(gap, f"is required: leg {k} follows an empty "
                                           f"leg {k - 1}")))
        return checks


def _date(column: str) -> pl.Expr:
    return pl.col(column).str.to_date("%Y-%m-%d", strict=False)


def _bad_date(column: str) -> pl.Expr:
    value = pl.col(column)
    return value.is_not_null() & (~value.str.contains(_ISO_DATE) | _date(column).is_null())
