"""The row-by-row reference screener: each manifest row becomes a trip, judged by
`admit.engine.check`.

Why: this is the definition of a screening answer. The vectorised screener must give exactly
these answers for every row (a property test compares the two on random manifests), and the
benchmark measures it as the per-row engine loop that vectorising is meant to beat. It reads
each row through the public trip parser (`admit.tripjson`), so a bad cell gets the same
field-named message as `admit check`, re-addressed to its manifest column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any

from admit.batch.columns import (
    BIRTH_DATE,
    DOCUMENT_TYPE,
    ERROR_STATUS,
    EXPIRES,
    ISSUED,
    ISSUER,
    NATIONALITY,
    REF,
    ROW,
    leg_column,
)
from admit.engine import check
from admit.errors import InputError
from admit.model import CONVENTION_CLASS, Decision, Trip
from admit.rules import Rules

Row = Mapping[str, str | None]
TRUE_WORDS = frozenset({"true", "1", "yes"})
FALSE_WORDS = frozenset({"false", "0", "no"})
_CONVENTION_TYPES = frozenset(kind.value for kind in CONVENTION_CLASS)
_DOCUMENT_FIELDS = {"type": DOCUMENT_TYPE, "issuer": ISSUER, "nationality": NATIONALITY,
                    "expires": EXPIRES, "issued": ISSUED}
_LEG_FIELD = re.compile(r"itinerary\[(\d+)\]\.(\w+)")
_LEG_NAME = re.compile(r"leg[0-9]+_(\w+)")
# The shape of each typed column's values, loose enough for every typo of one (a code with MRZ
# fillers, a date in another form, a word in any case) and too tight for a name, a document
# number or an MRZ line.
_CODE = re.compile(r"[A-Za-z]{0,3}<*")
_DATE = re.compile(r"[0-9]{1,4}([-./ ][0-9]{1,4}){0,2}")
_WORD = re.compile(r"[A-Za-z]?[a-z_]{0,29}|[0-9]{1,2}")
_CELL_KINDS = {NATIONALITY: _CODE, ISSUER: _CODE, "from": _CODE, "to": _CODE,
               EXPIRES: _DATE, ISSUED: _DATE, BIRTH_DATE: _DATE, "date": _DATE,
               "until": _DATE, DOCUMENT_TYPE: _WORD, "purpose": _WORD, "transit": _WORD}


def cell(row: Row, name: str) -> str | None:
    """A cell's text with surrounding blanks removed; an empty cell is a missing value."""
    value = row.get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None


def transit_flag(text: str | None, column: str) -> bool:
    if text is None:
        return False
    word = text.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise InputError(column, shown_cell(column, text), "must be true or false (or yes/no, 1/0)")


def present_legs(row: Row, legs: int) -> int:
    """How many legs this row fills. Leg 1 is always read (its missing cells are errors); a
    later leg counts when any of its cells is filled, and legs must not leave a gap."""
    filled = [any(cell(row, leg_column(leg, name)) is not None
                  for name in ("from", "to", "date", "until", "transit", "purpose"))
              for leg in range(1, legs + 1)]
    count = 1
    for leg in range(2, legs + 1):
        if filled[leg - 1]:
            if not filled[leg - 2]:
                raise InputError(leg_column(leg - 1, "to"), None,
                                 f"is required: leg {leg} follows an empty leg {leg - 1}")
            count = leg
    return count


def row_trip_json(row: Row, legs: int) -> dict[str, Any]:
    """The trip JSON (docs/design.md) a manifest row stands for: one traveller with one document."""
    nationality = cell(row, NATIONALITY)
    if nationality is None:
        raise InputError(NATIONALITY, None, "is required")
    kind = cell(row, DOCUMENT_TYPE) or "passport"
    document: dict[str, Any] = {"type": kind, "issuer": cell(row, ISSUER) or nationality}
    if kind not in _CONVENTION_TYPES:
        # A convention travel document stands for XXA/XXB (the trip parser's rule); any other
        # document proves the row's nationality.
        document["nationality"] = nationality
    for key, column in (("expires", EXPIRES), ("issued", ISSUED)):
        value = cell(row, column)
        if value is not None:
            document[key] = value
    traveller: dict[str, Any] = {"nationalities": [nationality], "documents": [document]}
    birth = cell(row, BIRTH_DATE)
    if birth is not None:
        traveller["birth_date"] = birth
    itinerary = []
    for leg in range(1, present_legs(row, legs) + 1):
        item: dict[str, Any] = {}
        for name in ("from", "to", "date", "until", "purpose"):
            value = cell(row, leg_column(leg, name))
            if value is not None:
                item[name] = value
        item["transit"] = transit_flag(cell(row, leg_column(leg, "transit")),
                                       leg_column(leg, "transit"))
        itinerary.append(item)
    return {"traveller": traveller, "itinerary": itinerary}


def column_of(field: str) -> str:
    """The manifest column a trip-parser field path stands for."""
    match = _LEG_FIELD.fullmatch(field)
    if match is not None:
        return leg_column(int(match.group(1)) + 1, match.group(2))
    if field.startswith("traveller.documents[0]."):
        return _DOCUMENT_FIELDS.get(field.rsplit(".", 1)[1], field)
    if field.startswith("traveller.nationalities"):
        return NATIONALITY
    if field == "traveller.birth_date":
        return BIRTH_DATE
    return field


def shown_cell(column: str, value: object) -> object:
    """A refused cell as its error may quote it: as given when it has the shape of what the
    column holds (a code, a date, a word), else withheld — a cell of another shape is most
    likely another column's data slipped in (a name, a document number, an MRZ line), which
    no message may show."""
    if not isinstance(value, str):
        return value
    kind = _CELL_KINDS.get(_LEG_NAME.sub(r"\1", column))
    if kind is None or kind.fullmatch(value.strip()):
        return value
    return "(cell withheld: not the shape of the column's values)"


def row_trip(row: Row, legs: int, extra_codes: frozenset[str] = frozenset()) -> Trip:
    """Parse one manifest row; an InputError names the manifest column, not the trip field."""
    obj = row_trip_json(row, legs)
    try:
        return Trip.from_json(obj, extra_codes=extra_codes)
    except InputError as exc:
        column = column_of(exc.field)
        raise InputError(column, shown_cell(column, exc.value), exc.reason) from None


def decision_row(decision: Decision, legs: int) -> dict[str, Any]:
    """The output columns of one screened passenger (docs/screening.md)."""
    worst = next(leg for leg in decision.legs if leg.status == decision.status)
    reason = next((f for f in worst.findings if f.status == worst.status), None)
    out: dict[str, Any] = {
        "board": decision.board, "status": decision.status.label,
        "codes": ";".join(sorted(code.value for code in decision.codes)),
        "reason": None if reason is None else reason.code.value,
        "reason_rule": None if reason is None else reason.rule,
        "reason_country": worst.country, "error": None}
    for leg in range(1, legs + 1):
        out[leg_column(leg, "status")] = (decision.legs[leg - 1].status.label
                                          if leg <= len(decision.legs) else None)
    return out


def error_row(error: InputError, legs: int) -> dict[str, Any]:
    out: dict[str, Any] = {"board": False, "status": ERROR_STATUS, "codes": "", "reason": None,
                           "reason_rule": None, "reason_country": None, "error": str(error)}
    out.update({leg_column(leg, "status"): None for leg in range(1, legs + 1)})
    return out


def screen_rows(rows: Iterable[Row], legs: int, rules: Rules, on: date | None = None,
                first_row: int = 1) -> Iterator[tuple[dict[str, Any], InputError | None]]:
    """Screen rows one at a time: each output row (with `row` and `ref`), and the error when
    the row could not be read (its output row then has status `error`)."""
    for number, row in enumerate(rows, first_row):
        head: dict[str, Any] = {ROW: number, REF: cell(row, REF)}
        try:
            trip = row_trip(row, legs, rules.extra_codes)
        except InputError as exc:
            yield head | error_row(exc, legs), exc
            continue
        yield head | decision_row(check(trip, rules, on=on), legs), None
