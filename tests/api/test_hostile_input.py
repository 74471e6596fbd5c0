"""Input an attacker sends: numbers JSON cannot hold, lone surrogates, huge integers, deep
nesting, several wrong fields at once. Each is a 422 naming every wrong field with its value
(safely escaped), never a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from admit.api import create_app
from tests.api.conftest import SPECIMEN_TD3, STORY

# Bodies are written as JSON text by hand: Python's json writes NaN, but none of these.
TRIP = json.dumps(STORY)
STAY = ('{"rule": {"window_days": 180, "max_days": 90}, "stays": [["2020-01-01", "2020-01-10"]],'
        ' "query_date": "2020-02-01"}')


@pytest.fixture(scope="module")
def api() -> TestClient:
    # raise_server_exceptions=False: a bug must show as the 500 a client sees, not as the
    # exception, so a test can tell a 500 from a 422.
    return TestClient(create_app(), raise_server_exceptions=False)


def post(api: TestClient, path: str, text: str) -> Any:
    return api.post(path, content=text.encode("utf-8"),
                    headers={"content-type": "application/json"})


def problems(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 422, response.text
    body = response.json()
    assert set(body) == {"detail"}, body
    for found in body["detail"]:
        assert {"field", "value", "message"} <= set(found), found
        assert found["field"] in found["message"]
    found_list: list[dict[str, Any]] = body["detail"]
    return found_list


NON_FINITE = ["NaN", "Infinity", "-Infinity", "1e400", "-1e400"]


@pytest.mark.parametrize("number", NON_FINITE)
@pytest.mark.parametrize(("path", "text", "old", "field"), [
    ("/v1/check", TRIP, '"2023-02-27"', "itinerary[0].date"),
    ("/v1/check", TRIP, '["RUS"]', "traveller.nationalities"),
    ("/v1/mrz", json.dumps({"mrz": SPECIMEN_TD3, "on": "2024-01-01"}), '"2024-01-01"', "on"),
    ("/v1/mrz", '{"mrz": "x", "repair": false}', "false", "repair"),
    ("/v1/stay", STAY, "180", "rule.window_days"),
    ("/v1/stay", STAY, '"2020-02-01"', "query_date"),
    ("/v1/stay", STAY, '"2020-01-10"', "stays[0][1]"),
])
def test_numbers_json_cannot_hold_are_422_naming_the_field(
        api: TestClient, number: str, path: str, text: str, old: str, field: str) -> None:
    assert old in text
    [found] = problems(post(api, path, text.replace(old, number, 1)))
    assert found["field"] == field
    assert found["value"] == number


def test_a_non_finite_body_is_a_422_for_the_body(api: TestClient) -> None:
    [found] = problems(post(api, "/v1/check", "NaN"))
    assert found == {"field": "body", "value": "NaN",
                     "message": "body: NaN and Infinity are not JSON numbers (got 'NaN')"}


@pytest.mark.parametrize(("path", "text", "old", "field"), [
    ("/v1/check", TRIP, '"KAZ"', "itinerary[0].from"),
    ("/v1/check", TRIP, '"2023-02-20"', "traveller.documents[0].expires"),
    ("/v1/mrz", '{"mrz": "x", "profile": "strict"}', '"strict"', "profile"),
    ("/v1/mrz", '{"mrz": "x", "format": "TD3"}', '"TD3"', "format"),
    ("/v1/stay", STAY, '"2020-02-01"', "query_date"),
])
def test_a_lone_surrogate_is_422_with_the_value_escaped(
        api: TestClient, path: str, text: str, old: str, field: str) -> None:
    [found] = problems(post(api, path, text.replace(old, '"A\\ud800B"', 1)))
    assert found["field"] == field
    assert found["value"] == "A\\ud800B"  # a backslash and the code point, as text
    assert "surrogate" in found["message"]


def test_a_lone_surrogate_in_a_key_is_named_escaped(api: TestClient) -> None:
    [found] = problems(post(api, "/v1/check", TRIP.replace('"itinerary"', '"\\udfff"')))
    assert found["field"] == "\\udfff" and found["value"] == "\\udfff"


def test_surrogates_encoded_as_utf8_bytes_are_not_utf8(api: TestClient) -> None:
    response = api.post("/v1/check", content=b'{"traveller": "\xed\xa0\x80"}',
                        headers={"content-type": "application/json"})
    [found] = problems(response)
    assert found["field"] == "body" and "UTF-8" in found["message"]


def test_mrz_text_with_a_surrogate_is_withheld(api: TestClient) -> None:
    [found] = problems(post(api, "/v1/mrz", '{"mrz": "P<UTOERIKSSON\\ud800"}'))
    assert found["field"] == "mrz" and found["value"] == "<redacted>"
    assert "ERIKSSON" not in found["message"]


def test_a_surrogate_pair_is_text(api: TestClient) -> None:
    # A pair written as two escapes is one character (U+1F600), not a lone surrogate.
    response = post(api, "/v1/check", TRIP.replace('"KAZ"', '"\\ud83d\\ude00"'))
    [found] = problems(response)
    assert found["field"] == "itinerary[0].from" and found["value"] == "\U0001f600"


def test_every_bad_field_is_named(api: TestClient) -> None:
    text = TRIP.replace('"2023-02-27"', "NaN").replace('"KAZ"', '"\\ud800"').replace(
        '"2023-02-20"', "1e999")
    found = problems(post(api, "/v1/check", text))
    assert [f["field"] for f in found] == ["traveller.documents[0].expires",
                                           "itinerary[0].from", "itinerary[0].date"]


def test_every_bad_mrz_option_is_named(api: TestClient) -> None:
    found = problems(post(api, "/v1/mrz", json.dumps(
        {"mrz": SPECIMEN_TD3, "profile": "loose", "repair": "yes", "on": "soon", "lines": 2})))
    assert {f["field"]: f["value"] for f in found} == {
        "lines": "lines", "profile": "loose", "repair": "yes", "on": "soon"}


@pytest.mark.parametrize(("text", "field", "value"), [
    ('{"mrz": 12}', "mrz", 12),
    ('{"mrz": null}', "mrz", None),
    ('{"mrz": ["P<UTO", 3]}', "mrz", "<redacted>"),
    ("[1, 2]", "body", [1, 2]),
    ('"P<UTOERIKSSON"', "body", "<redacted>"),
])
def test_mrz_type_errors_echo_the_value_not_its_type(api: TestClient, text: str, field: str,
                                                     value: object) -> None:
    [found] = problems(post(api, "/v1/mrz", text))
    assert (found["field"], found["value"]) == (field, value)


@pytest.mark.parametrize(("text", "field", "value"), [
    ("[1, 2]", "trip", [1, 2]),
    (TRIP.replace('["RUS"]', '{"a": 1}'), "traveller.nationalities", {"a": 1}),
])
def test_check_type_errors_echo_the_value_not_its_type(api: TestClient, text: str, field: str,
                                                       value: object) -> None:
    [found] = problems(post(api, "/v1/check", text))
    assert (found["field"], found["value"]) == (field, value)


def test_a_nested_value_is_echoed_with_personal_fields_withheld(api: TestClient) -> None:
    short = json.dumps({**STORY, "traveller": [STORY["traveller"]]})
    [found] = problems(post(api, "/v1/check", short))
    assert found["field"] == "traveller"
    assert found["value"] == [{**STORY["traveller"], "documents": [
        {**STORY["traveller"]["documents"][0], "number": "<redacted>"}]}]
    assert "751234567" not in found["message"]
    long = json.dumps({**STORY, "traveller": [STORY["traveller"]] * 5})
    [found] = problems(post(api, "/v1/check", long))
    value = found["value"]
    assert isinstance(value, str) and value.startswith('[{"nationalities": ["RUS"]')
    assert value.endswith("…") and len(value) <= 201
    assert '"number": "<redacted>"' in value and "751234567" not in found["message"]


def test_a_document_number_is_never_echoed(api: TestClient) -> None:
    [found] = problems(post(api, "/v1/check", TRIP.replace('"751234567"', "751234567")))
    assert found["field"] == "traveller.documents[0].number"
    assert found["value"] == "<redacted>" and "751234567" not in found["message"]


def test_an_integer_too_long_to_read_is_named(api: TestClient) -> None:
    digits = "9" * 5000
    [found] = problems(post(api, "/v1/stay", STAY.replace("180", digits)))
    assert found["field"] == "rule.window_days"
    assert found["value"].startswith("999") and len(found["value"]) < 300
    assert len(found["message"]) < 400


def test_a_long_value_is_echoed_cut(api: TestClient) -> None:
    [found] = problems(post(api, "/v1/check", TRIP.replace('"KAZ"', '"' + "K" * 50_000 + '"')))
    assert found["field"] == "itinerary[0].from"
    assert found["value"].startswith("KKK") and len(found["value"]) < 300
    assert len(found["message"]) < 400


@pytest.mark.parametrize("path", ["/v1/check", "/v1/mrz", "/v1/stay"])
def test_deep_nesting_is_named_where_it_goes_too_deep(api: TestClient, path: str) -> None:
    text = '{"a": ' + "[" * 200 + "]" * 200 + "}"
    [found] = problems(post(api, path, text))
    assert found["field"].startswith("a[0][0]") and "deep" in found["message"]


def test_nesting_the_parser_cannot_follow_is_a_422_for_the_body(api: TestClient) -> None:
    [found] = problems(post(api, "/v1/stay", "[" * 100_000 + "]" * 100_000))
    assert found["field"] == "body" and "nested" in found["message"]


def test_problems_are_bounded(api: TestClient) -> None:
    found = problems(post(api, "/v1/check", "[" + ", ".join(["NaN"] * 5000) + "]"))
    assert 1 < len(found) <= 20
    assert [f["field"] for f in found[:2]] == ["body[0]", "body[1]"]


def test_mrz_text_inside_an_echoed_object_is_withheld(api: TestClient) -> None:
    trip = {**STORY, "traveller": {"nationalities": ["UTO"], "documents": {"mrz": SPECIMEN_TD3}}}
    [found] = problems(post(api, "/v1/check", json.dumps(trip)))
    assert found["field"] == "traveller.documents"
    assert found["value"] == {"mrz": "<redacted>"}
    assert "ERIKSSON" not in found["message"]
