"""Shared fixtures of the case tests: the two databases, a service on each, users, a refusal.

Every test that takes `service` (or `database_url`) runs twice: on SQLite in a temporary
directory and on PostgreSQL in a schema of its own, dropped afterwards. PostgreSQL comes from
ADMIT_TEST_POSTGRES_URL; without it those runs are skipped, unless ADMIT_REQUIRE_POSTGRES=1
(as in CI), which makes the missing database a failure.

The workflow tests use the fictional fixture world (tests/fixtures/rules): a ZZC national
refused at ZZA after flying in from UTO; UTO and ZZC share an extradition treaty there.
"""

from __future__ import annotations

import base64
import os
import secrets
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, make_url, text

from admit.cases import CaseService, Role, User
from admit.cases.crypto import Cipher
from admit.cases.db import connect
from admit.rules import Rules, load_rules

FIXTURE_RULES = Path(__file__).resolve().parents[1] / "fixtures" / "rules"
BACKENDS = ("sqlite", "postgresql")
OFFICER = User("olga", Role.OFFICER)
OFFICER_2 = User("omar", Role.OFFICER)
SUPERVISOR = User("sam", Role.SUPERVISOR)
AUDITOR = User("ada", Role.AUDITOR)


def postgres_url() -> str | None:
    url = os.environ.get("ADMIT_TEST_POSTGRES_URL")
    if url:
        return url
    if os.environ.get("ADMIT_REQUIRE_POSTGRES") == "1":
        pytest.fail("ADMIT_REQUIRE_POSTGRES=1 but ADMIT_TEST_POSTGRES_URL is not set")
    pytest.skip("PostgreSQL tests need ADMIT_TEST_POSTGRES_URL")


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database of each kind, as a URL a separate process can use too."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'admit.db'}"
        return
    base = postgres_url()
    assert base is not None
    schema = f"cases_{uuid.uuid4().hex[:12]}"
    admin = create_engine(make_url(base).set(drivername="postgresql+psycopg"))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).set(drivername="postgresql+psycopg").update_query_dict(
        {"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def key() -> bytes:
    return secrets.token_bytes(32)


@pytest.fixture(scope="session")
def fixture_rules() -> Rules:
    return load_rules(FIXTURE_RULES)


@pytest.fixture
def service(database_url: str, key: bytes, fixture_rules: Rules) -> Iterator[CaseService]:
    svc = CaseService(connect(database_url), Cipher(key), rules=fixture_rules)
    try:
        yield svc
    finally:
        svc.close()


@pytest.fixture
def real_service(database_url: str, key: bytes) -> Iterator[CaseService]:
    """A service on the embedded (real) data set, for the story."""
    svc = CaseService(connect(database_url), Cipher(key))
    try:
        yield svc
    finally:
        svc.close()


def key_text(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode("ascii")


ARRIVAL = datetime(2024, 5, 10, 7, 45, tzinfo=UTC)


def refusal(**changes: Any) -> dict[str, Any]:
    """A refusal in the fixture world: fictional person, fictional countries."""
    data: dict[str, Any] = {
        "person": {"surname": "TESTPERSON", "given_names": "ALEX", "nationalities": ["ZZC"],
                   "birth_date": "1980-01-01"},
        "documents": [{"type": "passport", "issuer": "ZZC", "number": "X0000001",
                       "issued": "2020-01-01", "expires": "2030-01-01"}],
        "arrival": {"carrier": "Test Air", "flight": "TA 1", "port_of_entry": "Zed airport",
                    "country": "ZZA", "embarkation_point": "Utopia city",
                    "embarkation_country": "UTO", "time": ARRIVAL.isoformat()},
        "grounds": "Nationals of ZZC are not admitted.",
    }
    data.update(changes)
    return data


def at(hours: float) -> str:
    """A time `hours` after the arrival, as the API takes it."""
    return (ARRIVAL + timedelta(hours=hours)).isoformat()
