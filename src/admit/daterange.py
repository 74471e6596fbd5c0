"""The calendar admit reasons about: 1900-01-01 to 2999-12-31.

Why one module: rules add months and years to dates (six months beyond departure, ten years
since issue), and Python's calendar ends at 9999-12-31. Every layer that takes a date from a
user (the trip parser, the stay calculator, the case store, the API) refuses dates outside this
range with an error naming the field, so no derived date can leave the calendar. The range is
far wider than any real trip, document or stay.
"""

from __future__ import annotations

from datetime import date

from admit.errors import InputError

EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)


def in_range(value: date) -> bool:
    return EARLIEST <= value <= LATEST


def check_day(field: str, value: date) -> date:
    """`value`, or InputError naming `field` when it is outside the calendar admit uses."""
    if not EARLIEST <= value <= LATEST:
        raise InputError(field, value.isoformat(),
                         f"must be between {EARLIEST.isoformat()} and {LATEST.isoformat()}")
    return value
