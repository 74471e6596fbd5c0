"""Logs carry method, path and status, never query strings, bodies or exception messages."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import MutableMapping
from typing import Any

import pytest
from fastapi.testclient import TestClient

from admit.api.guard import Guard
from tests.api.conftest import SPECIMEN_TD3, STORY


def test_access_lines_have_no_query_and_no_body(client: TestClient,
                                                caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="admit")
    client.get("/v1/destinations", params={"nationality": "RUS",
                                           "document": "passport:RUS:2031-05-01"})
    client.post("/v1/check", json=STORY)
    client.post("/v1/check", json={**STORY, "bad": "751234567"})
    client.post("/v1/mrz", json={"mrz": SPECIMEN_TD3})
    lines = [r.getMessage() for r in caplog.records if r.name == "admit.access"]
    assert lines[-4:] == ["GET /v1/destinations 200", "POST /v1/check 200",
                          "POST /v1/check 422", "POST /v1/mrz 200"]
    text = "\n".join(r.getMessage() for r in caplog.records)
    for secret in ("751234567", "RUS", "ERIKSSON", "L898902C3", "passport"):
        assert secret not in text


def test_a_bug_answers_500_and_logs_no_message(caplog: pytest.LogCaptureFixture) -> None:
    async def broken(scope: Any, receive: Any, send: Any) -> None:
        raise ValueError("document 751234567 of ERIKSSON")

    sent: list[MutableMapping[str, Any]] = []

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    async def receive() -> MutableMapping[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    caplog.set_level(logging.INFO, logger="admit")
    scope = {"type": "http", "method": "POST", "path": "/v1/check", "headers": []}
    asyncio.run(Guard(broken)(scope, receive, send))
    assert sent[0]["status"] == 500 and b"internal error" in sent[1]["body"]
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "ValueError" in text and "POST /v1/check 500" in text
    assert "751234567" not in text and "ERIKSSON" not in text


def test_a_path_cannot_forge_a_log_line(client: TestClient,
                                        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="admit")
    client.get("/v1/countries/MNG%0a2026-01-01 INFO admit.access: GET /v1/version 200")
    client.get("/v1/countries/%E2%80%AE%1b[31m%ED%A0%80")
    lines = [r.getMessage() for r in caplog.records if r.name == "admit.access"]
    assert lines[-2:] == [
        "GET /v1/countries/MNG%0a2026-01-01%20INFO%20admit.access:%20GET%20/v1/version%20200 404",
        "GET /v1/countries/%E2%80%AE%1b%5B31m%ED%A0%80 422"]


def test_a_decoded_path_is_logged_escaped(caplog: pytest.LogCaptureFixture) -> None:
    # Without raw_path (ASGI leaves it optional) the decoded path is encoded again.
    async def ok(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def send(message: MutableMapping[str, Any]) -> None:
        pass

    async def receive() -> MutableMapping[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    caplog.set_level(logging.INFO, logger="admit")
    scope = {"type": "http", "method": "GET", "path": "/a\nb\r\x1b[0m\u202e\ud800 c",
             "headers": []}
    asyncio.run(Guard(ok)(scope, receive, send))
    [line] = [r.getMessage() for r in caplog.records if r.name == "admit.access"]
    assert line == "GET /a%0Ab%0D%1B%5B0m%E2%80%AE%5Cud800%20c 204"
