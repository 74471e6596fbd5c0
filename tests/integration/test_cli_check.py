"""`admit check` and `admit rules` end to end, on the fixture rule set (`--rules`)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from admit.cli import app

runner = CliRunner()
FIXTURE = str(Path(__file__).resolve().parents[1] / "fixtures" / "rules")
TRIP: dict[str, Any] = {
    "traveller": {"nationalities": ["RUS"],
                  "documents": [{"type": "passport", "issuer": "RUS", "issued": "2013-02-20",
                                 "expires": "2023-02-20"}]},
    "itinerary": [{"from": "ZZA", "to": "UTO", "date": "2023-02-27"},
                  {"from": "UTO", "to": "ZZB", "date": "2023-03-01", "transit": True}],
}


def run(*args: str, stdin: str | None = None) -> Any:
    return runner.invoke(app, list(args), input=stdin)


def test_json_from_stdin_prints_the_decision_contract() -> None:
    result = run("check", "--json", "-", "--rules", FIXTURE, stdin=json.dumps(TRIP))
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out) == {"status", "board", "legs", "data_version", "engine_version", "as_of"}
    assert (out["status"], out["board"]) == ("inadmissible", False)
    first, second = out["legs"]
    assert first["findings"][0]["code"] == "DOCUMENT_EXPIRED"
    assert first["findings"][0]["message"] == (
        "The passport expired on 2023-02-20, before arrival on 2023-02-27.")
    assert second["role"] == "transit"


def test_json_from_a_file_with_as_of(tmp_path: Path) -> None:
    path = tmp_path / "trip.json"
    trip = {"traveller": {"nationalities": ["ZZD"], "documents": [
        {"type": "passport", "issuer": "ZZD", "issued": "2020-01-01", "expires": "2030-01-01"}]},
        "itinerary": [{"from": "ZZA", "to": "UTO", "date": "2023-06-01"}]}
    path.write_text(json.dumps(trip))
    now = json.loads(run("check", "--json", str(path), "--rules", FIXTURE).stdout)
    then = json.loads(run("check", "--json", str(path), "--rules", FIXTURE,
                          "--on", "2016-06-01").stdout)
    assert now["legs"][0]["findings"][0]["code"] == "ETA_REQUIRED" and now["as_of"] is None
    assert then["legs"][0]["findings"][0]["code"] == "VISA_FREE"
    assert then["as_of"] == "2016-06-01"


def test_friendly_form_prints_reasons_and_sources() -> None:
    result = run("check", "--rules", FIXTURE, "--nationality", "RUS", "--passport-expires",
                 "2023-02-20", "--passport-issued", "2013-02-20", "--from", "ZZA", "--to", "UTO",
                 "--date", "2023-02-27")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "INADMISSIBLE board: no" in text
    assert "DOCUMENT_EXPIRED" in text and "AREA#three-months" in text
    assert "https://example.org/area-code" in text


def test_friendly_form_json_output() -> None:
    result = run("check", "--rules", FIXTURE, "--nationality", "ZZE", "--passport-expires",
                 "2030-01-01", "--passport-issued", "2020-01-01", "--from", "ZZA", "--to", "UTO",
                 "--date", "2023-06-01", "--until", "2023-06-10", "--output", "json")
    out = json.loads(result.stdout)
    assert out["board"] is True and out["legs"][0]["max_stay_days"] == 90


def test_friendly_form_transit_and_document_type() -> None:
    result = run("check", "--rules", FIXTURE, "--nationality", "ZZB", "--document",
                 "internal_passport", "--passport-expires", "2030-01-01", "--from", "ZZA",
                 "--to", "UTO", "--date", "2021-06-01", "--output", "json")
    assert json.loads(result.stdout)["legs"][0]["document"]["type"] == "internal_passport"
    transit = run("check", "--rules", FIXTURE, "--nationality", "RUS", "--passport-expires",
                  "2030-01-01", "--passport-issued", "2020-01-01", "--from", "ZZA", "--to",
                  "UTO", "--date", "2023-06-01", "--transit", "--output", "json")
    leg = json.loads(transit.stdout)["legs"][0]
    assert leg["role"] == "transit"
    assert leg["findings"][0]["code"] == "TRANSIT_WITHOUT_VISA"


def test_bad_input_exits_two_naming_the_field() -> None:
    cases = [
        (("--json", "-"), "{not json", "-: not JSON"),
        (("--json", "-"), json.dumps({**TRIP, "itinerary": [
            {"from": "ZZA", "to": "UTO", "date": "2023-02-30"}]}),
         "itinerary[0].date: not a date (got '2023-02-30')"),
        (("--json", "/nonexistent/trip.json"), None, "cannot read '/nonexistent/trip.json'"),
        (("--nationality", "RUS", "--from", "ZZA", "--to", "UTO", "--date", "2023-02-30"),
         None, "--date: not a date (got '2023-02-30')"),
        (("--nationality", "XYZ", "--from", "ZZA", "--to", "UTO", "--date", "2023-02-27"),
         None, "--nationality: unknown country code"),
        (("--nationality", "RUS", "--from", "ZZA", "--to", "UTO", "--date", "2023-02-27",
          "--until", "2023-02-01"), None, "--until: is before the leg's date 2023-02-27"),
        (("--nationality", "RUS", "--from", "ZZA", "--date", "2023-02-27"), None,
         "--to: required"),
        (("--json", "-", "--to", "UTO"), json.dumps(TRIP), "not both"),
        (("--json", "-", "--on", "yesterday"), json.dumps(TRIP), "--on: not a date"),
        (("--nationality", "RUS", "--from", "ZZA", "--to", "UTO", "--date", "2023-02-27",
          "--output", "xml"), None, "--output: expected text or json"),
    ]
    for args, stdin, message in cases:
        result = run("check", "--rules", FIXTURE, *args, stdin=stdin)
        assert result.exit_code == 2, (args, result.output)
        assert message in " ".join(result.stderr.split()), (args, result.stderr)
        assert "Traceback" not in result.output


def test_broken_rule_data_is_an_error_not_a_decision(tmp_path: Path) -> None:
    root = tmp_path / "rules"
    shutil.copytree(FIXTURE, root)
    (root / "countries" / "ZZA.yaml").write_text("country: ZZB\nname: X\nverified: 2026-11-24\n")
    result = run("check", "--rules", str(root), "--json", "-", stdin=json.dumps(TRIP))
    assert result.exit_code == 1
    assert "countries/ZZA.yaml:1: country: the file is named ZZA.yaml" in result.stderr


def test_embedded_data_set_answers_the_story() -> None:
    story = {"traveller": {"nationalities": ["RUS"], "documents": [
        {"type": "passport", "issuer": "RUS", "issued": "2013-02-20", "expires": "2023-02-20"}]},
        "itinerary": [{"from": "KAZ", "to": "MNG", "date": "2023-02-27", "until": "2023-03-20"}]}
    out = json.loads(run("check", "--json", "-", stdin=json.dumps(story)).stdout)
    assert out["status"] == "inadmissible"
    assert "DOCUMENT_EXPIRED" in {f["code"] for f in out["legs"][0]["findings"]}
