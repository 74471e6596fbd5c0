"""/v1/cases mounted in a small app: tokens, roles, versions, transitions, errors."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from admit.api.cases import router
from admit.cases import CaseService
from tests.cases.conftest import refusal
from tests.cases.workflow import PAYLOADS


@pytest.fixture
def client(service: CaseService) -> Iterator[TestClient]:
    app = FastAPI()
    app.state.case_service = service
    app.include_router(router)
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def tokens(service: CaseService) -> dict[str, str]:
    return {role: service.add_user(f"{role}-1", role)
            for role in ("officer", "supervisor", "auditor")}


def auth(token: str, version: int | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token}"}
    if version is not None:
        headers["If-Match"] = f'"{version}"'
    return headers


def test_no_token_is_401_and_a_wrong_token_too(client: TestClient) -> None:
    missing = client.get("/v1/cases")
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"] == "Bearer"
    assert missing.json()["detail"]["code"] == "UNAUTHENTICATED"
    wrong = client.get("/v1/cases", headers=auth("admit_not-a-token"))
    assert wrong.status_code == 401


def test_a_revoked_token_stops_working(client: TestClient, service: CaseService,
                                       tokens: dict[str, str]) -> None:
    assert client.get("/v1/cases", headers=auth(tokens["officer"])).status_code == 200
    service.revoke_user("officer-1")
    assert client.get("/v1/cases", headers=auth(tokens["officer"])).status_code == 401


def test_roles_are_enforced_with_403(client: TestClient, tokens: dict[str, str]) -> None:
    denied = client.post("/v1/cases", json=refusal(), headers=auth(tokens["auditor"]))
    assert denied.status_code == 403
    assert "auditor role may not open" in denied.json()["detail"]["message"]
    opened = client.post("/v1/cases", json=refusal(), headers=auth(tokens["officer"]))
    assert opened.status_code == 201, opened.text
    case = opened.json()
    assert opened.headers["Location"] == f"/v1/cases/{case['id']}"
    url = f"/v1/cases/{case['id']}"
    proposed = client.post(f"{url}/propose_removal", json=PAYLOADS["propose_removal"],
                           headers=auth(tokens["officer"], 1))
    assert proposed.status_code == 200, proposed.text
    assert proposed.json()["state"] == "removal_proposed"
    assert proposed.headers["ETag"] == '"2"'
    officer_approves = client.post(f"{url}/approve_removal",
                                   headers=auth(tokens["officer"], 2))
    assert officer_approves.status_code == 403
    auditor_notes = client.post(f"{url}/note", json={"text": "x"},
                                headers=auth(tokens["auditor"], 2))
    assert auditor_notes.status_code == 403
    approved = client.post(f"{url}/approve_removal", headers=auth(tokens["supervisor"], 2))
    assert approved.json()["state"] == "removal_approved"
    read = client.get(url, headers=auth(tokens["auditor"]))
    assert read.status_code == 200 and read.json()["actions"] == []
    assert [e["kind"] for e in read.json()["timeline"]] == [
        "open", "propose_removal", "approve_removal"]
    assert read.json()["timeline"][2]["role"] == "supervisor"


def test_a_stale_version_is_409_and_a_missing_one_428(client: TestClient,
                                                      tokens: dict[str, str]) -> None:
    url = "/v1/cases/" + str(client.post("/v1/cases", json=refusal(),
                                          headers=auth(tokens["officer"])).json()["id"])
    first = client.post(f"{url}/note", json={"text": "a"}, headers=auth(tokens["officer"], 1))
    assert first.status_code == 200
    second = client.post(f"{url}/note", json={"text": "b"},
                         headers=auth(tokens["supervisor"], 1))
    assert second.status_code == 409
    assert second.json()["detail"]["code"] == "VERSION_CONFLICT"
    unversioned = client.post(f"{url}/note", json={"text": "b"},
                              headers=auth(tokens["supervisor"]))
    assert unversioned.status_code == 428
    etag = client.get(url, headers=auth(tokens["supervisor"])).headers["ETag"]
    retried = client.post(f"{url}/note", json={"text": "b"},
                          headers={**auth(tokens["supervisor"]), "If-Match": etag})
    assert [n["text"] for n in retried.json()["notes"]] == ["a", "b"]


def test_refusals_and_bad_input_are_422_with_their_reason(client: TestClient,
                                                          tokens: dict[str, str]) -> None:
    officer = tokens["officer"]
    bad = client.post("/v1/cases", json=refusal(person={"surname": "", "nationalities":
                                                         ["ZZC"]}),
                      headers=auth(officer))
    assert bad.status_code == 422
    [problem] = bad.json()["detail"]
    assert problem["field"] == "person.surname" and problem["value"] == "<redacted>"
    country = client.post("/v1/cases", json=refusal(alternatives=["XQZ"]),
                          headers=auth(officer))
    assert country.json()["detail"] == [{
        "field": "alternatives[0]", "value": "XQZ",
        "message": "alternatives[0]: not an ICAO country code (got 'XQZ')"}]
    case_id = client.post("/v1/cases", json=refusal(), headers=auth(officer)).json()["id"]
    refused = client.post(f"/v1/cases/{case_id}/remove", json=PAYLOADS["remove"],
                          headers=auth(officer, 1))
    assert refused.status_code == 422
    assert refused.json()["detail"]["code"] == "INVALID_TRANSITION"
    not_json = client.post(f"/v1/cases/{case_id}/note", content=b"{",
                           headers=auth(officer, 1))
    assert not_json.status_code == 422 and not_json.json()["detail"][0]["field"] == "body"
    assert client.get("/v1/cases/999", headers=auth(officer)).status_code == 404


def test_the_hold_is_visible_and_refuses_removal(client: TestClient,
                                                 tokens: dict[str, str]) -> None:
    officer, supervisor = tokens["officer"], tokens["supervisor"]
    case_id = client.post("/v1/cases", json=refusal(), headers=auth(officer)).json()["id"]
    url = f"/v1/cases/{case_id}"
    client.post(f"{url}/propose_removal", json=PAYLOADS["propose_removal"],
                headers=auth(officer, 1))
    claimed = client.post(f"{url}/lodge_claim", json=PAYLOADS["lodge_claim"],
                          headers=auth(officer, 2)).json()
    assert claimed["hold"]["code"] == "NON_REFOULEMENT_HOLD"
    uto = next(a for a in claimed["alternatives"] if a["country"] == "UTO")
    assert [(r["reason"], r["agreement"]) for r in uto["risks"]] == [
        ("extradition", "EXTRADITION")]
    assert uto["risks"][0]["sources"] == [{"url": "https://example.org/extradition",
                                           "title": "Extradition treaty"}]
    blocked = client.post(f"{url}/approve_removal", headers=auth(supervisor, 3))
    assert blocked.status_code == 422
    assert blocked.json()["detail"]["code"] == "NON_REFOULEMENT_HOLD"
    considered = client.get(url, params={"consider": ["ZZD"]}, headers=auth(officer)).json()
    assert "asked" in next(a for a in considered["alternatives"]
                           if a["country"] == "ZZD")["roles"]


def test_lists_due_and_verify(client: TestClient, tokens: dict[str, str]) -> None:
    officer = tokens["officer"]
    first = client.post("/v1/cases", json=refusal(), headers=auth(officer)).json()
    client.post(f"/v1/cases/{first['id']}/notify_carrier", json=PAYLOADS["notify_carrier"],
                headers=auth(officer, 1))
    second = client.post("/v1/cases", json=refusal(), headers=auth(officer)).json()
    listed = client.get("/v1/cases", headers=auth(tokens["auditor"])).json()["cases"]
    assert [c["id"] for c in listed] == [second["id"], first["id"]]
    assert listed[0]["next_deadline"]["kind"] == "notify_carrier"
    assert listed[0]["person"]["surname"] == "TESTPERSON"
    due = client.get("/v1/cases/due", params={"at": "2024-05-10T12:00:00Z"},
                     headers=auth(officer)).json()
    assert [c["id"] for c in due["cases"]] == [second["id"]]
    later = client.get("/v1/cases/due", params={"at": "2024-05-10T12:00:00Z",
                                                 "within_hours": 26},
                       headers=auth(officer)).json()
    assert [c["id"] for c in later["cases"]] == [second["id"], first["id"]]
    far = client.get("/v1/cases/due", params={"at": "9999-12-31T23:00:00-10:00"},
                     headers=auth(officer))
    assert far.status_code == 422 and far.json()["detail"][0]["field"] == "at"
    report = client.get("/v1/cases/verify", headers=auth(tokens["auditor"])).json()
    assert report["ok"] is True and report["chain"]["events"] == 3 + 3  # users + case events
