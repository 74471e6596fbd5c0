"""Limits on what one request may ask of the engine, refused as 422 naming the field.

Why: the service must answer every input without a 5xx and without letting one request hold
the CPU. The trip parser accepts any calendar date and any number of legs; the engine's date
arithmetic (six months beyond 9999-12-20) leaves the calendar near its ends, and a trip of
thousands of legs times documents is quadratic work. The bounds follow the stay calculator's
(years 1900 to 2999) and are generous for any real trip. They are checked on the parsed trip,
so their field paths are the trip JSON's own.
"""

from __future__ import annotations

from datetime import date

from admit.errors import InputError
from admit.model import Trip

FIRST = date(1900, 1, 1)
LAST = date(2999, 12, 31)
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
    dates: list[tuple[str, date | None]] = [("traveller.birth_date", traveller.birth_date)]
    for i, doc in enumerate(traveller.documents):
        dates += [(f"traveller.documents[{i}].issued", doc.issued),
                  (f"traveller.documents[{i}].expires", doc.expires)]
    for i, auth in enumerate(traveller.authorizations):
        dates += [(f"traveller.authorizations[{i}].valid_from", auth.valid_from),
                  (f"traveller.authorizations[{i}].expires", auth.expires)]
    for i, stay in enumerate(traveller.stays):
        dates += [(f"traveller.stays[{i}].entered", stay.entered),
                  (f"traveller.stays[{i}].left", stay.left)]
    for i, leg in enumerate(trip.itinerary):
        dates += [(f"itinerary[{i}].date", leg.date), (f"itinerary[{i}].until", leg.until)]
    for field, value in dates:
        check_date(field, value)


def check_date(field: str, value: date | None) -> None:
    if value is not None and not FIRST <= value <= LAST:
        raise InputError(field, value.isoformat(),
                         f"must be between {FIRST.isoformat()} and {LAST.isoformat()}")
