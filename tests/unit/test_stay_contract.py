"""The Stay contract's JSON form (docs/design.md, Public contracts), filters of what counts."""

from __future__ import annotations

from datetime import date

import pytest

from admit.errors import InputError, InputErrors
from admit.stay import (
    Period,
    Stay,
    StayRule,
    clip_to_membership,
    compute_from_json,
    control,
    counted_stays,
)

RULE: dict[str, object] = {"window_days": 180, "max_days": 90}


def test_control_request_gives_the_contract_fields() -> None:
    answer = compute_from_json(
        {
            "rule": RULE,
            "stays": [["2014-11-01", "2014-11-30"], ["2014-08-15", "2014-09-30"]],
            "query_date": "2014-11-30",
        }
    )
    assert answer == {
        "mode": "control",
        "days_used": 77,
        "days_remaining": 13,
        "latest_exit": "2014-12-13",
        "overstay": False,
        "window_start": "2014-06-04",
        "window_end": "2014-11-30",
    }


def test_planning_request_with_stay_objects() -> None:
    rule: dict[str, object] = {**RULE, "max_continuous_days": 30, "anchor": "rolling"}
    answer = compute_from_json(
        {
            "rule": rule,
            "stays": [{"entry": "2025-01-01", "exit": "2025-01-20", "country": "fra"}],
            "planned_entry": "2025-02-01",
        }
    )
    assert answer["mode"] == "planning"
    assert answer["days_used"] == 20
    assert answer["days_remaining"] == 30
    assert answer["latest_exit"] == "2025-03-02"
    assert answer["overstay"] is False


def test_planning_with_no_day_left_reports_overstay_and_no_exit() -> None:
    answer = compute_from_json(
        {"rule": RULE, "stays": [["2025-01-01", "2025-03-31"]], "planned_entry": "2025-04-10"}
    )
    assert answer["latest_exit"] is None
    assert answer["days_remaining"] == 0
    assert answer["overstay"] is True


def test_stays_under_a_residence_permit_or_long_stay_visa_do_not_count() -> None:
    stays = [
        {"entry": "2025-01-01", "exit": "2025-06-30", "status": "residence_permit"},
        {"entry": "2025-07-01", "exit": "2025-08-31", "status": "long_stay_visa"},
        {"entry": "2025-09-01", "exit": "2025-09-10"},
    ]
    answer = compute_from_json({"rule": RULE, "stays": stays, "query_date": "2025-09-10"})
    assert answer["days_used"] == 10
    assert answer["overstay"] is False


def test_a_missing_stays_list_means_no_history() -> None:
    answer = compute_from_json({"rule": RULE, "planned_entry": "2025-01-01"})
    assert (answer["days_used"], answer["days_remaining"]) == (0, 90)


@pytest.mark.parametrize(
    ("request_", "field", "words"),
    [
        (
            {
                "rule": RULE,
                "stays": [["2025-01-01", "2025-01-02"]] * 2 + [["2025-01-05", "2025-01-03"]],
                "query_date": "2025-02-01",
            },
            "stays[2]",
            "exit 2025-01-03 is before entry 2025-01-05",
        ),
        (
            {"rule": RULE, "stays": [["2025-01-01", "2025-01-10"]], "query_date": "2025-01-05"},
            "stays[0]",
            "after the control date 2025-01-05",
        ),
        (
            {"rule": RULE, "stays": [["2025-01-01", "2025-01-10"]], "planned_entry": "2025-01-05"},
            "stays[0]",
            "the planned entry 2025-01-05 falls inside this stay",
        ),
        (
            {"rule": {"window_days": 30, "max_days": 90}, "query_date": "2025-01-05"},
            "rule.window_days",
            "shorter than max_days 90",
        ),
        (
            {"rule": RULE, "stays": [["2025-01-01", "5 Jan"]], "query_date": "2025-02-01"},
            "stays[0][1]",
            "YYYY-MM-DD",
        ),
        ({"rule": RULE, "query_date": "2025-02-30"}, "query_date", "not a date in the calendar"),
        ({"rule": RULE, "query_date": "20250201"}, "query_date", "YYYY-MM-DD"),
        ({"rule": RULE, "query_date": 20250201}, "query_date", "YYYY-MM-DD"),
        (
            {"rule": RULE, "query_date": "2025-02-01", "planned_entry": "2025-02-02"},
            "query_date",
            "not both",
        ),
        ({"rule": RULE, "stays": []}, "query_date", "give query_date"),
        (
            {"rule": {"window_days": 180, "max_days": -90}, "query_date": "2025-01-01"},
            "rule.max_days",
            "at least 1",
        ),
        (
            {"rule": {**RULE, "max_continuous_days": -1}, "query_date": "2025-01-01"},
            "rule.max_continuous_days",
            "at least 1",
        ),
        (
            {"rule": {"window_days": 180, "max_days": 90.5}, "query_date": "2025-01-01"},
            "rule.max_days",
            "whole number",
        ),
        (
            {"rule": {"window_days": True, "max_days": 1}, "query_date": "2025-01-01"},
            "rule.window_days",
            "whole number",
        ),
        ({"rule": {"max_days": 90}, "query_date": "2025-01-01"}, "rule.window_days", "required"),
        (
            {"rule": {**RULE, "max_continous_days": 30}, "query_date": "2025-01-01"},
            "rule.max_continous_days",
            "not a known field",
        ),
        (
            {"rule": {**RULE, "anchor": "calendar"}, "query_date": "2025-01-01"},
            "rule.anchor",
            "rolling, first_entry",
        ),
        ({"rule": RULE, "stays": "2025-01-01", "query_date": "2025-01-01"}, "stays", "list"),
        ({"rule": RULE, "stays": [["2025-01-01"]], "query_date": "2025-01-01"}, "stays[0]", "pair"),
        (
            {"rule": RULE, "stays": [{"entry": "2025-01-01"}], "query_date": "2025-01-01"},
            "stays[0].exit",
            "required",
        ),
        (
            {
                "rule": RULE,
                "stays": [{"entry": "2025-01-01", "exit": "2025-01-01", "status": "tourist"}],
                "query_date": "2025-01-01",
            },
            "stays[0].status",
            "short_stay",
        ),
        (
            {
                "rule": RULE,
                "stays": [{"entry": "2025-01-01", "exit": "2025-01-01", "country": "France"}],
                "query_date": "2025-01-01",
            },
            "stays[0].country",
            "ICAO",
        ),
        ({"rule": RULE, "query_date": "2025-01-01", "today": "x"}, "today", "not a known field"),
        (["not", "an", "object"], "request", "must be an object"),
        # Numbers and dates that would carry a derived date off the calendar are refused.
        (
            {"rule": {"window_days": 10**9, "max_days": 90}, "query_date": "2025-01-01"},
            "rule.window_days",
            "at most 36525",
        ),
        (
            {"rule": {**RULE, "max_continuous_months": 10**6}, "query_date": "2025-01-01"},
            "rule.max_continuous_months",
            "at most 1200",
        ),
        ({"rule": RULE, "query_date": "0001-01-01"}, "query_date", "between 1900-01-01"),
        (
            {"rule": RULE, "stays": [["1850-01-01", "1850-01-02"]], "query_date": "2025-01-01"},
            "stays[0].entry",
            "between 1900-01-01",
        ),
    ],
)
def test_bad_requests_name_the_field_and_the_value(
    request_: object, field: str, words: str
) -> None:
    with pytest.raises(InputError) as caught:
        compute_from_json(request_)
    assert caught.value.field == field
    assert words in str(caught.value)


# --- which stays count ------------------------------------------------------------------------


def test_counted_stays_keeps_short_stays_only() -> None:
    short = Stay(date(2025, 1, 1), date(2025, 1, 5))
    permit = Stay(date(2025, 2, 1), date(2025, 3, 1), status="residence_permit")
    visa = Stay(date(2025, 4, 1), date(2025, 5, 1), status="long_stay_visa")
    assert counted_stays([short, permit, visa]) == [short]


def test_clip_to_membership_keeps_only_days_a_country_applied_the_rule() -> None:
    # Croatia applies the Schengen acquis in full from 2023-01-01 (groups.yaml, SCHENGEN).
    periods: dict[str, list[Period]] = {"HRV": [(date(2023, 1, 1), None)], "FRA": [(None, None)]}
    stays = [
        Stay(date(2022, 12, 20), date(2023, 1, 10), country="HRV"),
        Stay(date(2022, 11, 1), date(2022, 11, 5), country="HRV"),
        Stay(date(2022, 11, 1), date(2022, 11, 5), country="FRA"),
        Stay(date(2022, 11, 1), date(2022, 11, 5), country="GBR"),
    ]
    assert clip_to_membership(stays, periods) == [
        Stay(date(2023, 1, 1), date(2023, 1, 10), country="HRV"),
        Stay(date(2022, 11, 1), date(2022, 11, 5), country="FRA"),
    ]
    clipped = clip_to_membership(stays, periods)
    rule = StayRule(window_days=180, max_days=90)
    assert control(rule, clipped, date(2023, 1, 10)).days_used == 10 + 5


def test_clip_to_membership_splits_a_stay_across_two_periods() -> None:
    periods: dict[str, list[Period]] = {
        "XXX": [(None, date(2020, 1, 10)), (date(2020, 1, 20), None)]
    }
    stays = [Stay(date(2020, 1, 5), date(2020, 1, 25), country="XXX")]
    assert clip_to_membership(stays, periods) == [
        Stay(date(2020, 1, 5), date(2020, 1, 10), country="XXX"),
        Stay(date(2020, 1, 20), date(2020, 1, 25), country="XXX"),
    ]


def test_clip_to_membership_needs_a_country_and_sane_periods() -> None:
    with pytest.raises(InputError, match=r"stays\[0\]\.country"):
        clip_to_membership([Stay(date(2020, 1, 1), date(2020, 1, 2))], {})
    with pytest.raises(InputError, match=r"periods\[FRA\]\[0\]"):
        clip_to_membership([], {"FRA": [(date(2020, 2, 1), date(2020, 1, 1))]})


def test_every_wrong_field_is_named() -> None:
    with pytest.raises(InputErrors) as info:
        compute_from_json({"rule": {"window_days": 180, "max_days": "ninety"},
                           "stays": [["2025-01-01", "2025-01-10"], ["soon", "2025-02-01"],
                                     "x"],
                           "query_date": "2025-13-01"})
    fields = [p.field for p in info.value.problems]
    assert fields[0] == "rule.max_days" and fields[-1] == "query_date"
    assert any(f.startswith("stays[1]") for f in fields)
    assert any(f.startswith("stays[2]") for f in fields)
