"""POST /v1/mrz, POST /v1/stay and GET /v1/version."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from admit.engine import ENGINE_VERSION
from tests.api.conftest import SPECIMEN_TD3, problem


def test_mrz_specimen_is_read(client: TestClient) -> None:
    response = client.post("/v1/mrz", json={"mrz": SPECIMEN_TD3, "on": "2026-11-24"})
    assert response.status_code == 200
    result = response.json()
    assert result["format"] == "TD3" and result["valid"] is True
    assert result["fields"]["surname"] == "ERIKSSON"
    assert result["dates"] == {"birth_date": "1974-08-12", "expiry_date": "2012-04-15"}
    assert all(result["checks"].values())


def test_mrz_with_a_wrong_composite_digit_is_invalid_not_an_error(client: TestClient) -> None:
    broken = SPECIMEN_TD3[:-1] + "9"
    result = client.post("/v1/mrz", json={"mrz": broken.split("\n")}).json()
    assert result["valid"] is False
    assert result["checks"]["composite"] is False
    assert "check_digit.composite" in [e["code"] for e in result["errors"]]


def test_mrz_repair_is_an_option(client: TestClient) -> None:
    misread = SPECIMEN_TD3.replace("7408122F1204159", "74O8I22F12O4I59")
    result = client.post("/v1/mrz", json={"mrz": misread, "repair": True}).json()
    assert result["valid"] is True and result["corrected"]


@pytest.mark.parametrize(("body", "field"), [
    ({"mrz": "A\nB\nC\nD\nE\nF\nG"}, "mrz"),
    ({"mrz": 12}, "mrz"),
    ({}, "mrz"),
    ({"mrz": SPECIMEN_TD3, "profile": "loose"}, "profile"),
    ({"mrz": SPECIMEN_TD3, "repair": "yes"}, "repair"),
    ({"mrz": SPECIMEN_TD3, "on": "yesterday"}, "on"),
    ({"mrz": SPECIMEN_TD3, "format": "TD9"}, "format"),
    ({"mrz": SPECIMEN_TD3, "lines": 2}, "lines"),
    (["P<UTO"], "body"),
])
def test_mrz_bad_requests(client: TestClient, body: object, field: str) -> None:
    response = client.post("/v1/mrz", json=body)
    assert response.status_code == 422
    assert problem(response)["field"] == field


def test_stay_control_matches_sem_example_2(client: TestClient) -> None:
    # sem.admin.ch's example 2 for the EU calculator (docs/stay.md).
    response = client.post("/v1/stay", json={
        "rule": {"window_days": 180, "max_days": 90},
        "stays": [["2014-08-15", "2014-09-30"], ["2014-11-01", "2014-11-30"]],
        "query_date": "2014-11-30"})
    assert response.status_code == 200
    answer = response.json()
    assert (answer["days_used"], answer["days_remaining"], answer["latest_exit"]) == (
        77, 13, "2014-12-13")


@pytest.mark.parametrize(("body", "field"), [
    ({"rule": {"window_days": 30, "max_days": 90}, "stays": [], "query_date": "2020-01-01"},
     "rule.window_days"),
    ({"rule": {"window_days": 180, "max_days": 90}, "stays": [["2020-01-05", "2020-01-01"]],
      "query_date": "2020-02-01"}, "stays[0]"),
    ({"rule": {"window_days": 180, "max_days": 90}, "stays": []}, "query_date"),
])
def test_stay_bad_requests(client: TestClient, body: object, field: str) -> None:
    response = client.post("/v1/stay", json=body)
    assert response.status_code == 422
    assert problem(response)["field"] == field


def test_version(client: TestClient, fixture_client: TestClient) -> None:
    real = client.get("/v1/version").json()
    fixture = fixture_client.get("/v1/version").json()
    assert real["engine_version"] == fixture["engine_version"] == ENGINE_VERSION
    assert real["data_version"] != fixture["data_version"]
    assert fixture["destinations"] == 4 and real["destinations"] > 50
