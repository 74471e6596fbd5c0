"""POST /v1/check: the trip contract in, the decision contract out, bad input as 422."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from admit.api import create_app
from tests.api.conftest import FIXTURE, STORY, problem


def test_the_story_is_refused_for_the_expired_passport(client: TestClient) -> None:
    response = client.post("/v1/check", json=STORY)
    assert response.status_code == 200
    decision = response.json()
    assert decision["status"] == "inadmissible"
    assert decision["board"] is False
    leg = decision["legs"][0]
    assert leg["country"] == "MNG"
    assert leg["document"] == {"type": "passport", "issuer": "RUS"}
    expired = [f for f in leg["findings"] if f["code"] == "DOCUMENT_EXPIRED"]
    assert expired and "2023-02-20" in expired[0]["message"]
    assert expired[0]["rule"].startswith("MNG#") and expired[0]["sources"]
    assert decision["data_version"] == client.get("/v1/version").json()["data_version"]


def test_a_valid_passport_boards_for_the_same_trip(client: TestClient) -> None:
    trip = copy.deepcopy(STORY)
    trip["traveller"]["documents"][0]["expires"] = "2028-02-20"
    decision = client.post("/v1/check", json=trip).json()
    assert decision["board"] is True
    assert decision["legs"][0]["max_stay_days"] == 30


def test_fixture_world_free_movement(fixture_client: TestClient) -> None:
    trip = {"traveller": {"nationalities": ["ZZA"],
                          "documents": [{"type": "national_id", "issuer": "ZZA",
                                         "expires": "2030-01-01"}]},
            "itinerary": [{"from": "ZZA", "to": "UTO", "date": "2024-03-01"}]}
    decision = fixture_client.post("/v1/check", json=trip).json()
    assert decision["status"] == "admissible" and decision["board"] is True
    codes = {f["code"] for f in decision["legs"][0]["findings"]}
    assert "FREEDOM_OF_MOVEMENT" in codes


def test_the_same_trip_is_unknown_code_on_the_real_data(client: TestClient) -> None:
    # The fictional codes exist only in the fixture data set's app.
    trip = {"traveller": {"nationalities": ["ZZA"], "documents": []},
            "itinerary": [{"from": "ZZA", "to": "UTO", "date": "2024-03-01"}]}
    response = client.post("/v1/check", json=trip)
    assert response.status_code == 422
    assert problem(response)["field"] == "itinerary[0].from"


def _with(path: list[Any], value: Any) -> dict[str, Any]:
    trip = copy.deepcopy(STORY)
    target: Any = trip
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return trip


@pytest.mark.parametrize(("body", "field", "value"), [
    (_with(["itinerary", 0, "date"], "2023-02-30"), "itinerary[0].date", "2023-02-30"),
    (_with(["itinerary", 0, "to"], "XYZ"), "itinerary[0].to", "XYZ"),
    (_with(["traveller", "documents", 0, "type"], "visa"), "traveller.documents[0].type",
     "visa"),
    (_with(["itinerary"], [{"from": "KAZ", "to": "MNG", "date": "9999-12-20"}]),
     "itinerary[0].date", "9999-12-20"),
    (_with(["traveller", "documents", 0, "expires"], "1850-01-01"),
     "traveller.documents[0].expires", "1850-01-01"),
    (_with(["itinerary"], []), "itinerary", []),
    (_with(["itinerary"], [STORY["itinerary"][0]] * 51), "itinerary", 51),
    ({**STORY, "untill": "2023-03-01"}, "untill", "untill"),
    ([1, 2], "trip", [1, 2]),
])
def test_bad_trips_name_the_field_and_value(client: TestClient, body: Any, field: str,
                                            value: Any) -> None:
    response = client.post("/v1/check", json=body)
    assert response.status_code == 422
    found = problem(response)
    assert found["field"] == field
    assert found["value"] == value
    assert field in found["message"]


@pytest.mark.parametrize(("raw", "words"), [
    (b"", "required"), (b"{", "not JSON"), (b'{"a": "\xff"}', "UTF-8"),
    (b"[" * 100_000 + b"]" * 100_000, "nested"), (b"1" * 5000, "JSON"),
])
def test_bodies_that_are_not_json(client: TestClient, raw: bytes, words: str) -> None:
    response = client.post("/v1/check", content=raw,
                           headers={"content-type": "application/json"})
    assert response.status_code == 422
    found = problem(response)
    assert found["field"] == "body" and words in found["message"]


@pytest.fixture(scope="module")
def small() -> Iterator[TestClient]:
    yield TestClient(create_app(FIXTURE, max_body_bytes=2000))


def test_a_body_over_the_limit_is_413(small: TestClient) -> None:
    big = json.dumps({**STORY, "pad": "x" * 3000}).encode()
    response = small.post("/v1/check", content=big, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert problem(response)["field"] == "body"


def test_a_chunked_body_over_the_limit_is_413(small: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(10):
            yield b" " * 500

    response = small.post("/v1/check", content=chunks(),
                          headers={"content-type": "application/json"})
    assert response.status_code == 413


def test_a_body_under_the_limit_is_read(small: TestClient) -> None:
    trip = {"traveller": {"nationalities": ["ZZA"], "documents": []},
            "itinerary": [{"from": "ZZA", "to": "UTO", "date": "2024-03-01"}]}
    assert small.post("/v1/check", json=trip).status_code == 200


def test_every_wrong_field_is_named_not_only_the_first(client: TestClient) -> None:
    body = copy.deepcopy(STORY)
    body["itinerary"].append({"from": "MNG", "to": "QQQ", "date": "2023-03-20"})
    body["itinerary"].append({"from": "MNG", "to": "KAZ", "date": "someday"})
    body["traveller"]["documents"][0]["expires"] = "2023-02-31"
    body["traveller"]["nationalities"] = ["RUS", "ZZ"]
    answer = client.post("/v1/check", json=body)
    assert answer.status_code == 422
    fields = [p["field"] for p in answer.json()["detail"]]
    assert fields == ["itinerary[1].to", "itinerary[2].date", "traveller.nationalities[1]",
                      "traveller.documents[0].expires"], fields
