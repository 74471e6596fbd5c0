"""Hypothesis builds trips shaped like real ones — transit legs, several documents, visas held,
stay histories, dates near the calendar's ends — and the service must answer each with a
decision or a 422, never a 5xx. Schemathesis covers the schema's corners; this reaches deeper
into the engine on the shipped data."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from admit.api import create_app
from admit.model import AuthorizationType, DocumentType, Purpose
from admit.rules import load_rules
from tests.api.conftest import SPECIMEN_TD3

RULES = load_rules()
CLIENT = TestClient(create_app())
PLACES = [*sorted(RULES.destinations)[:40], "RUS", "USA", "DEU", "KAZ", "XXA", "XXB", "D", "GBD"]

places = st.sampled_from(PLACES)
days = st.one_of(st.dates(date(1890, 1, 1), date(3010, 12, 31)),
                 st.dates(date(2010, 1, 1), date(2030, 12, 31))).map(date.isoformat)


@st.composite
def trips(draw: st.DrawFn) -> dict[str, Any]:
    documents = draw(st.lists(st.one_of(st.fixed_dictionaries(
        {"type": st.sampled_from([t.value for t in DocumentType]), "issuer": places},
        optional={"expires": days, "issued": days}), st.just({"mrz": SPECIMEN_TD3})),
        max_size=3))
    legs = draw(st.lists(st.fixed_dictionaries(
        {"from": places, "to": places, "date": days},
        optional={"until": days, "transit": st.booleans(),
                  "purpose": st.sampled_from([p.value for p in Purpose])}),
        min_size=1, max_size=4))
    traveller: dict[str, Any] = {
        "nationalities": draw(st.lists(places, max_size=2)), "documents": documents,
        "authorizations": draw(st.lists(st.fixed_dictionaries(
            {"type": st.sampled_from([a.value for a in AuthorizationType]), "issuer": places},
            optional={"expires": days, "valid_from": days}), max_size=2)),
        "stays": draw(st.lists(st.fixed_dictionaries(
            {"country": places, "entered": days, "left": days}), max_size=3)),
    }
    return {"traveller": traveller, "itinerary": legs}


@given(trips())
@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_trips_get_a_decision_or_a_422(trip: dict[str, Any]) -> None:
    response = CLIENT.post("/v1/check", json=trip)
    assert response.status_code in (200, 422), response.text
    if response.status_code == 200:
        assert len(response.json()["legs"]) == len(trip["itinerary"])


@given(st.lists(places, min_size=1, max_size=2), st.lists(st.tuples(
    st.sampled_from([t.value for t in DocumentType]), places, days), min_size=1, max_size=2),
    days, st.one_of(st.none(), places))
@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_destinations_answer_or_422(nationalities: list[str],
                                    documents: list[tuple[str, str, str]], day: str,
                                    origin: str | None) -> None:
    params: dict[str, Any] = {"nationality": nationalities,
                              "document": [":".join(d) for d in documents], "date": day}
    if origin:
        params["origin"] = origin
    response = CLIENT.get("/v1/destinations", params=params)
    assert response.status_code in (200, 422), response.text
