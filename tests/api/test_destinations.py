"""GET /v1/destinations: every destination's status for one traveller on one date."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from admit.rules import load_rules
from tests.api.conftest import FIXTURE, problem


def _get(client: TestClient, **params: str) -> dict[str, Any]:
    response = client.get("/v1/destinations", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _by_country(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["country"]: d for d in body["destinations"]}


def test_every_fixture_destination_with_its_rule(fixture_client: TestClient) -> None:
    body = _get(fixture_client, nationality="ZZD", document="passport:ZZD:2030-01-01:2020-01-01",
                date="2016-06-01")
    found = _by_country(body)
    assert set(found) == set(load_rules(FIXTURE).destinations)
    assert found["UTO"]["status"] == "admissible" and found["UTO"]["max_stay_days"] == 30
    assert found["UTO"]["rule"] == "UTO#zzd-visa-free" and found["UTO"]["board"] is True
    assert found["ZZD"]["code"] == "NATIONAL"
    assert found["ZZA"]["status"] == "unknown" and found["ZZA"]["code"] == "NO_RULE"
    assert sum(body["counts"].values()) == len(found)
    assert body["origin"] == "ZZD" and body["date"] == "2016-06-01"


def test_the_date_chooses_the_rules(fixture_client: TestClient) -> None:
    later = _by_country(_get(fixture_client, nationality="ZZD",
                             document="passport:ZZD:2030-01-01:2020-01-01", date="2024-06-01"))
    assert later["UTO"]["status"] == "authorization_required"
    assert later["UTO"]["code"] == "ETA_REQUIRED"


def test_an_authorization_held_lifts_a_visa(fixture_client: TestClient) -> None:
    base = {"nationality": "FRA", "document": "passport:FRA:2030-01-01:2020-01-01",
            "date": "2024-06-01"}
    without = _by_country(_get(fixture_client, **base))
    with_visa = _by_country(_get(fixture_client, **base, authorization="visa:USA:2032-01-01"))
    assert without["UTO"]["code"] == "VISA_REQUIRED"
    assert with_visa["UTO"]["code"] == "AUTHORIZATION_HELD"
    assert with_visa["UTO"]["status"] == "admissible"


def test_the_story_passport_is_refused_everywhere_but_home(client: TestClient) -> None:
    found = _by_country(_get(client, nationality="RUS", document="passport:RUS:2023-02-20",
                             date="2023-02-27", origin="KAZ"))
    assert found["MNG"]["status"] == "inadmissible"
    assert found["MNG"]["code"] == "DOCUMENT_EXPIRED"
    refused = [c for c, d in found.items() if d["status"] == "inadmissible"]
    assert len(refused) >= len(found) - 2


def test_server_timing_is_reported(client: TestClient) -> None:
    response = client.get("/v1/destinations", params={
        "nationality": "DEU", "document": "passport:DEU:2030-01-01:2020-01-01",
        "date": "2025-01-01"})
    assert response.headers["server-timing"].startswith("engine;dur=")


@pytest.mark.parametrize(("params", "field"), [
    ({"document": "passport:RUS:2030-01-01"}, "nationality"),
    ({"nationality": "RUS"}, "document"),
    ({"nationality": "RUS", "document": "passport"}, "document[0]"),
    ({"nationality": "RUS", "document": "passport:RUS:2030-02-30"}, "document[0]"),
    ({"nationality": "RUS", "document": "passport:RUS:3030-01-01"}, "document[0]"),
    ({"nationality": "RUS", "document": "card:RUS:2030-01-01"}, "document[0]"),
    ({"nationality": "QQQ", "document": "passport:RUS:2030-01-01"}, "nationality[0]"),
    ({"nationality": "RUS", "document": "passport:RUS:2030-01-01", "authorization": "visa"},
     "authorization[0]"),
    ({"nationality": "RUS", "document": "passport:RUS:2030-01-01", "date": "2023-13-01"},
     "date"),
    ({"nationality": "RUS", "document": "passport:RUS:2030-01-01", "origin": "Moscow"},
     "origin"),
])
def test_bad_questions_name_the_parameter(client: TestClient, params: dict[str, str],
                                          field: str) -> None:
    response = client.get("/v1/destinations", params=params)
    assert response.status_code == 422
    assert problem(response)["field"] == field
