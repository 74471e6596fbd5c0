"""Step 5 with a stay history: rolling windows, the policy area whose days count, and the
latest lawful exit on each leg (fixture world, tests/fixtures/rules)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from admit.engine import check
from admit.model import Code, Decision, Status, Trip
from admit.rules import Rules, load_rules
from tests.unit.test_engine import FIXTURE, doc, leg


@pytest.fixture(scope="module")
def rules() -> Rules:
    return load_rules(FIXTURE)


def decide(rules: Rules, nationality: str, legs: list[dict[str, Any]],
           stays: list[dict[str, str]] | None = None) -> Decision:
    traveller: dict[str, Any] = {"nationalities": [nationality], "documents": [doc(nationality)]}
    if stays is not None:
        traveller["stays"] = stays
    trip = Trip.from_json({"traveller": traveller, "itinerary": legs},
                          extra_codes=rules.extra_codes)
    return check(trip, rules)


def codes(decision: Decision) -> set[Code]:
    return {f.code for leg in decision.legs for f in leg.findings}


# UTO applies the AREA policy: ZZE citizens visa-free for 90 days in any 180. ZZB's own rule
# for them is 90 in 180 with at most 30 days per stay.
def test_history_outside_the_window_leaves_the_full_stay(rules: Rules) -> None:
    out = decide(rules, "ZZE", [leg("UTO", "2025-06-01", "2025-06-30")],
                 [{"country": "UTO", "entered": "2024-09-01", "left": "2024-11-29"}])
    assert out.status is Status.ADMISSIBLE
    assert out.legs[0].latest_exit == date(2025, 8, 29)  # 90 days from 2025-06-01


def test_days_used_in_the_window_shorten_the_stay(rules: Rules) -> None:
    # 85 days (2025-03-01..2025-05-24) in the 180 days before 2025-06-01: 5 days remain at first,
    # and more come free as March leaves the window day by day.
    out = decide(rules, "ZZE", [leg("UTO", "2025-06-01", "2025-08-15")],
                 [{"country": "UTO", "entered": "2025-03-01", "left": "2025-05-24"}])
    latest = out.legs[0].latest_exit
    assert latest is not None and date(2025, 6, 5) <= latest < date(2025, 8, 15)
    assert out.status is Status.AUTHORIZATION_REQUIRED
    assert Code.STAY_TOO_LONG in codes(out)
    message = next(f.message for f in out.legs[0].findings if f.code is Code.STAY_TOO_LONG)
    assert latest.isoformat() in message and "2025-08-15" in message


def test_a_used_up_window_refuses_entry(rules: Rules) -> None:
    out = decide(rules, "ZZE", [leg("ZZB", "2025-06-01", "2025-06-05")],
                 [{"country": "ZZB", "entered": "2025-02-01", "left": "2025-05-01"}])
    assert out.status is Status.INADMISSIBLE and not out.board
    assert Code.STAY_LIMIT_EXCEEDED in codes(out)
    assert out.legs[0].latest_exit is None


def test_stays_elsewhere_do_not_count_for_a_national_rule(rules: Rules) -> None:
    out = decide(rules, "ZZE", [leg("ZZB", "2025-06-01", "2025-06-05")],
                 [{"country": "ZZD", "entered": "2025-02-01", "left": "2025-05-01"}])
    assert out.status is Status.ADMISSIBLE


# UTO applies the AREA policy (90 in 180 for ZZE); ZZD is an AREA member from 2010-01-01.
def test_a_policy_rule_counts_days_in_every_member_of_its_area(rules: Rules) -> None:
    out = decide(rules, "ZZE", [leg("UTO", "2025-06-01", "2025-06-05")],
                 [{"country": "ZZD", "entered": "2025-02-01", "left": "2025-05-01"}])
    assert Code.STAY_LIMIT_EXCEEDED in codes(out)
    assert "AREA" in next(f.message for f in out.legs[0].findings
                          if f.code is Code.STAY_LIMIT_EXCEEDED)


def test_days_before_a_country_joined_the_area_do_not_count(rules: Rules) -> None:
    out = decide(rules, "ZZE", [leg("UTO", "2009-12-20", "2009-12-25")],
                 [{"country": "ZZD", "entered": "2009-09-01", "left": "2009-12-10"}])
    assert out.status is Status.ADMISSIBLE
    assert out.legs[0].latest_exit == date(2010, 3, 19)


def test_earlier_legs_of_the_trip_count(rules: Rules) -> None:
    out = decide(rules, "ZZE", [leg("UTO", "2025-01-01", "2025-03-20"),
                                leg("UTO", "2025-04-01", "2025-04-20", origin="ZZB")])
    assert out.legs[0].status is Status.ADMISSIBLE
    assert out.legs[1].status is Status.AUTHORIZATION_REQUIRED  # 79 + 20 days > 90
    assert out.legs[1].latest_exit is not None
    assert out.legs[1].latest_exit < date(2025, 4, 20)


def test_without_history_no_latest_exit_is_claimed(rules: Rules) -> None:
    out = decide(rules, "ZZE", [leg("UTO", "2025-06-01", "2025-06-10")])
    assert out.legs[0].latest_exit is None
    assert out.to_json()["legs"][0]["latest_exit"] is None
    assert out.legs[0].max_stay_days == 90


def test_a_per_stay_cap_bounds_the_latest_exit(rules: Rules) -> None:
    out = decide(rules, "ZZE", [leg("ZZB", "2025-06-01", "2025-06-10")],
                 [{"country": "ZZB", "entered": "2024-01-01", "left": "2024-01-10"}])
    assert out.legs[0].max_stay_days == 30
    assert out.legs[0].latest_exit == date(2025, 6, 30)
