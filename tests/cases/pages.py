"""Helpers for the case page tests: a browser-like client signed in through the sign-in form,
and the form token read from a page, as a browser holds and sends them."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from admit.cases import CaseService
from admit.web.cases import COOKIE

# The open-case form filled in for the fixture world's refusal (see conftest.refusal).
OPEN_FORM = {
    "surname": "TESTPERSON", "given_names": "ALEX", "nationalities": "ZZC",
    "birth_date": "1980-01-01", "document_type": "passport", "document_issuer": "ZZC",
    "document_number": "X0000001", "document_expires": "2030-01-01", "carrier": "Test Air",
    "flight": "TA 1", "port_of_entry": "Zed airport", "country": "ZZA",
    "embarkation_country": "UTO", "time": "2024-05-10T07:45", "grounds": "No visa.",
}
OWN_ORIGIN = "http://testserver"  # TestClient's base URL: the server's own origin
_TOKEN = re.compile(r'name="csrf_token" value="([^"]*)"')


def form_token(html: str) -> str:
    """The form token the page's forms carry (one per session, the same in every form)."""
    found = set(_TOKEN.findall(html))
    assert len(found) == 1 and "" not in found, found
    return str(found.pop())


def browser(app: FastAPI) -> TestClient:
    """A client that, like a browser posting a page's form, names the page's origin."""
    return TestClient(app, headers={"Origin": OWN_ORIGIN})


def sign_in(client: TestClient, token: str) -> str:
    """Sign `client` in through the sign-in page, from the server's own origin; returns the
    session's form token."""
    page = client.get("/cases/login")
    response = client.post("/cases/login", data={
        "token": token, "next": "/cases", "csrf_token": form_token(page.text)},
        headers={"Origin": OWN_ORIGIN}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/cases"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and COOKIE in cookie
    listing = client.get("/cases")
    assert listing.status_code == 200 and "Sign out" in listing.text
    return form_token(listing.text)


def signed_in(app: FastAPI, service: CaseService, role: str) -> TestClient:
    client = browser(app)
    sign_in(client, service.add_user(f"{role}-web", role))
    return client
