"""Headless Chromium for the browser tests: Debian's binary named by ADMIT_CHROMIUM, driven by
Playwright.

Why one place: the page tests and the case pages' forgery tests start the same browser with the
same flags (no sandbox as root, no background traffic on a closed network) and skip the same
way — skipped without ADMIT_CHROMIUM, failed when ADMIT_REQUIRE_BROWSER=1 as CI sets.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pytest
import uvicorn

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


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """An ASGI app served by uvicorn in a thread on a free loopback port: its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
