"""Schemathesis against the service's own OpenAPI schema, in-process: no input gives a 5xx.

Why: the API promises that bad input is a 422 naming the field, never a crash. Schemathesis
generates requests from the schema — valid ones (which reach the engine with real data) and
invalid ones — and checks every answer: not a server error, and an answer of the documented
status and shape. The number of examples is bounded so the test stays under a minute.
"""

from __future__ import annotations

import warnings

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from admit.api import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app())

CHECKS = [checks.not_a_server_error, checks.response_schema_conformance,
          checks.status_code_conformance, checks.content_type_conformance]


@schema.parametrize()
@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: schemathesis.Case) -> None:  # type: ignore[type-arg,unused-ignore]
    case.call_and_validate(checks=CHECKS)
