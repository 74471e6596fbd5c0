"""Headless Chromium for the browser tests: Debian's binary named by ADMIT_CHROMIUM, driven by
Playwright.

Why one place: the page tests and the case pages' forgery tests start the same browser with the
same flags (no sandbox as root, no background traffic on a closed network) and skip the same
way — skipped without ADMIT_CHROMIUM, failed when ADMIT_REQUIRE_BROWSER=1 as CI sets.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM = os.environ.get("ADMIT_CHROMIUM")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def skip_without_chromium() -> None:
    """Call at a test module's top: skip the module, or fail it under ADMIT_REQUIRE_BROWSER."""
    if CHROMIUM:
        return
    if os.environ.get("ADMIT_REQUIRE_BROWSER") == "1":
        raise RuntimeError("ADMIT_REQUIRE_BROWSER=1 but ADMIT_CHROMIUM names no Chromium binary")
    pytest.skip("ADMIT_CHROMIUM is not set (Debian's chromium binary)", allow_module_level=True)


def launched() -> Iterator[Browser]:
    """One browser for a module's tests (the `browser` fixture of tests/conftest.py)."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM is not None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()
