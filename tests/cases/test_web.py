"""The case pages mounted in a small app: sign-in, the list by deadline, the case page with
its timeline and a form per action, and forms that go through the same guards as the API."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from admit.cases import CaseService
from admit.cases.machine import ACTIONS
from admit.web.cases import router
from tests.cases.conftest import OFFICER, refusal
from tests.cases.pages import OPEN_FORM, browser, form_token, signed_in
from tests.cases.workflow import do


@pytest.fixture
def app(service: CaseService) -> FastAPI:
    app = FastAPI()
    app.state.case_service = service
    app.include_router(router)
    return app


@pytest.fixture
def officer(app: FastAPI, service: CaseService) -> Iterator[TestClient]:
    with signed_in(app, service, "officer") as client:
        yield client


def test_pages_need_a_sign_in(app: FastAPI) -> None:
    client = browser(app)
    listing = client.get("/cases", follow_redirects=False)
    assert listing.status_code == 303
    assert listing.headers["location"] == "/cases/login?next=/cases"
    login = form_token(client.get("/cases/login").text)
    wrong = client.post("/cases/login", data={"token": "wrong", "csrf_token": login})
    assert wrong.status_code == 401 and "not valid" in wrong.text
    assert form_token(wrong.text) == login  # the form stays usable for another try
    assert client.post("/cases/1/note", data={"version": "1", "text": "x"}).status_code == 401
    away = client.get("/cases/login", params={"next": "https://elsewhere.example/"})
    assert 'value="/cases"' in away.text


def test_opening_a_case_from_the_form(officer: TestClient, service: CaseService) -> None:
    form = officer.get("/cases/new")
    for name in OPEN_FORM:
        assert f'name="{name}"' in form.text
    token = {"csrf_token": form_token(form.text)}
    created = officer.post("/cases/new", data={**OPEN_FORM, **token}, follow_redirects=False)
    assert created.status_code == 303, created.text
    case = service.get(OFFICER, int(created.headers["location"].rsplit("/", 1)[1]))
    assert case.refusal.person.surname == "TESTPERSON"
    assert case.refusal.arrival.time.isoformat() == "2024-05-10T07:45:00+00:00"
    bad = officer.post("/cases/new", data={**OPEN_FORM, **token, "country": "QQQ"})
    assert bad.status_code == 422 and "arrival.country: not an ICAO country code" in bad.text
    assert form_token(bad.text) == token["csrf_token"]  # the form shown again still works


def test_the_list_sorts_by_next_deadline_and_marks_overdue(officer: TestClient,
                                                           service: CaseService) -> None:
    later = do(service, service.open(OFFICER, refusal()), "notify_carrier")
    sooner = service.open(OFFICER, refusal())
    page = officer.get("/cases").text
    assert page.index(f'href="/cases/{sooner.id}"') < page.index(f'href="/cases/{later.id}"')
    assert "Notify the carrier" in page and "overdue" in page


def test_the_case_page_shows_timeline_hold_risks_and_forms(app: FastAPI,
                                                           service: CaseService) -> None:
    case = do(service, do(service, service.open(OFFICER, refusal()), "propose_removal"),
              "lodge_claim")
    with signed_in(app, service, "officer") as officer:
        page = officer.get(f"/cases/{case.id}").text
    assert "NON_REFOULEMENT_HOLD" in page
    assert "EXTRADITION" in page and 'href="https://example.org/extradition"' in page
    for title in ("Open a case from a refusal", "Propose removal", "Record a protection claim"):
        assert title in page
    officer_forms = set(re.findall(rf'action="/cases/{case.id}/(\w+)"', page))
    assert officer_forms == {name for name, act in ACTIONS.items()
                             if name != "open" and case.state in act.sources
                             and "officer" in act.roles}
    with signed_in(app, service, "supervisor") as supervisor:
        forms = set(re.findall(rf'action="/cases/{case.id}/(\w+)"',
                               supervisor.get(f"/cases/{case.id}").text))
    assert {"approve_removal", "assess_claim", "admit", "transfer"} <= forms
    with signed_in(app, service, "auditor") as auditor:
        audited = auditor.get(f"/cases/{case.id}").text
    assert "Nothing your role may change" in audited
    assert not re.findall(rf'action="/cases/{case.id}/\w+"', audited)


def test_a_form_takes_the_action_and_the_guards_answer(app: FastAPI,
                                                       service: CaseService) -> None:
    case = do(service, service.open(OFFICER, refusal()), "propose_removal")
    with signed_in(app, service, "officer") as officer:
        token = form_token(officer.get(f"/cases/{case.id}").text)
        noted = officer.post(f"/cases/{case.id}/note",
                             data={"version": str(case.version), "text": "phoned",
                                   "csrf_token": token}, follow_redirects=False)
        assert noted.status_code == 303
        assert noted.headers["location"] == f"/cases/{case.id}?done=note"
        stale = officer.post(f"/cases/{case.id}/note",
                             data={"version": str(case.version), "text": "again",
                                   "csrf_token": token})
        assert stale.status_code == 409 and "VERSION_CONFLICT" in stale.text
        assert "again" in stale.text  # the form keeps what was typed
        forbidden = officer.post(f"/cases/{case.id}/approve_removal",
                                 data={"version": str(case.version + 1), "csrf_token": token})
        assert forbidden.status_code == 403
        claimed = officer.post(f"/cases/{case.id}/lodge_claim", data={
            "version": str(case.version + 1), "lodged_at": "2024-05-10T10:00",
            "lodged_with": "Border Guard", "feared_country": "ZZC",
            "decide_by": "2024-05-13T10:00", "csrf_token": token}, follow_redirects=True)
        assert claimed.status_code == 200 and "Recorded: lodge claim" in claimed.text
        missing = officer.post(f"/cases/{case.id}/note",
                               data={"version": "4", "csrf_token": token})
        assert missing.status_code == 422 and "text: Field required" in missing.text
    with signed_in(app, service, "supervisor") as supervisor:
        token = form_token(supervisor.get(f"/cases/{case.id}").text)
        held = supervisor.post(f"/cases/{case.id}/approve_removal",
                               data={"version": "4", "csrf_token": token})
    assert held.status_code == 422 and "NON_REFOULEMENT_HOLD" in held.text
    final = service.get(OFFICER, case.id)
    assert [n.text for n in final.notes] == ["phoned"]
    assert (final.version, final.claims[0].feared_country) == (4, "ZZC")


@pytest.mark.parametrize(("path", "version", "field"), [
    ("nonsense", "1", "action"),      # an unknown action is named as such, not as the version
    ("note", "1.0", "version"),       # the version is read exactly, as case ids are
    ("note", "+1", "version"),
    ("note", "", "version"),
])
def test_a_bad_action_or_version_is_named(app: FastAPI, service: CaseService, path: str,
                                          version: str, field: str) -> None:
    case = service.open(OFFICER, refusal())
    with signed_in(app, service, "officer") as officer:
        token = form_token(officer.get(f"/cases/{case.id}").text)
        answer = officer.post(f"/cases/{case.id}/{path}", data={
            "version": version, "text": "x", "csrf_token": token})
    assert answer.status_code in (404, 422)
    assert f"{field}:" in answer.text or f"{field} " in answer.text, answer.text[-600:]
    assert service.get(OFFICER, case.id).notes == ()
