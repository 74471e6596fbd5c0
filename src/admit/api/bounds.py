"""Limits on what one request may ask of the engine, refused as 422 naming the field.

Why: the service must answer every input without a 5xx and without letting one request hold
the CPU. The trip parser keeps dates within admit.daterange (years 1900 to 2999) but accepts
any number of legs, and a trip of thousands of legs times documents is quadratic work. The
counts are generous for any real trip and are checked on the parsed trip, so their field paths
are the trip JSON's own. Query dates (`on`) are checked with the same calendar.
"""

from __future__ import annotations

from datetime import date

from admit.daterange import EARLIEST, LATEST, check_day
from admit.errors import InputError
from admit.model import Trip

FIRST = EARLIEST
LAST = LATEST
MAX_LEGS = 50
MAX_DOCUMENTS = 20
MAX_AUTHORIZATIONS = 50
MAX_STAYS = 1000


def check_trip(trip: Trip) -> None:
    traveller = trip.traveller
    for name, items, most in (("itinerary", trip.itinerary, MAX_LEGS),
                              ("traveller.documents", traveller.documents, MAX_DOCUMENTS),
                              ("traveller.authorizations", traveller.authorizations,
                               MAX_AUTHORIZATIONS),
                              ("traveller.stays", traveller.stays, MAX_STAYS)):
        if len(items) > most:
            raise InputError(name, len(items), f"at most {most} items in one request")
    # Dates need no check here: the trip parser keeps them within admit.daterange.


def check_date(field: str, value: date | None) -> None:
    if value is not None:
        check_day(field, value)
