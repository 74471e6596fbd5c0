"""Stay calculation: window edges, leap days, merging, anchors, per-stay caps, earliest entry."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from admit.errors import InputError
from admit.stay import Stay, StayRule, calendar_stay_end, control, earliest_entry_for, plan

SCHENGEN = StayRule(window_days=180, max_days=90)


def d(text: str) -> date:
    return date.fromisoformat(text)


def stay(entry: str, exit_: str) -> Stay:
    return Stay(d(entry), d(exit_))


# --- window edges -------------------------------------------------------------------------


def test_control_window_holds_the_control_day_and_the_w_minus_1_days_before() -> None:
    q = d("2025-07-01")
    inside = q - timedelta(days=179)
    outside = q - timedelta(days=180)
    assert control(SCHENGEN, [Stay(inside, inside)], q).days_used == 1
    assert control(SCHENGEN, [Stay(outside, outside)], q).days_used == 0
    assert control(SCHENGEN, [Stay(outside, outside)], q).window_start == inside


def test_planning_counts_the_days_before_entry_in_the_window_ending_on_it() -> None:
    # For 90 in 180 the window the rule applies on the day of entry P is P-179 ... P: a day
    # at P-180 has left it, the days P-179 and P-1 count.
    p = d("2025-07-01")
    first = p - timedelta(days=179)
    gone = p - timedelta(days=180)
    result = plan(SCHENGEN, [Stay(gone, gone), Stay(first, first),
                             Stay(p - timedelta(days=1), p - timedelta(1))], p)
    assert (result.window_start, result.window_end) == (first, p)
    assert result.days_used == 2


def test_exactly_max_days_is_lawful_and_one_more_is_an_overstay() -> None:
    full = control(SCHENGEN, [stay("2025-01-01", "2025-03-31")], d("2025-03-31"))
    assert (full.days_used, full.overstay, full.days_remaining) == (90, False, 0)
    assert full.latest_exit == d("2025-03-31")
    over = control(SCHENGEN, [stay("2025-01-01", "2025-04-01")], d("2025-04-01"))
    assert (over.days_used, over.overstay, over.latest_exit) == (91, True, None)


def test_not_present_on_the_control_day_has_no_latest_exit() -> None:
    result = control(SCHENGEN, [stay("2025-01-01", "2025-01-10")], d("2025-02-01"))
    assert result.days_used == 10
    assert result.days_remaining == 80
    assert result.latest_exit is None
    assert result.overstay is False


def test_latest_exit_counts_days_that_leave_the_window_not_only_the_days_left_at_entry() -> None:
    # 60 days in January-February, then a new entry in late June: only 30 days are left on
    # entry, but every day the stay goes on a winter day leaves the window.
    history = [stay("2025-01-01", "2025-03-01")]
    result = plan(SCHENGEN, history, d("2025-06-20"))
    assert result.days_used == 60
    assert result.days_remaining == 90  # not 90 - 60
    last = result.latest_exit
    assert last is not None
    window = [last - timedelta(days=i) for i in range(180)]
    present = {d("2025-01-01") + timedelta(days=i) for i in range(60)} | {
        d("2025-06-20") + timedelta(days=i) for i in range(result.days_remaining)
    }
    assert sum(day in present for day in window) == 90
    after = last + timedelta(days=1)
    assert sum(after - timedelta(days=i) in present | {after} for i in range(180)) == 91


# --- leap days, merging, order ----------------------------------------------------------------


def test_a_leap_february_counts_29_days() -> None:
    assert control(SCHENGEN, [stay("2024-02-01", "2024-02-29")], d("2024-02-29")).days_used == 29
    assert control(SCHENGEN, [stay("2023-02-01", "2023-02-28")], d("2023-02-28")).days_used == 28


def test_a_window_across_29_february_reaches_one_calendar_day_less_far_back() -> None:
    # 180 days ending 31 March 2024 begin on 4 October 2023 (29 February is one of them);
    # a year later, without a 29 February, they begin on 3 October.
    q = d("2024-03-31")
    assert control(SCHENGEN, [stay("2023-10-04", "2023-10-04")], q).days_used == 1
    assert control(SCHENGEN, [stay("2023-10-03", "2023-10-03")], q).days_used == 0
    assert control(SCHENGEN, [stay("2024-10-03", "2024-10-03")], d("2025-03-31")).days_used == 1


def test_overlapping_and_touching_stays_count_each_day_once() -> None:
    history = [
        stay("2025-01-01", "2025-01-10"),
        stay("2025-01-05", "2025-01-15"),  # overlaps the first
        stay("2025-01-15", "2025-01-20"),  # exit and entry on the same day
        stay("2025-01-03", "2025-01-03"),  # a one-day stay inside the first
    ]
    assert control(SCHENGEN, history, d("2025-01-20")).days_used == 20


def test_a_same_day_stay_counts_one_day() -> None:
    assert control(SCHENGEN, [stay("2025-05-05", "2025-05-05")], d("2025-05-05")).days_used == 1


def test_order_of_the_stays_does_not_matter() -> None:
    history = [
        stay("2025-03-01", "2025-03-20"),
        stay("2024-12-01", "2025-01-15"),
        stay("2025-04-01", "2025-04-10"),
    ]
    for query in (d("2025-04-10"), d("2025-05-01")):
        assert control(SCHENGEN, history, query) == control(SCHENGEN, history[::-1], query)
    assert plan(SCHENGEN, history, d("2025-05-01")) == plan(
        SCHENGEN, sorted(history, key=lambda s: s.entry), d("2025-05-01")
    )


# --- other parameters ---------------------------------------------------------------------


def test_183_in_365() -> None:
    rule = StayRule(window_days=365, max_days=183)
    history = [stay("2025-01-01", "2025-06-01")]  # 152 days
    early = plan(rule, history, d("2025-09-01"))
    # 31 days fill the window long before 1 January 2025 leaves it.
    assert (early.days_used, early.days_remaining) == (152, 31)
    assert early.latest_exit == d("2025-10-01")
    late = plan(rule, history, d("2025-12-01"))
    # 31 days to 31 December; from 1 January 2026 the 2025 days leave the window one a day, so
    # the stay goes on until all 152 have left and 183 new days are used.
    assert late.latest_exit == d("2026-06-01")
    assert late.days_remaining == 183


def test_small_numbers_show_nothing_is_fixed_to_90_and_180() -> None:
    rule = StayRule(window_days=10, max_days=4)
    history = [stay("2025-01-01", "2025-01-03")]
    assert plan(rule, history, d("2025-01-05")).latest_exit == d("2025-01-05")
    assert plan(rule, history, d("2025-01-09")).latest_exit == d("2025-01-09")
    # Entering on 10 January, each further day pushes one of 1-3 January out of the window.
    assert plan(rule, history, d("2025-01-10")).latest_exit == d("2025-01-13")
    assert plan(rule, history, d("2025-01-13")).days_remaining == 4
    assert control(rule, [stay("2025-01-01", "2025-01-04")], d("2025-01-04")).latest_exit == d(
        "2025-01-04"
    )


# --- first_entry anchor ---------------------------------------------------------------------

# "the total period of stay may not exceed 90 days within a period of 180 days from the date of
# first entry" — Russia-Mongolia agreement of 3 September 2014, in force 14 November 2014:
# http://yatoday.sakha.gov.ru/en/news/society/50-my-work-is-the-point-of-life
FIRST_ENTRY = StayRule(window_days=180, max_days=90, anchor="first_entry")


def test_first_entry_periods_are_fixed_and_consecutive() -> None:
    history = [stay("2025-01-01", "2025-01-01"), stay("2025-04-01", "2025-06-28")]  # 1 + 89
    period_2 = d("2025-01-01") + timedelta(days=180)  # 2025-06-30
    result = control(FIRST_ENTRY, history, d("2025-06-28"))
    assert (result.days_used, result.window_start) == (90, d("2025-01-01"))
    # Staying on: 29 June breaks period 1 (91 days), so 28 June is the last day.
    assert result.latest_exit == d("2025-06-28")
    fresh = plan(FIRST_ENTRY, history, period_2)
    assert fresh.days_used == 0
    assert fresh.window_start == period_2
    assert fresh.latest_exit == period_2 + timedelta(days=89)
    # A rolling window would still hold the spring days.
    assert plan(SCHENGEN, history, period_2).days_remaining < 90


def test_first_entry_stay_may_run_on_into_the_next_period() -> None:
    history = [stay("2025-01-01", "2025-01-10")]
    result = plan(FIRST_ENTRY, history, d("2025-05-01"))
    # Period 1 ends 2025-06-29 with 10 + 60 days; period 2 allows 90 more.
    assert result.latest_exit == d("2025-06-29") + timedelta(days=90)


def test_first_entry_with_a_30_day_cap_per_stay() -> None:
    rule = StayRule(window_days=180, max_days=90, max_continuous_days=30, anchor="first_entry")
    assert plan(rule, [], d("2025-01-01")).latest_exit == d("2025-01-30")
    history = [stay("2025-01-01", "2025-01-30"), stay("2025-02-10", "2025-03-11")]  # 60 days
    result = plan(rule, history, d("2025-04-01"))
    assert (result.days_used, result.days_remaining) == (60, 30)


# --- per-stay caps --------------------------------------------------------------------------


def test_max_continuous_days_caps_each_stay() -> None:
    rule = StayRule(window_days=180, max_days=90, max_continuous_days=30)
    assert plan(rule, [], d("2025-01-01")).days_remaining == 30
    on_day_10 = control(rule, [stay("2025-01-01", "2025-01-10")], d("2025-01-10"))
    assert on_day_10.latest_exit == d("2025-01-30")
    on_day_31 = control(rule, [stay("2025-01-01", "2025-01-31")], d("2025-01-31"))
    assert on_day_31.overstay is True
    assert on_day_31.days_used == 31
    assert on_day_31.latest_exit is None


def test_re_entry_starts_a_new_capped_stay() -> None:
    rule = StayRule(window_days=180, max_days=90, max_continuous_days=30)
    history = [stay("2025-01-01", "2025-01-30"), stay("2025-01-30", "2025-02-05")]
    result = control(rule, history, d("2025-02-05"))
    assert result.overstay is False
    assert result.latest_exit == d("2025-02-28")  # 30 days from the re-entry on 30 January


def test_calendar_stay_end_is_the_day_before_the_same_date() -> None:
    assert calendar_stay_end(d("2025-03-15"), 12) == d("2026-03-14")
    assert calendar_stay_end(d("2025-03-01"), 1) == d("2025-03-31")
    # No 29 February 2025, no 31 February: the stay runs to the end of February.
    assert calendar_stay_end(d("2024-02-29"), 12) == d("2025-02-28")
    assert calendar_stay_end(d("2024-01-31"), 1) == d("2024-02-29")
    assert calendar_stay_end(d("2023-03-01"), 12) == d("2024-02-29")


def test_one_year_from_each_entry() -> None:
    rule = StayRule(window_days=365, max_days=365, max_continuous_months=12)
    result = plan(rule, [], d("2024-03-01"))
    assert result.latest_exit == d("2025-02-28")
    assert result.days_remaining == 365
    checked = control(rule, [stay("2024-03-01", "2025-03-01")], d("2025-03-01"))
    assert checked.overstay is True


def test_equal_window_and_maximum_needs_a_per_stay_cap() -> None:
    with pytest.raises(InputError, match="sets no limit"):
        StayRule(window_days=90, max_days=90)


# --- earliest entry -----------------------------------------------------------------------


def test_earliest_entry_waits_until_the_window_has_room() -> None:
    history = [stay("2025-01-01", "2025-03-31")]
    assert earliest_entry_for(SCHENGEN, history, 1, d("2025-04-01")) == d("2025-06-30")
    assert earliest_entry_for(SCHENGEN, history, 90, d("2025-04-01")) == d("2025-06-30")
    assert earliest_entry_for(SCHENGEN, history, 10, d("2025-09-01")) == d("2025-09-01")


def test_earliest_entry_after_a_partial_history() -> None:
    history = [stay("2025-01-01", "2025-02-19")]  # 50 days
    # 40 days fit straight after; 41 need 1 January out of the last day's window.
    assert earliest_entry_for(SCHENGEN, history, 40, d("2025-02-20")) == d("2025-02-20")
    first = earliest_entry_for(SCHENGEN, history, 60, d("2025-02-20"))
    assert first is not None
    assert plan(SCHENGEN, history, first).days_remaining >= 60
    assert plan(SCHENGEN, history, first - timedelta(days=1)).days_remaining < 60


def test_earliest_entry_never_for_a_stay_longer_than_the_rule_allows() -> None:
    assert earliest_entry_for(SCHENGEN, [], 91, d("2025-01-01")) is None
    capped = StayRule(window_days=180, max_days=90, max_continuous_days=30)
    assert earliest_entry_for(capped, [], 31, d("2025-01-01")) is None


def test_earliest_entry_finds_a_leap_year_for_a_366_day_calendar_stay() -> None:
    rule = StayRule(window_days=366, max_days=366, max_continuous_months=12)
    # A year from entry is 366 days only when it holds a 29 February.
    assert earliest_entry_for(rule, [], 366, d("2025-01-01")) == d("2027-03-01")
    assert earliest_entry_for(rule, [], 365, d("2025-01-01")) == d("2025-01-01")


def test_earliest_entry_rejects_a_non_positive_length() -> None:
    with pytest.raises(InputError, match="days"):
        earliest_entry_for(SCHENGEN, [], 0, d("2025-01-01"))


# --- bad input --------------------------------------------------------------------------------


def test_exit_before_entry_names_the_stay_and_both_dates() -> None:
    history = [
        stay("2025-01-01", "2025-01-02"),
        stay("2025-01-05", "2025-01-05"),
        Stay(d("2025-01-05"), d("2025-01-03")),
    ]
    with pytest.raises(InputError) as caught:
        control(SCHENGEN, history, d("2025-02-01"))
    assert caught.value.field == "stays[2]"
    assert "exit 2025-01-03 is before entry 2025-01-05" in str(caught.value)


def test_a_control_date_before_a_stay_ends_is_refused() -> None:
    with pytest.raises(InputError, match=r"stays\[0\]: exit 2025-01-10 is after the control date"):
        control(SCHENGEN, [stay("2025-01-01", "2025-01-10")], d("2025-01-05"))


def test_a_planned_entry_inside_a_stay_is_refused() -> None:
    with pytest.raises(InputError, match=r"stays\[1\]: the planned entry 2025-01-05 falls inside"):
        plan(
            SCHENGEN,
            [stay("2024-01-01", "2024-01-02"), stay("2025-01-01", "2025-01-10")],
            d("2025-01-05"),
        )


def test_a_stay_after_the_planned_entry_is_refused() -> None:
    with pytest.raises(InputError, match=r"stays\[0\]: entry 2025-03-01 is after"):
        plan(SCHENGEN, [stay("2025-03-01", "2025-03-02")], d("2025-01-05"))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"window_days": 80, "max_days": 90}, "rule.window_days"),
        ({"window_days": 180, "max_days": -1}, "rule.max_days"),
        ({"window_days": 0, "max_days": 0}, "rule.window_days"),
        (
            {"window_days": 180, "max_days": 90, "max_continuous_days": 0},
            "rule.max_continuous_days",
        ),
        (
            {"window_days": 180, "max_days": 90, "max_continuous_months": -2},
            "rule.max_continuous_months",
        ),
        ({"window_days": 180, "max_days": 90, "anchor": "monthly"}, "rule.anchor"),
    ],
)
def test_bad_rules_name_the_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InputError) as caught:
        StayRule(**kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field
