"""/v1/cases against what an attacker sends (tests.api.hostile): hostile values planted in a
valid refusal or action, odd If-Match and other header bytes, odd query values. Every answer
has a documented status, never a 5xx, and a body no answer could carry is always refused."""

from __future__ import annotations

import atexit
import secrets
import tempfile
import urllib.parse
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from admit.api import create_app
from admit.cases import CaseService
from admit.cases.crypto import Cipher
from admit.cases.db import connect
from tests.api.hostile import (
    assert_answered,
    header_bytes,
    hostile_bodies,
    odd_headers,
    odd_text,
    send_raw,
    to_json,
    unwritable,
)
from tests.cases.conftest import FIXTURE_RULES, OFFICER, refusal
from tests.cases.workflow import PAYLOADS

# Built at import, as hypothesis's tests need it before any fixture; the store lives in a
# temporary directory removed when the interpreter exits.
_STORE = tempfile.TemporaryDirectory(prefix="admit-cases-fuzz-")
atexit.register(_STORE.cleanup)
STATUSES = frozenset({200, 201, 401, 403, 404, 409, 422, 428})


def _app() -> tuple[FastAPI, str, int]:
    app = create_app(FIXTURE_RULES)
    service = CaseService(connect(f"sqlite:///{Path(_STORE.name) / 'admit.db'}"),
                          Cipher(secrets.token_bytes(32)), rules=app.state.rules)
    atexit.register(service.close)
    case = service.open(OFFICER, refusal())
    app.state.case_service = service
    return app, service.add_user("fuzz", "supervisor"), case.id


APP, TOKEN, CASE = _app()
AUTH = [(b"authorization", f"Bearer {TOKEN}".encode()), (b"content-type", b"application/json")]


@given(st.data())
@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_hostile_bodies_get_a_documented_answer(data: st.DataObject) -> None:
    action = data.draw(st.sampled_from(["open", *sorted(PAYLOADS)]))
    base: Any = refusal() if action == "open" else PAYLOADS[action]
    body = data.draw(hostile_bodies(base))
    if action == "open":
        response = send_raw(APP, "POST", "/v1/cases", AUTH, to_json(body).encode())
    else:
        # The version is read first, so a planted value meets the reader, not a conflict.
        version = send_raw(APP, "GET", f"/v1/cases/{CASE}", AUTH).headers["etag"]
        response = send_raw(APP, "POST", f"/v1/cases/{CASE}/{action}",
                            [*AUTH, (b"if-match", version.encode())], to_json(body).encode())
    assert_answered(response, STATUSES)
    if unwritable(body):
        assert response.status_code == 422, response.text[:500]


@given(st.booleans(), st.lists(st.tuples(st.just(b"if-match"), header_bytes), max_size=2),
       odd_headers, st.sampled_from([("POST", "note"), ("POST", ""), ("GET", ""),
                                     ("GET", "events")]))
@settings(max_examples=100, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_odd_headers_get_a_documented_answer(current: bool, if_match: list[tuple[bytes, bytes]],
                                             others: list[tuple[bytes, bytes]],
                                             call: tuple[str, str]) -> None:
    method, action = call
    url = f"/v1/cases/{CASE}/{action}".rstrip("/") if action or method == "GET" else "/v1/cases"
    if current:  # the version as read, so odd headers beside it meet a change that works
        version = send_raw(APP, "GET", f"/v1/cases/{CASE}", AUTH).headers["etag"]
        if_match = [(b"if-match", version.encode()), *if_match]
    body = {"note": PAYLOADS["note"], "": refusal()}[action] if method == "POST" else None
    response = send_raw(APP, method, url, [*AUTH, *if_match, *others],
                        to_json(body).encode() if body else b"")
    assert_answered(response, STATUSES)


@given(st.sampled_from(["/v1/cases/{case}", "/v1/cases/due", "/v1/cases",
                        "/v1/cases/" + "9" * 40, "/v1/cases/-1/events"]),
       st.sampled_from(["consider", "at", "within_hours", "state", "limit", "offset"]),
       st.one_of(odd_text, st.sampled_from(["nan", "inf", "-inf", "1e400", "9" * 5000,
                                            "2024-05-10T25:00:00", "9999-12-31T23:59:59-23:59",
                                            "0001-01-01T00:00:00+23:59"])))
@settings(max_examples=100, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_odd_query_values_get_a_documented_answer(path: str, name: str, value: str) -> None:
    query = urllib.parse.urlencode({name: value.encode("utf-8", "surrogatepass")})
    response = send_raw(APP, "GET", path.format(case=CASE) + "?" + query, AUTH)
    assert_answered(response, STATUSES)
