"""The service on the shipped data set, for the page tests."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

from admit.api import create_app

STORY_FORM = {"nat-0-code": "RUS", "doc-0-type": "passport", "doc-0-issuer": "RUS",
              "doc-0-expires": "2023-02-20", "doc-0-issued": "2013-02-20",
              "leg-0-from": "KAZ", "leg-0-to": "Mongolia", "leg-0-date": "2023-02-27",
              "leg-0-until": "2023-03-20"}


@pytest.fixture(scope="session")
def client() -> Iterator[TestClient]:
    yield TestClient(create_app())
