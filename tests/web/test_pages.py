"""The pages, rendered by the service: what a person sees for the story and the other tools."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from admit.rules import load_rules
from tests.web.conftest import STORY_FORM

SPECIMEN = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
            "L898902C36UTO7408122F1204159ZE184226B<<<<<10")


def test_the_form_has_every_part(client: TestClient) -> None:
    page = client.get("/").text
    for field in ("nat-0-code", "doc-0-type", "doc-0-expires", "mrz", "auth-0-type",
                  "leg-0-from", "leg-0-to", "leg-0-date", "leg-0-until", "leg-0-transit"):
        assert f'id="{field}"' in page and f'<label for="{field}"' in page
    assert '<datalist id="countries">' in page and '<option value="MNG">Mongolia' in page


def test_the_story_is_not_ok_to_board(client: TestClient) -> None:
    response = client.post("/check", data=STORY_FORM)
    assert response.status_code == 200
    page = response.text
    assert "Not OK to board" in page
    assert "The passport expired on 2023-02-20, before arrival on 2023-02-27." in page
    assert "Leg 1: Mongolia (MNG)" in page
    assert re.search(r'href="/countries/MNG#rule-MNG-[\w-]+"', page)
    assert 'href="http' in page  # the sources are linked
    assert "&#34;DOCUMENT_EXPIRED&#34;" in page  # the JSON twin shows the decision


def test_a_valid_passport_is_ok_to_board_with_its_latest_exit(client: TestClient) -> None:
    form = {**STORY_FORM, "doc-0-expires": "2030-01-01"}
    page = client.post("/check", data=form).text
    assert "OK to board" in page and "Not OK to board" not in page
    assert "30 days" in page and "2023-03-28" in page  # 30 days from 2023-02-27


def test_a_missing_destination_points_at_its_field(client: TestClient) -> None:
    form = {k: v for k, v in STORY_FORM.items() if k != "leg-0-to"}
    response = client.post("/check", data=form)
    assert response.status_code == 422
    page = response.text
    assert '<a href="#leg-0-to">Leg 1, to</a>: is required' in page
    assert 'id="leg-0-to" name="leg-0-to"' in page and 'aria-invalid="true"' in page


def test_adding_a_leg_without_javascript(client: TestClient) -> None:
    page = client.post("/check", data={**STORY_FORM, "add": "leg"}).text
    assert 'id="leg-2-to"' in page and 'value="Mongolia"' in page


def test_a_pasted_mrz_is_shown_with_its_checks(client: TestClient) -> None:
    form = {"mrz": SPECIMEN, "leg-0-from": "KAZ", "leg-0-to": "MNG", "leg-0-date": "2023-02-27"}
    page = client.post("/check", data=form).text
    assert "The MRZ you pasted: TD3, valid" in page
    assert "ERIKSSON" in page and "composite" in page and "✓ correct" in page
    assert "The passport expired on 2012-04-15" in page  # the specimen is long expired


def test_a_broken_mrz_shows_the_failing_digit(client: TestClient) -> None:
    form = {"mrz": SPECIMEN[:-1] + "9", "leg-0-from": "KAZ", "leg-0-to": "MNG",
            "leg-0-date": "2023-02-27"}
    response = client.post("/check", data=form)
    assert response.status_code == 422
    page = response.text
    assert "TD3, not valid" in page and "✗ wrong" in page and "check_digit.composite" in page
    assert '<a href="#mrz">Pasted MRZ</a>' in page


def test_where_can_i_go_map_and_table(client: TestClient) -> None:
    response = client.get("/where", params={
        "nat-0-code": "RUS", "doc-0-type": "passport", "doc-0-expires": "2030-01-01",
        "doc-0-issued": "2020-01-01", "date": "2023-02-27"})
    assert response.status_code == 200
    page = response.text
    rules = load_rules()
    rows = re.findall(r'<tr data-code="(\w+)"', page)
    assert sorted(rows) == sorted(rules.destinations)
    assert '<svg viewBox="0 0' in page
    coloured = set(re.findall(r'class="st-(?!none)\w+" data-code="(\w+)"', page))
    assert coloured == set(rules.destinations)
    assert re.search(r'data-code="MNG"><title>Mongolia: admissible — ', page)
    assert "/v1/destinations?nationality=RUS&amp;document=passport%3ARUS%3A2030-01-01" in page


def test_where_can_i_go_bad_date(client: TestClient) -> None:
    response = client.get("/where", params={"nat-0-code": "RUS", "doc-0-expires": "2030-02-30"})
    assert response.status_code == 422
    assert "is not a date in the calendar" in response.text


def test_stay_calculator_sem_example(client: TestClient) -> None:
    response = client.post("/stay", data={
        "window_days": "180", "max_days": "90", "stay-0-entry": "2014-08-15",
        "stay-0-exit": "2014-09-30", "stay-1-entry": "2014-11-01", "stay-1-exit": "2014-11-30",
        "mode": "control", "day": "2014-11-30"})
    assert response.status_code == 200
    page = response.text
    assert "77 days used, 13 left" in page and "2014-12-13" in page
    assert page.count('class="day-counted') == 77
    assert 'title="2014-12-13: a day you may still stay"' in page


def test_stay_calculator_names_the_bad_field(client: TestClient) -> None:
    response = client.post("/stay", data={"window_days": "30", "max_days": "90",
                                          "mode": "control", "day": "2020-01-01"})
    assert response.status_code == 422
    assert '<a href="#window_days">' in response.text


def test_country_pages(client: TestClient) -> None:
    listing = client.get("/countries").text
    assert '<a href="/countries/MNG">Mongolia</a>' in listing
    page = client.get("/countries/MNG").text
    assert 'id="rule-MNG-' in page and "Rules verified on" in page
    assert 'href="/v1/countries/MNG"' in page
    missing = client.get("/countries/ATA")  # a real code no rule file will name
    assert missing.status_code == 404 and "No rules for ATA" in missing.text


@pytest.mark.parametrize("path", ["/", "/where", "/stay", "/countries", "/countries/MNG",
                                  "/docs"])
def test_pages_load_nothing_from_elsewhere(client: TestClient, path: str) -> None:
    page = client.get(path).text
    # Scripts, styles, images and fonts are this server's own; only plain links may leave.
    for attribute in re.findall(r'<(?:script|link|img|iframe|source)\b[^>]*>', page):
        assert "http:" not in attribute and "https:" not in attribute and "//" not in attribute
    for asset in ("/static/admit.css", "/static/admit.js"):
        text = client.get(asset).text
        assert "http:" not in text and "https:" not in text and "@import" not in text
