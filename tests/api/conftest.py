"""Clients for the service: on the fictional fixture world and on the shipped data set."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)  # starlette's note about httpx versions
    from fastapi.testclient import TestClient

from admit.api import create_app

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "rules"

# The story of docs/design.md: a Russian passport that expired a week before the flight to Mongolia.
STORY: dict[str, Any] = {
    "traveller": {
        "nationalities": ["RUS"],
        "documents": [{"type": "passport", "issuer": "RUS", "number": "751234567",
                       "issued": "2013-02-20", "expires": "2023-02-20"}],
    },
    "itinerary": [{"from": "KAZ", "to": "MNG", "date": "2023-02-27", "until": "2023-03-20"}],
}
SPECIMEN_TD3 = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
                "L898902C36UTO7408122F1204159ZE184226B<<<<<10")


@pytest.fixture(scope="session")
def client() -> Iterator[TestClient]:
    """The service on the shipped data set."""
    yield TestClient(create_app())


@pytest.fixture(scope="session")
def fixture_client() -> Iterator[TestClient]:
    """The service on tests/fixtures/rules (UTO and the ZZA–ZZE codes)."""
    yield TestClient(create_app(FIXTURE))


def problem(response: Any) -> dict[str, Any]:
    """The first problem of a 422 answer, checked for the documented shape."""
    body = response.json()
    assert set(body) == {"detail"}, body
    first: dict[str, Any] = body["detail"][0]
    assert {"field", "value", "message"} <= set(first), first
    return first
