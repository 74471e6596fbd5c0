"""The forged-form attack on the case pages, in headless Chromium: admit on one loopback port,
an attacker's page on another (the same site, so SameSite=Strict cookies go along), whose form
submits itself to a case action or to the sign-in. Both are refused and nothing changes; the
supervisor's own forms still work.

Chromium is Debian's binary named by ADMIT_CHROMIUM; without it these tests are skipped, unless
ADMIT_REQUIRE_BROWSER=1 (as CI sets), when they fail.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi import FastAPI

from admit.cases import CaseService, State
from admit.cases.domain import ClaimStatus
from admit.web.cases import COOKIE, router
from tests.browser import serving, skip_without_chromium
from tests.cases.conftest import SUPERVISOR
from tests.cases.workflow import do, reach

skip_without_chromium()

from playwright.sync_api import Browser, BrowserContext, expect  # noqa: E402


@dataclass
class Seen:
    """The POSTs that reached admit: path, and whether the session cookie came with them."""

    posts: list[tuple[str, bool]] = field(default_factory=list)


def recording(app: FastAPI, seen: Seen) -> Callable[..., Any]:
    async def asgi(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            cookies = b"; ".join(v for k, v in scope["headers"] if k == b"cookie")
            seen.posts.append((scope["path"], COOKIE.encode() + b"=" in cookies))
        await app(scope, receive, send)
    return asgi


@dataclass
class Admit:
    url: str
    seen: Seen


@pytest.fixture
def admit(service: CaseService) -> Iterator[Admit]:
    app = FastAPI()
    app.state.case_service = service
    app.include_router(router)
    seen = Seen()
    with serving(recording(app, seen)) as url:
        yield Admit(url, seen)


class Attacker:
    """The attacker's site: a plain HTTP server on another loopback port, serving pages."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        pages = self.pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = pages.get(self.path, "not here").encode()
                self.send_response(200 if self.path in pages else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def auto_submit(self, path: str, action: str, fields: dict[str, str]) -> str:
        """A page whose form posts `fields` to `action` as soon as it loads."""
        inputs = "".join(f'<input type="hidden" name="{html.escape(k)}" '
                         f'value="{html.escape(v)}">' for k, v in fields.items())
        self.pages[path] = (f'<!doctype html><title>You won a prize</title>'
                            f'<form id="f" method="post" action="{html.escape(action)}">'
                            f'{inputs}</form><script>document.getElementById("f").submit()'
                            '</script>')
        return self.url + path

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(10)


@pytest.fixture
def attacker() -> Iterator[Attacker]:
    site = Attacker()
    yield site
    site.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    opened = browser.new_context(viewport={"width": 1280, "height": 900})
    yield opened
    opened.close()


def test_another_port_cannot_lift_the_hold(context: BrowserContext, admit: Admit,
                                           attacker: Attacker, service: CaseService) -> None:
    case = do(service, reach(service, State.REMOVAL_PROPOSED), "lodge_claim")
    token = service.add_user("sam-web", "supervisor")
    page = context.new_page()
    page.goto(f"{admit.url}/cases/login")
    page.get_by_label("API token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Cases, by next deadline")).to_be_visible()

    # What the attacker knows: the case number, its version, the claim number, and a token
    # made up in the shape of the real one.
    target = f"{admit.url}/cases/{case.id}"
    reject = attacker.auto_submit("/prize.html", f"{target}/assess_claim", {
        "version": str(case.version), "claim": "1", "outcome": "rejected",
        "assessment": "not substantiated", "csrf_token": "0" * 64})
    approve = attacker.auto_submit("/prize2.html", f"{target}/approve_removal", {
        "version": str(case.version + 1), "csrf_token": "0" * 64})
    for forged, action in ((reject, "assess_claim"), (approve, "approve_removal")):
        page.goto(forged)
        page.wait_for_url(lambda url: url.startswith(admit.url))  # the form went
        page.wait_for_load_state()
        after = service.get(SUPERVISOR, case.id)
        assert after == case, action
        assert after.state is State.REMOVAL_PROPOSED
        assert after.claims[0].status is ClaimStatus.PENDING
        assert page.url == f"{target}/{action}"
        expect(page.get_by_role("alert")).to_contain_text("CROSS_ORIGIN")
        expect(page.get_by_role("alert")).to_contain_text(attacker.url)
        assert "TESTPERSON" not in page.content()
    # The browser did send the session cookie with the forged posts: only the checks stopped
    # them.
    forged_posts = [p for p in admit.seen.posts if p[0] != "/cases/login"]
    assert forged_posts == [(f"/cases/{case.id}/assess_claim", True),
                            (f"/cases/{case.id}/approve_removal", True)]

    # The supervisor's own form, on admit's page, is taken.
    page.goto(target)
    expect(page.get_by_role("status").filter(has_text="NON_REFOULEMENT_HOLD")).to_be_visible()
    page.locator("summary", has_text="Assess a protection claim").click()
    page.locator("#assess_claim-claim").fill("1")
    page.locator("#assess_claim-outcome").select_option("withdrawn")
    page.locator("#assess_claim-assessment").fill("the person withdrew the claim")
    page.locator("form[action$='/assess_claim'] button").click()
    expect(page.get_by_role("status").filter(has_text="Recorded")).to_be_visible()
    assert service.get(SUPERVISOR, case.id).claims[0].status is ClaimStatus.WITHDRAWN


def test_another_port_cannot_sign_the_browser_in(context: BrowserContext, admit: Admit,
                                                 attacker: Attacker,
                                                 service: CaseService) -> None:
    """Login CSRF: the attacker's page signs the victim's browser in with the attacker's own
    token, so what the victim records goes under the attacker's name."""
    attacker_token = service.add_user("mallory", "officer")
    page = context.new_page()
    page.goto(f"{admit.url}/cases/login")  # the victim's browser holds a pre-session cookie
    forged = attacker.auto_submit("/login.html", f"{admit.url}/cases/login", {
        "token": attacker_token, "next": "/cases", "csrf_token": "0" * 64})
    page.goto(forged)
    page.wait_for_url(lambda url: url.startswith(admit.url))  # the form went
    page.wait_for_load_state()
    assert COOKIE not in {c["name"] for c in context.cookies()}
    assert admit.seen.posts == [("/cases/login", False)]
    assert page.url == f"{admit.url}/cases/login"
    expect(page.get_by_role("alert")).to_contain_text("CROSS_ORIGIN")
    page.goto(f"{admit.url}/cases")
    expect(page.get_by_role("heading", name="Sign in to the case pages")).to_be_visible()
