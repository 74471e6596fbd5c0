"""GET /v1/countries and /v1/countries/{code}: rules, dates and sources."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import problem


def test_the_list_has_every_destination_with_its_verified_date(fixture_client: TestClient
                                                               ) -> None:
    body = fixture_client.get("/v1/countries").json()
    assert [c["code"] for c in body["countries"]] == ["UTO", "ZZA", "ZZB", "ZZD"]
    uto = body["countries"][0]
    assert uto["verified"] == "2026-11-24" and uto["policies"] == ["AREA"]
    assert uto["rules"] > 0


def test_a_country_has_its_rules_and_sources(fixture_client: TestClient) -> None:
    body = fixture_client.get("/v1/countries/UTO").json()
    assert body["code"] == "UTO" and body["name"] == "Utopia"
    entry = {r["id"]: r for r in body["sections"]["entry"]}
    rule = entry["zzd-visa-free"]
    assert rule["ref"] == "UTO#zzd-visa-free"
    assert (rule["from"], rule["until"]) == ("2015-01-01", "2022-12-31")
    assert rule["terms"]["regime"] == "visa_free" and rule["terms"]["max_stay_days"] == 30
    assert rule["sources"] == [{"url": "https://example.org/uto-aliens-act",
                                "title": "Utopian Aliens Act", "kind": "official"}]
    assert entry["union"]["nationalities"] == ["UNION"]
    assert [p["key"] for p in body["policies"]] == ["AREA"]


def test_on_a_date_only_the_rules_in_force(fixture_client: TestClient) -> None:
    body = fixture_client.get("/v1/countries/UTO", params={"on": "2024-01-01"}).json()
    ids = {r["id"] for r in body["sections"]["entry"]}
    assert "zzd-eta" in ids and "zzd-visa-free" not in ids


def test_the_real_mongolia_page_cites_its_sources(client: TestClient) -> None:
    body = client.get("/v1/countries/mng").json()
    rules = [r for rules in body["sections"].values() for r in rules]
    assert rules and all(r["sources"] and r["sources"][0]["url"].startswith("http")
                         for r in rules)


def test_unknown_and_missing_countries(client: TestClient) -> None:
    unknown = client.get("/v1/countries/XYZ")
    assert unknown.status_code == 422 and problem(unknown)["field"] == "code"
    # Antarctica: a real code no rule file will name (it has no immigration authority).
    missing = client.get("/v1/countries/ATA")
    assert missing.status_code == 404 and problem(missing)["value"] == "ATA"
    bad_date = client.get("/v1/countries/MNG", params={"on": "soon"})
    assert bad_date.status_code == 422 and problem(bad_date)["field"] == "on"
