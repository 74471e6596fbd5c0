"""/v1/cases against an attacker's input: lone surrogates, numbers JSON cannot hold, odd
If-Match headers. Each is a 4xx naming the field, never a 500, and personal values stay out."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from admit.api.cases import router
from admit.cases import CaseService
from tests.cases.conftest import refusal


@pytest.fixture
def client(service: CaseService) -> Iterator[TestClient]:
    app = FastAPI()
    app.state.case_service = service
    app.include_router(router)
    # raise_server_exceptions=False: a bug shows as the 500 a client would get.
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def officer(service: CaseService) -> dict[str, str]:
    return {"Authorization": f"Bearer {service.add_user('officer-1', 'officer')}",
            "content-type": "application/json"}


@pytest.fixture
def case_url(client: TestClient, officer: dict[str, str]) -> str:
    opened = client.post("/v1/cases", json=refusal(), headers=officer)
    assert opened.status_code == 201, opened.text
    return f"/v1/cases/{opened.json()['id']}"


def problems(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 422, response.text
    found: list[dict[str, Any]] = response.json()["detail"]
    for one in found:
        assert {"field", "value", "message"} <= set(one) and one["field"] in one["message"]
    return found


BODY = json.dumps(refusal())


@pytest.mark.parametrize(("old", "new", "field", "value"), [
    ('"Test Air"', '"Test\\ud800Air"', "arrival.carrier", "Test\\ud800Air"),
    ('"Test Air"', "NaN", "arrival.carrier", "NaN"),
    ('"ZZC"', "1e400", "person.nationalities[0]", "1e400"),
    ('"carrier"', '"\\udc00"', "arrival.\\udc00", "\\udc00"),
    ('"TESTPERSON"', '"TEST\\ud800"', "person.surname", "<redacted>"),
    ('"X0000001"', '"X\\ud800"', "documents[0].number", "<redacted>"),
])
def test_opening_with_what_json_cannot_carry_is_422(client: TestClient, officer: dict[str, str],
                                                    old: str, new: str, field: str,
                                                    value: str) -> None:
    assert old in BODY
    response = client.post("/v1/cases", content=BODY.replace(old, new, 1).encode(),
                           headers=officer)
    [found] = problems(response)
    assert (found["field"], found["value"]) == (field, value)
    assert "TESTPERSON" not in response.text and "X0000001" not in response.text


def test_a_note_with_a_lone_surrogate_is_422_and_withheld(client: TestClient,
                                                         officer: dict[str, str],
                                                         case_url: str) -> None:
    response = client.post(f"{case_url}/note", content=b'{"text": "secret \\ud800"}',
                           headers={**officer, "If-Match": '"1"'})
    [found] = problems(response)
    assert found["field"] == "text" and found["value"] == "<redacted>"
    assert "secret" not in response.text


@pytest.mark.parametrize("header", [
    b'"' + b"9" * 5000 + b'"',  # more digits than Python reads
    b'"' + b"9" * 40 + b'"',  # beyond any version a store can hold
    b'"\xb2"',  # SUPERSCRIPT TWO (as Latin-1, how headers are read): isdigit() yes, int() no
    b'"1\xb9"',
    b'W/"\xbd"',
    b'"-1"', b'"+1"', b'" 1"', b'"1_0"', b"*", b'""', b"\xff\xfe", b'"1', b'1"',
])
def test_odd_if_match_headers_are_422_naming_the_header(client: TestClient,
                                                        officer: dict[str, str],
                                                        case_url: str, header: bytes) -> None:
    # Sent through httpx's ASGI transport, which passes header bytes as they are (the test
    # client would re-encode them as UTF-8, as no server would).
    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=client.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as raw:
            return await raw.post(f"{case_url}/note", content=b'{"text": "a"}', headers=[
                *((k.encode(), v.encode()) for k, v in officer.items()),
                (b"If-Match", header)])

    [found] = problems(asyncio.run(send()))
    assert found["field"] == "If-Match"
    assert len(found["value"]) <= 201 and len(found["message"]) < 400


@pytest.mark.parametrize("header", ['"1"', "1", 'W/"1"', ' "1" '])
def test_the_version_forms_an_etag_takes_are_read(client: TestClient, officer: dict[str, str],
                                                  case_url: str, header: str) -> None:
    response = client.post(f"{case_url}/note", json={"text": "a"},
                           headers={**officer, "If-Match": header})
    assert response.status_code == 200, response.text
    assert response.headers["ETag"] == '"2"'


def test_a_case_id_beyond_the_store_is_a_4xx(client: TestClient,
                                             officer: dict[str, str]) -> None:
    big = "9" * 40
    assert client.get(f"/v1/cases/{big}", headers=officer).status_code in (404, 422)
    response = client.post(f"/v1/cases/{big}/note", json={"text": "a"},
                           headers={**officer, "If-Match": '"1"'})
    assert response.status_code in (404, 422)


def test_a_long_consider_value_is_echoed_cut(client: TestClient, officer: dict[str, str],
                                             case_url: str) -> None:
    [found] = problems(client.get(case_url, params={"consider": "X" * 5000}, headers=officer))
    assert found["field"] == "consider" and len(found["value"]) <= 201
