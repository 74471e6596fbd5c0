"""The web app in headless Chromium (Debian's), driven by Playwright: what a person does.

The server runs in-process (uvicorn in a thread, on a free loopback port) on the shipped data.
Chromium is Debian's binary named by ADMIT_CHROMIUM; without it these tests are skipped, unless
ADMIT_REQUIRE_BROWSER=1 (as CI sets), when they fail. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from admit.api import create_app
from tests.browser import serving, skip_without_chromium

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
SPECIMEN = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
            "L898902C36UTO7408122F1204159ZE184226B<<<<<10")

skip_without_chromium()

from playwright.sync_api import Browser, Page, expect  # noqa: E402


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serving(create_app()) as url:
        yield url


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_the_story_is_not_ok_to_board(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    page.get_by_label(re.compile(r"^Nationality")).fill("RUS")
    page.locator("#doc-0-type").select_option("passport")
    page.locator("#doc-0-issuer").fill("RUS")
    page.locator("#doc-0-expires").fill("2023-02-20")
    page.locator("#leg-0-from").fill("KAZ")
    page.locator("#leg-0-to").fill("MNG")
    page.locator("#leg-0-date").fill("2023-02-27")
    page.locator("#leg-0-date").press("Enter")  # Enter checks; it does not add a row
    banner = page.locator(".banner")
    expect(banner).to_contain_text("Not OK to board")
    expect(page.locator(".findings")).to_contain_text(
        "The passport expired on 2023-02-20, before arrival on 2023-02-27.")
    expect(page.locator(".findings a.source").first).to_have_attribute("href", re.compile("^http"))
    shot(page, "story-not-ok-to-board")


def test_paste_an_mrz(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    page.locator("#mrz").fill(SPECIMEN)
    page.locator("#leg-0-from").fill("KAZ")
    page.locator("#leg-0-to").fill("Mongolia")
    page.locator("#leg-0-date").fill("2023-02-27")
    page.get_by_role("button", name="Check", exact=True).last.click()
    panel = page.locator("#mrz-result")
    expect(panel).to_contain_text("TD3, valid")
    expect(panel).to_contain_text("ERIKSSON")
    expect(panel.locator("tr.bad")).to_have_count(0)
    expect(page.locator(".banner")).to_contain_text("Not OK to board")  # expired in 2012
    shot(page, "mrz-pasted")


def test_add_a_leg_in_place(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    page.get_by_role("button", name="Add a leg").click()
    expect(page.locator("#leg-2-to")).to_be_visible()
    expect(page.locator("#leg-2-from")).to_be_focused()
    assert page.url == base_url + "/"  # no round trip to the server


def test_the_map_shows_the_reason_on_hover(page: Page, base_url: str) -> None:
    page.goto(base_url + "/where")
    page.get_by_label(re.compile(r"^Nationality")).fill("RUS")
    page.locator("#doc-0-expires").fill("2030-01-01")
    page.locator("#doc-0-issued").fill("2020-01-01")
    page.locator("#date").fill("2023-02-27")
    page.get_by_role("button", name="Show destinations").click()
    mongolia = page.locator('#world-map path[data-code="MNG"]')
    expect(mongolia).to_have_class("st-admissible")
    mongolia.hover()
    tip = page.locator(".map .floating")
    expect(tip).to_be_visible()
    expect(tip).to_contain_text("Mongolia: admissible")
    expect(page.locator('#destinations tr[data-code="MNG"]')).to_have_class("active")
    shot(page, "where-map-hover")
    page.get_by_role("button", name="Status").click()
    expect(page.locator("#destinations th[aria-sort]")).to_contain_text("Status")
    first = page.locator("#destinations tbody tr").first
    expect(first.locator(".badge")).to_have_class("badge st-admissible")


def test_pages_fit_a_phone(browser: Browser, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    phone.goto(base_url + "/stay")
    phone.locator("#stay-0-entry").fill("2014-08-15")
    phone.locator("#stay-0-exit").fill("2014-09-30")
    phone.locator("#stay-1-entry").fill("2014-11-01")
    phone.locator("#stay-1-exit").fill("2014-11-30")
    phone.locator("#day").fill("2014-11-30")
    phone.get_by_role("button", name="Calculate").last.click()
    expect(phone.locator(".banner")).to_contain_text("77 days used, 13 left")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing but the calendar's own box scrolls sideways
    shot(phone, "stay-phone")
    context.close()


def test_the_api_docs_render_offline(page: Page, base_url: str) -> None:
    elsewhere: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(base_url)
            else elsewhere.append(r.url))
    page.goto(base_url + "/docs")
    expect(page.locator(".opblock").first).to_be_visible(timeout=15000)
    assert page.locator(".opblock").count() >= 7
    assert not elsewhere
