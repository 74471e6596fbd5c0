"""Hypothesis builds trips shaped like real ones — transit legs, several documents, visas held,
stay histories, dates near the calendar's ends — and the service must answer each with a
decision or a 422, never a 5xx. Schemathesis covers the schema's corners; this reaches deeper
into the engine on the shipped data. The last tests send what an attacker would (values JSON
cannot carry, planted anywhere in a valid body; odd header bytes): a 422 or an answer, never a
5xx, and a body no answer could carry is always refused."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from admit.api import create_app
from admit.model import AuthorizationType, DocumentType, Purpose
from admit.rules import load_rules
from tests.api.conftest import SPECIMEN_TD3, STORY
from tests.api.hostile import (
    assert_answered,
    hostile_bodies,
    odd_headers,
    send_raw,
    to_json,
    unwritable,
)

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


# ---- What an attacker sends (tests.api.hostile): values JSON cannot carry, odd headers. ----

RAW_APP = create_app()
MRZ_BODY: dict[str, Any] = {"mrz": SPECIMEN_TD3, "on": "2024-01-01", "profile": "strict",
                            "repair": False, "format": "TD3"}
STAY_BODY: dict[str, Any] = {"rule": {"window_days": 180, "max_days": 90, "anchor": "rolling"},
                             "stays": [["2020-01-01", "2020-01-10"],
                                       {"entry": "2020-02-01", "exit": "2020-02-03",
                                        "country": "FRA"}],
                             "query_date": "2020-03-01"}
JSON_TYPE = [(b"content-type", b"application/json")]


@st.composite
def hostile_requests(draw: st.DrawFn) -> tuple[str, Any]:
    path, base = draw(st.sampled_from([("/v1/check", None), ("/v1/check", STORY),
                                       ("/v1/mrz", MRZ_BODY), ("/v1/stay", STAY_BODY)]))
    return path, draw(hostile_bodies(draw(trips()) if base is None else base))


@given(hostile_requests())
@settings(max_examples=400, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_hostile_bodies_get_an_answer_or_a_422(request: tuple[str, Any]) -> None:
    path, body = request
    response = send_raw(RAW_APP, "POST", path, JSON_TYPE, to_json(body).encode())
    assert_answered(response, frozenset({200, 422}))
    if unwritable(body):  # what no answer could carry back is always refused
        assert response.status_code == 422, response.text[:500]


@given(odd_headers, st.sampled_from([
    ("GET", "/v1/version"), ("GET", "/v1/countries/MNG"), ("GET", "/v1/countries"),
    ("GET", "/v1/destinations?nationality=RUS&document=passport:RUS:2031-05-01"),
    ("POST", "/v1/check"), ("POST", "/v1/mrz"), ("POST", "/v1/stay")]))
@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_odd_headers_get_an_answer(headers: list[tuple[bytes, bytes]],
                                   call: tuple[str, str]) -> None:
    method, path = call
    body = {"/v1/check": STORY, "/v1/mrz": MRZ_BODY, "/v1/stay": STAY_BODY}.get(path)
    response = send_raw(RAW_APP, method, path, headers,
                        json.dumps(body).encode() if body else b"")
    assert_answered(response, frozenset({200, 422}))
