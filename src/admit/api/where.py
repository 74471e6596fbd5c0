""""Where can I go?": one traveller, one date, the status of every destination with rules.

Why here: the HTTP API (GET /v1/destinations) and the web page's map and table give the same
answer, so both call `destinations`. It runs the engine once per destination that has a rule
file, on a one-leg trip from the traveller's first nationality (or a given origin), and keeps
for each the status, the main reason (the finding that set the status), its rule and sources,
and the longest stay. About 90 checks of some 30 µs each: a few milliseconds.

The traveller arrives in compact query values, one string per document or authorization
(`passport:RUS:2031-05-01`), so a link can carry a whole question; errors name the query
parameter (`document[0]`), not the trip JSON path the engine's parser uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from admit import codes
from admit.api.bounds import check_date
from admit.engine import check
from admit.errors import InputError
from admit.model import Decision, Leg, Status, Trip
from admit.rules import Rules

MAX_NATIONALITIES = 5
MAX_ITEMS = 10
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Trip JSON paths as the query names them.
_QUERY_NAME = (
    (re.compile(r"^traveller\.nationalities\[(\d+)\]"), "nationality[{}]"),
    (re.compile(r"^traveller\.nationalities"), "nationality"),
    (re.compile(r"^traveller\.documents\[(\d+)\]"), "document[{}]"),
    (re.compile(r"^traveller\.authorizations\[(\d+)\]"), "authorization[{}]"),
    (re.compile(r"^itinerary\[0\]\.from"), "origin"),
    (re.compile(r"^itinerary\[0\]\.(date|to)"), "date"),
)


@dataclass(frozen=True, slots=True)
class Question:
    """Who is asking: the traveller (as a parsed trip's traveller), the date and origin."""

    trip: Trip  # a one-leg trip from the origin; the legs asked about replace its leg
    day: date
    origin: str


@dataclass(frozen=True, slots=True)
class Answer:
    country: str
    name: str
    status: Status
    code: str
    reason: str
    rule: str | None
    sources: tuple[str, ...]
    max_stay_days: int | None
    document: dict[str, str] | None

    def to_json(self) -> dict[str, Any]:
        return {"country": self.country, "name": self.name, "status": self.status.label,
                "board": self.status.boardable, "code": self.code, "reason": self.reason,
                "rule": self.rule, "sources": list(self.sources),
                "max_stay_days": self.max_stay_days, "document": self.document}


def question(nationalities: list[str], documents: list[str], authorizations: list[str],
             day: str | date, origin: str | None, rules: Rules) -> Question:
    """Read the query values; raises InputError naming the query parameter."""
    if not nationalities:
        raise InputError("nationality", None, "give at least one nationality, e.g. RUS")
    if not documents:
        raise InputError("document", None, "give at least one document as TYPE:ISSUER:EXPIRES, "
                         "e.g. passport:RUS:2031-05-01")
    for name, values, most in (("nationality", nationalities, MAX_NATIONALITIES),
                               ("document", documents, MAX_ITEMS),
                               ("authorization", authorizations, MAX_ITEMS)):
        if len(values) > most:
            raise InputError(name, len(values), f"at most {most} values")
    for i, text in enumerate(nationalities):  # before the origin, which defaults to the first
        code = codes.normalize(text)
        if not (codes.is_known(code) or code in rules.extra_codes):
            raise InputError(f"nationality[{i}]", text,
                             "unknown country code (ICAO Doc 9303 codes, e.g. 'DEU')")
    when = day if isinstance(day, date) else _date("date", day)
    check_date("date", when)
    start = origin if origin else nationalities[0]
    obj = {
        "traveller": {
            "nationalities": nationalities,
            "documents": [_document(f"document[{i}]", text) for i, text in enumerate(documents)],
            "authorizations": [_authorization(f"authorization[{i}]", text)
                               for i, text in enumerate(authorizations)],
        },
        "itinerary": [{"from": start, "to": start, "date": when.isoformat()}],
    }
    try:
        trip = Trip.from_json(obj, extra_codes=rules.extra_codes)
    except InputError as exc:
        raise InputError(_query_name(exc.field), exc.value, exc.reason) from None
    for i, document in enumerate(trip.traveller.documents):
        check_date(f"document[{i}]", document.expires)
        check_date(f"document[{i}]", document.issued)
    for i, authorization in enumerate(trip.traveller.authorizations):
        check_date(f"authorization[{i}]", authorization.expires)
    return Question(trip=trip, day=when, origin=trip.itinerary[0].origin)


def destinations(ask: Question, rules: Rules) -> list[Answer]:
    """Every destination with a rule file, by name."""
    traveller = ask.trip.traveller
    found = []
    for code, destination in rules.destinations.items():
        leg = Leg(origin=ask.origin, to=code, date=ask.day)
        decision = check(Trip(traveller=traveller, itinerary=(leg,)), rules)
        found.append(_answer(code, destination.spec.name, decision))
    found.sort(key=lambda answer: answer.name)
    return found


def counts(answers: list[Answer]) -> dict[str, int]:
    out = {status.label: 0 for status in Status}
    for answer in answers:
        out[answer.status.label] += 1
    return out


def _answer(code: str, name: str, decision: Decision) -> Answer:
    leg = decision.legs[0]
    # The main reason is the first finding as bad as the leg itself: the one that decided.
    main = next((f for f in leg.findings if f.status == leg.status), None)
    document = (None if leg.document is None else
                {"type": leg.document.type.value, "issuer": leg.document.issuer})
    return Answer(country=code, name=name, status=leg.status,
                  code="" if main is None else main.code.value,
                  reason="" if main is None else main.message,
                  rule=None if main is None else main.rule,
                  sources=() if main is None else main.sources,
                  max_stay_days=leg.max_stay_days, document=document)


def _document(field: str, text: str) -> dict[str, Any]:
    """TYPE:ISSUER[:EXPIRES[:ISSUED]]"""
    parts = text.split(":")
    if not 2 <= len(parts) <= 4 or not all(parts[:2]):
        raise InputError(field, text, "expected TYPE:ISSUER[:EXPIRES[:ISSUED]], "
                         "e.g. passport:RUS:2031-05-01")
    out: dict[str, Any] = {"type": parts[0], "issuer": parts[1]}
    if len(parts) > 2 and parts[2]:
        out["expires"] = _date(field, parts[2]).isoformat()
    if len(parts) > 3 and parts[3]:
        out["issued"] = _date(field, parts[3]).isoformat()
    return out


def _authorization(field: str, text: str) -> dict[str, Any]:
    """TYPE:ISSUER[:EXPIRES[:VALID_FROM]]"""
    parts = text.split(":")
    if not 2 <= len(parts) <= 4 or not all(parts[:2]):
        raise InputError(field, text, "expected TYPE:ISSUER[:EXPIRES[:VALID_FROM]], "
                         "e.g. visa:USA:2032-01-01")
    out: dict[str, Any] = {"type": parts[0], "issuer": parts[1]}
    if len(parts) > 2 and parts[2]:
        out["expires"] = _date(field, parts[2]).isoformat()
    if len(parts) > 3 and parts[3]:
        out["valid_from"] = _date(field, parts[3]).isoformat()
    return out


def _date(field: str, text: str) -> date:
    if not _ISO_DATE.fullmatch(text):
        raise InputError(field, text, "dates are written YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(field, text, "is not a date in the calendar") from None


def _query_name(path: str) -> str:
    for pattern, name in _QUERY_NAME:
        found = pattern.match(path)
        if found:
            return name.format(*found.groups())
    return path


def country_name(code: str) -> str:
    try:
        return codes.name(code)
    except KeyError:
        return code
