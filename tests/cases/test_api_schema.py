"""Schemathesis against /v1/cases mounted in the service's own app: no request, with or without
a token, gives a server error, and every answer has a documented status and shape."""

from __future__ import annotations

import atexit
import secrets
import tempfile
import warnings
from pathlib import Path

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis import checks

from admit.api import create_app
from admit.api.cases import router
from admit.cases import CaseService
from admit.cases.crypto import Cipher
from admit.cases.db import connect
from admit.web.cases import router as pages
from tests.cases.conftest import FIXTURE_RULES, OFFICER, refusal

CHECKS = [checks.not_a_server_error, checks.status_code_conformance,
          checks.content_type_conformance, checks.response_schema_conformance]
# Built at import, as schemathesis needs the schema to generate the tests; the store lives in
# a temporary directory removed when the interpreter exits.
_STORE = tempfile.TemporaryDirectory(prefix="admit-cases-schema-")
atexit.register(_STORE.cleanup)


def _app() -> tuple[FastAPI, str]:
    app = create_app(FIXTURE_RULES)
    app.include_router(router)
    app.include_router(pages)
    service = CaseService(connect(f"sqlite:///{Path(_STORE.name) / 'admit.db'}"),
                          Cipher(secrets.token_bytes(32)), rules=app.state.rules)
    atexit.register(service.close)
    for _ in range(3):
        service.open(OFFICER, refusal())
    app.state.case_service = service
    return app, service.add_user("fuzz", "supervisor")


APP, TOKEN = _app()
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    schema = schemathesis.openapi.from_asgi("/openapi.json", APP).include(
        path_regex="^/v1/cases")


@schema.parametrize()
@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_server_errors_with_or_without_a_token(
        case: schemathesis.Case) -> None:  # type: ignore[type-arg,unused-ignore]
    case.call_and_validate(checks=CHECKS)
    case.call_and_validate(checks=CHECKS,
                           headers={"Authorization": f"Bearer {TOKEN}"})
