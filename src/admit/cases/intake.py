"""Opening a case: the refusal's input turned into a Refusal with the engine's decision.

Why: the case must hold the engine's Decision as a snapshot with its data_version, computed
from exactly what the person presented and the journey they made (embarkation → port of
entry on the arrival date). Documents are read with the trip parser (`admit.tripjson`), so a
case accepts every document form a check accepts (MRZ text included) with the same field-named
errors — renamed to the case's own field paths and with personal values withheld.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from admit.cases.commands import PERSONAL, REDACTED, OpenCase, as_utc
from admit.cases.domain import Arrival, Person, Refusal
from admit.engine import check
from admit.errors import InputError
from admit.model import Trip
from admit.rules import Rules
from admit.tripjson import parse_trip

_RENAMES = (("traveller.nationalities", "person.nationalities"),
            ("traveller.birth_date", "person.birth_date"),
            ("traveller.documents", "documents"),
            ("traveller.authorizations", "authorizations"),
            ("traveller", "person"),
            ("itinerary[0].from", "arrival.embarkation_country"),
            ("itinerary[0].to", "arrival.country"),
            ("itinerary[0].date", "arrival.time"),
            ("itinerary", "arrival"))


def refusal(payload: OpenCase, rules: Rules) -> Refusal:
    person = Person(surname=payload.person.surname, given_names=payload.person.given_names,
                    nationalities=tuple(dict.fromkeys(payload.person.nationalities)),
                    birth_date=payload.person.birth_date)
    given = payload.arrival.time
    arrival = Arrival.model_validate({**payload.arrival.model_dump(), "time": as_utc(given),
                                      "date": given.date()})
    documents = tuple(payload.documents)
    authorizations = tuple(payload.authorizations)
    trip = traveller_trip(person, documents, authorizations, arrival.embarkation_country,
                          arrival.country, arrival.date, rules)
    decision = check(trip, rules)
    return Refusal(person=person, documents=documents, authorizations=authorizations,
                   arrival=arrival, grounds=payload.grounds, decision=decision.to_json(),
                   alternatives=tuple(dict.fromkeys(payload.alternatives)))


def traveller_trip(person: Person, documents: tuple[dict[str, Any], ...],
                   authorizations: tuple[dict[str, Any], ...], origin: str, to: str,
                   on: date, rules: Rules) -> Trip:
    """A one-leg trip for this person with what they hold: the arrival they made, or a
    removal they might be sent on."""
    traveller: dict[str, Any] = {"nationalities": list(person.nationalities),
                                 "documents": list(documents),
                                 "authorizations": list(authorizations)}
    if person.birth_date is not None:
        traveller["birth_date"] = person.birth_date.isoformat()
    trip = {"traveller": traveller,
            "itinerary": [{"from": origin, "to": to, "date": on.isoformat()}]}
    try:
        parsed = parse_trip(trip, extra_codes=rules.extra_codes)
    except InputError as exc:
        raise _renamed(exc) from None
    return parsed  # the parser keeps every date within admit.daterange


def _renamed(exc: InputError) -> InputError:
    field = exc.field
    for old, new in _RENAMES:
        if field == old or field.startswith((old + ".", old + "[")):
            field = new + field[len(old):]
            break
    last = field.rsplit(".", 1)[-1].split("[", 1)[0]
    value = REDACTED if last in PERSONAL else exc.value
    return InputError(field, value, exc.reason)
