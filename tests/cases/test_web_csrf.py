"""Forged posts to the case pages: every state-changing POST (each case action, opening a case,
signing in and out) is refused with a 403 page when its form token is missing or another
session's, or when it comes from another origin (another port of the same host is the same
site, so the session cookie goes with it); the same post with the session's token from the
server's own origin is taken."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from starlette.requests import Request

from admit.cases import Case, CaseService, State
from admit.cases.machine import ACTIONS
from admit.web import csrf
from admit.web.cases import COOKIE, router
from tests.cases.conftest import OFFICER, SUPERVISOR, refusal
from tests.cases.pages import OPEN_FORM, OWN_ORIGIN, form_token, sign_in
from tests.cases.workflow import PAYLOADS, PREREQUISITES, do, reach

CASE_ACTIONS = [name for name in ACTIONS if name != "open"]
OTHER_PORT = "http://testserver:8001"  # the same host on another port: the same site
SAME = {"Origin": OWN_ORIGIN}
# Each forgery: the headers sent, and whether the form carries the session's own token
# (True), another session's (False) or none (None).
FORGERIES: dict[str, tuple[dict[str, str], bool | None]] = {
    "no token": (SAME, None),
    "another session's token": (SAME, False),
    "another port's Origin": ({"Origin": OTHER_PORT}, True),
    "another host's Origin": ({"Origin": "https://attacker.example"}, True),
    "an opaque Origin": ({"Origin": "null"}, True),
    "another port's Referer": ({"Referer": OTHER_PORT + "/attack.html?case=1"}, True),
    "neither Origin nor Referer": ({}, True),
}
PERSONAL = ("TESTPERSON", "ALEX", "X0000001", "1980-01-01")


@pytest.fixture
def app(service: CaseService) -> FastAPI:
    app = FastAPI()
    app.state.case_service = service
    app.include_router(router)
    return app


class Browser:
    """A signed-in supervisor's browser, and the form token of a second sign-in of the same
    user (another session: its token must not work here)."""

    def __init__(self, app: FastAPI, service: CaseService) -> None:
        api_token = service.add_user("sam-web", "supervisor")
        self.client = TestClient(app)
        self.token = sign_in(self.client, api_token)
        with TestClient(app) as other:
            self.other_token = sign_in(other, api_token)
        assert self.other_token != self.token

    def post(self, path: str, form: dict[str, str], forgery: str | None = None) -> Response:
        headers, own = FORGERIES[forgery] if forgery else (SAME, True)
        data = dict(form)
        if own is not None:
            data["csrf_token"] = self.token if own else self.other_token
        sent: Response = self.client.post(path, data=data, headers=headers,
                                          follow_redirects=False)
        return sent

    def signed_in(self) -> bool:
        page = self.client.get("/cases", follow_redirects=False)
        return page.status_code == 200 and "Sign out" in page.text


@pytest.fixture
def browser(app: FastAPI, service: CaseService) -> Browser:
    return Browser(app, service)


def assert_refused(response: Response, forgery: str) -> None:
    code = "CSRF_TOKEN" if FORGERIES[forgery][1] is not True else "CROSS_ORIGIN"
    assert response.status_code == 403, (forgery, response.status_code)
    assert response.headers["content-type"].startswith("text/html")
    assert f"<strong>{code}</strong>" in response.text, forgery
    assert "Nothing was changed" in response.text or "sign in again" in response.text
    assert "Traceback" not in response.text
    assert "/attack.html" not in response.text and "case=1" not in response.text
    for personal in PERSONAL:
        assert personal not in response.text, (forgery, personal)


def ready(service: CaseService, action: str) -> Case:
    """A case on which `action` is allowed: in its first source state, with what it acts on."""
    source = sorted(ACTIONS[action].sources, key=list(State).index)[0]
    case = reach(service, source)
    for step in PREREQUISITES.get(action, ()):
        case = do(service, case, step)
    return case


def action_form(action: str, case: Case) -> dict[str, str]:
    def text(value: Any) -> str:
        return str(value).lower() if isinstance(value, bool) else str(value)

    return {"version": str(case.version),
            **{name: text(value) for name, value in PAYLOADS[action].items()}}


@pytest.mark.parametrize("action", CASE_ACTIONS)
def test_every_case_action_refuses_forgeries_and_takes_the_real_form(
        browser: Browser, service: CaseService, action: str) -> None:
    case = ready(service, action)
    path = f"/cases/{case.id}/{action}"
    form = action_form(action, case)
    for forgery in FORGERIES:
        assert_refused(browser.post(path, form, forgery), forgery)
    assert service.get(SUPERVISOR, case.id) == case  # nothing changed
    taken = browser.post(path, form)
    assert taken.status_code == 303, taken.text
    assert taken.headers["location"] == f"/cases/{case.id}?done={action}"
    assert service.get(SUPERVISOR, case.id).version == case.version + 1


def test_a_referer_from_the_own_origin_is_enough_without_an_origin(
        browser: Browser, service: CaseService) -> None:
    case = service.open(OFFICER, refusal())
    sent = browser.client.post(f"/cases/{case.id}/note", data={
        "version": "1", "text": "checked", "csrf_token": browser.token},
        headers={"Referer": f"{OWN_ORIGIN}/cases/{case.id}"}, follow_redirects=False)
    assert sent.status_code == 303
    assert [n.text for n in service.get(OFFICER, case.id).notes] == ["checked"]


def test_the_hold_cannot_be_lifted_from_another_port(browser: Browser,
                                                     service: CaseService) -> None:
    """The attack as found: a page on another port rejects the pending claim, then approves
    the removal; both are refused and the hold stays."""
    case = do(service, reach(service, State.REMOVAL_PROPOSED), "lodge_claim")
    for action in ("assess_claim", "approve_removal"):
        form = action_form(action, case)
        for forgery in ("another port's Origin", "no token"):
            assert_refused(browser.post(f"/cases/{case.id}/{action}", form, forgery), forgery)
    after = service.get(SUPERVISOR, case.id)
    assert after == case
    assert after.state is State.REMOVAL_PROPOSED and after.claims[0].status.value == "pending"
    assert "NON_REFOULEMENT_HOLD" in browser.client.get(f"/cases/{case.id}").text


def test_opening_a_case_refuses_forgeries(browser: Browser, service: CaseService) -> None:
    for forgery in FORGERIES:
        assert_refused(browser.post("/cases/new", OPEN_FORM, forgery), forgery)
    assert service.summaries(SUPERVISOR) == []
    opened = browser.post("/cases/new", OPEN_FORM)
    assert opened.status_code == 303, opened.text
    assert len(service.summaries(SUPERVISOR)) == 1


def test_signing_out_refuses_forgeries(browser: Browser) -> None:
    for forgery in FORGERIES:
        assert_refused(browser.post("/cases/logout", {}, forgery), forgery)
        assert browser.signed_in(), forgery
    out = browser.post("/cases/logout", {})
    assert out.status_code == 303 and out.headers["location"] == "/cases/login"
    assert not browser.signed_in()


def test_signing_in_refuses_login_forgery(app: FastAPI, service: CaseService) -> None:
    """Login CSRF: a page elsewhere signs the victim's browser in as the attacker, so what the
    victim then records is recorded under the attacker's name. The attacker holds a valid API
    token and a sign-in form token of its own (from the sign-in page, fetched itself)."""
    attacker_token = service.add_user("mallory", "officer")
    with TestClient(app) as attacker:
        attacker_form = form_token(attacker.get("/cases/login").text)
    victim = TestClient(app)
    own_form = form_token(victim.get("/cases/login").text)
    assert csrf.LOGIN_COOKIE in victim.cookies and own_form != attacker_form

    def login(csrf_token: str | None, headers: dict[str, str]) -> Response:
        data = {"token": attacker_token, "next": "/cases"}
        if csrf_token is not None:
            data["csrf_token"] = csrf_token
        sent: Response = victim.post("/cases/login", data=data, headers=headers,
                                     follow_redirects=False)
        return sent

    forgeries = {
        "no token": login(None, SAME),
        "another browser's token": login(attacker_form, SAME),
        "another port's Origin": login(own_form, {"Origin": OTHER_PORT}),
        "another port's Referer": login(own_form, {"Referer": OTHER_PORT + "/attack.html"}),
        "neither Origin nor Referer": login(own_form, {}),
    }
    for forgery, response in forgeries.items():
        assert response.status_code == 403, forgery
        code = "CSRF_TOKEN" if "token" in forgery else "CROSS_ORIGIN"
        assert f"<strong>{code}</strong>" in response.text, forgery
        assert attacker_token not in response.text
        assert COOKIE not in response.headers.get("set-cookie", ""), forgery
    assert COOKIE not in victim.cookies
    # Without the sign-in page's cookie, no form token is good.
    with TestClient(app) as fresh:
        bare = fresh.post("/cases/login", data={"token": attacker_token,
                                                "csrf_token": own_form}, headers=SAME)
        assert bare.status_code == 403 and "CSRF_TOKEN" in bare.text
    signed = login(own_form, SAME)
    assert signed.status_code == 303 and COOKIE in victim.cookies
    assert csrf.LOGIN_COOKIE not in victim.cookies  # the pre-session value is used up


def test_each_sign_in_is_a_session_with_its_own_token(app: FastAPI,
                                                      service: CaseService) -> None:
    api_token = service.add_user("sam-web", "supervisor")
    case = service.open(OFFICER, refusal())
    client = TestClient(app)
    first = sign_in(client, api_token)
    assert client.post("/cases/logout", data={"csrf_token": first},
                       headers=SAME).status_code == 200  # to the sign-in page
    second = sign_in(client, api_token)
    assert second != first
    stale = client.post(f"/cases/{case.id}/note", data={
        "version": "1", "text": "x", "csrf_token": first}, headers=SAME)
    assert stale.status_code == 403 and "CSRF_TOKEN" in stale.text
    assert service.get(OFFICER, case.id).version == 1


def test_every_form_on_the_pages_carries_the_session_token(browser: Browser,
                                                           service: CaseService) -> None:
    case = do(service, reach(service, State.REMOVAL_PROPOSED), "lodge_claim")
    for path in ("/cases", "/cases/new", f"/cases/{case.id}", "/cases/99999"):
        html = browser.client.get(path).text
        assert html.count('method="post"') >= 1, path
        assert html.count('method="post"') == html.count(
            f'name="csrf_token" value="{browser.token}"'), path


def _request(headers: dict[str, str], url: str = "http://testserver/cases/1/note") -> Request:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = parts.netloc
    scope = {"type": "http", "method": "POST", "scheme": parts.scheme, "path": parts.path,
             "query_string": b"", "server": (parts.hostname, parts.port or 80),
             "headers": [(b"host", host.encode())] + [
                 (k.lower().encode(), v.encode()) for k, v in headers.items()]}
    return Request(scope)


@pytest.mark.parametrize(("server", "origin", "same"), [
    ("http://testserver", "http://testserver", True),
    ("http://testserver", "http://TestServer:80", True),
    ("https://cases.example", "https://cases.example:443", True),
    ("http://127.0.0.1:8000", "http://127.0.0.1:8000", True),
    ("http://[::1]:8000", "http://[::1]:8000", True),
    ("http://127.0.0.1:8000", "http://127.0.0.1:8001", False),
    ("http://127.0.0.1:8000", "http://localhost:8000", False),
    ("https://cases.example", "http://cases.example", False),
    ("https://cases.example", "https://evil.cases.example", False),
    ("http://testserver", "http://testserver:99999", False),
    ("http://testserver", "null", False),
    ("http://testserver", "", False),
])
def test_the_origin_must_be_the_servers_own(server: str, origin: str, same: bool) -> None:
    refused = csrf.foreign_origin(_request({"Origin": origin}, server + "/cases/1/note"))
    assert (refused is None) is same
    if refused is not None:
        assert refused.code == "CROSS_ORIGIN"


def test_a_referer_counts_only_by_its_origin_and_only_without_an_origin() -> None:
    own = "http://testserver/cases/1?x=1"
    assert csrf.foreign_origin(_request({"Referer": own})) is None
    refused = csrf.foreign_origin(_request({"Referer": "http://testserver:8001/p?surname=X"}))
    assert refused is not None and "http://testserver:8001" in refused.message
    assert "surname" not in refused.message and "/p" not in refused.message
    both = csrf.foreign_origin(_request({"Origin": "http://testserver:8001", "Referer": own}))
    assert both is not None  # the Origin decides when there is one


def test_tokens_are_bound_to_their_session() -> None:
    one, two = csrf.new_session("admit_x"), csrf.new_session("admit_x")
    assert csrf.api_token(one) == csrf.api_token(two) == "admit_x"
    assert csrf.api_token("admit_y") == "admit_y"
    assert csrf.session_token(one) != csrf.session_token(two)
    assert csrf.token_matches(csrf.session_token(one), csrf.session_token(one))
    assert not csrf.token_matches(csrf.session_token(one), csrf.session_token(two))
    assert not csrf.token_matches(csrf.session_token(one), None)
    assert not csrf.token_matches(csrf.session_token(one), "é" * 64)
    nonce = csrf.new_login_nonce()
    assert csrf.login_nonce(nonce) == nonce and csrf.login_nonce("short") is None
    assert csrf.login_token(nonce) != csrf.session_token(nonce)
