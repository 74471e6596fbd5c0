"""Property: `check` never raises on any parsed trip, and its decision is self-consistent
(the trip's status is the worst leg's, a leg's the worst finding's, `board` follows)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from admit.engine import check
from admit.errors import InputError
from admit.model import AuthorizationType, DocumentType, Purpose, Trip
from admit.rules import load_rules
from tests.unit.test_engine import FIXTURE

FIXTURE_RULES = load_rules(FIXTURE)
EMBEDDED_RULES = load_rules()
CODES = ["UTO", "ZZA", "ZZB", "ZZC", "ZZD", "ZZE", "RUS", "USA", "DEU", "KAZ", "MNG", "GBR",
         "XXA", "XXB", "D", "TUR", "GEO", "CHN", "FRA"]
DAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31))


def iso(day: date) -> str:
    return day.isoformat()


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    out: dict[str, Any] = {"type": draw(st.sampled_from([t.value for t in DocumentType])),
                           "issuer": draw(st.sampled_from(CODES))}
    issued = draw(st.none() | DAYS)
    if issued is not None:
        out["issued"] = iso(issued)
    if draw(st.booleans()):
        start = issued or date(1990, 1, 1)
        out["expires"] = iso(start + timedelta(days=draw(st.integers(0, 4000))))
    return out


@st.composite
def authorizations(draw: st.DrawFn) -> dict[str, Any]:
    out: dict[str, Any] = {"type": draw(st.sampled_from([t.value for t in AuthorizationType])),
                           "issuer": draw(st.sampled_from(CODES))}
    if draw(st.booleans()):
        out["expires"] = iso(draw(DAYS))
    return out


@st.composite
def legs(draw: st.DrawFn) -> dict[str, Any]:
    day = draw(DAYS)
    out: dict[str, Any] = {"from": draw(st.sampled_from(CODES)),
                           "to": draw(st.sampled_from(CODES)), "date": iso(day),
                           "transit": draw(st.booleans())}
    if draw(st.booleans()):
        out["until"] = iso(day + timedelta(days=draw(st.integers(0, 400))))
    if draw(st.booleans()):
        out["purpose"] = draw(st.sampled_from([p.value for p in Purpose]))
    return out


trips = st.fixed_dictionaries({
    "traveller": st.fixed_dictionaries({
        "nationalities": st.lists(st.sampled_from(CODES), max_size=2),
        "documents": st.lists(documents(), max_size=3),
        "authorizations": st.lists(authorizations(), max_size=2),
    }),
    "itinerary": st.lists(legs(), min_size=1, max_size=3),
})


def parse(obj: dict[str, Any]) -> Trip:
    try:
        return Trip.from_json(obj, extra_codes=FIXTURE_RULES.extra_codes)
    except InputError:
        assume(False)
        raise


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(obj=trips, fix_date=st.booleans(), fixture=st.booleans())
def test_check_never_raises_and_is_consistent(obj: dict[str, Any], fix_date: bool,
                                              fixture: bool) -> None:
    trip = parse(obj)
    rules = FIXTURE_RULES if fixture else EMBEDDED_RULES
    on = trip.itinerary[0].date if fix_date else None
    decision = check(trip, rules, on=on)
    assert len(decision.legs) == len(trip.itinerary)
    assert decision.status == max(leg.status for leg in decision.legs)
    assert decision.board == all(leg.status.boardable for leg in decision.legs)
    for leg in decision.legs:
        assert leg.findings
        assert leg.status == max(f.status for f in leg.findings)
    json.dumps(decision.to_json())


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12)
    | st.sampled_from(["2023-02-27", "2023-02-30", "RUS", "passport", "P<UTO", "visa"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["traveller", "itinerary", "nationalities", "documents", "type",
                         "issuer", "expires", "mrz", "from", "to", "date", "until", "stays",
                         "authorizations", "transit", "x"]), inner, max_size=4),
    max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(obj=JSON)
def test_bad_trip_json_only_ever_raises_input_error(obj: Any) -> None:
    try:
        Trip.from_json(obj)
    except InputError as exc:
        assert exc.field and str(exc)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


@settings(max_examples=300, deadline=None)
@given(obj=trips, data=st.data())
def test_a_damaged_trip_names_the_damaged_field(obj: dict[str, Any], data: st.DataObject
                                                ) -> None:
    path = data.draw(st.sampled_from(_paths(obj)))
    node: Any = obj
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = data.draw(JSON)
    try:
        trip = Trip.from_json(obj, extra_codes=FIXTURE_RULES.extra_codes)
    except InputError as exc:
        assert exc.field
        return
    check(trip, FIXTURE_RULES)
