"""Session-wide test settings.

The case store writes to ADMIT_DATA_DIR (default ./var). Any test that reaches it without its
own store (the service's schemathesis run walks every route, /v1/cases among them) must write
into a throwaway directory, never into the working tree.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.browser import launched

if TYPE_CHECKING:
    from playwright.sync_api import Browser


def pytest_configure() -> None:
    os.environ.setdefault("ADMIT_DATA_DIR", tempfile.mkdtemp(prefix="admit-test-data-"))
    # Parsed rule files are cached per content; tests keep theirs apart from the user's.
    os.environ.setdefault("ADMIT_RULES_CACHE", tempfile.mkdtemp(prefix="admit-test-cache-"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium, for the modules that called tests.browser.skip_without_chromium."""
    yield from launched()
