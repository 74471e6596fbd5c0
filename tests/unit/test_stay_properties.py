"""Property tests: the fast calculator against a plain set-of-days reference written here.

The reference walks day by day and rebuilds each window as a set — slow, obviously right, and
sharing no code with admit.stay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from admit.stay import Anchor, Stay, StayRule, StayStatus, control, earliest_entry_for, plan

BASE = date(2023, 11, 1)  # histories straddle 29 February 2024


# --- reference ------------------------------------------------------------------------------


def ref_month_end(entry: date, months: int) -> date:
    """The day before the same date `months` later; a missing date reads as the next 1st."""
    year, month0 = divmod(entry.month - 1 + months, 12)
    year += entry.year
    try:
        same = date(year, month0 + 1, entry.day)
    except ValueError:
        y, m = (year + 1, 1) if month0 == 11 else (year, month0 + 2)
        same = date(y, m, 1)
    return same - timedelta(days=1)


@dataclass
class Ref:
    rule: StayRule

    def cap(self, entry: date) -> date | None:
        ends = []
        if self.rule.max_continuous_days is not None:
            ends.append(entry + timedelta(days=self.rule.max_continuous_days - 1))
        if self.rule.max_continuous_months is not None:
            ends.append(ref_month_end(entry, self.rule.max_continuous_months))
        return min(ends) if ends else None

    def window(self, days: set[date], day: date, fallback: date) -> set[date]:
        w = self.rule.window_days
        if self.rule.anchor == "rolling":
            return {day - timedelta(days=i) for i in range(w)}
        first = min(days) if days else fallback
        start = first
        while start + timedelta(days=w) <= day:
            start += timedelta(days=w)
        return {start + timedelta(days=i) for i in range((day - start).days + 1)}

    def lawful(self, days: set[date], day: date, entry: date, fallback: date) -> bool:
        cap = self.cap(entry)
        within = len(days & self.window(days, day, fallback)) <= self.rule.max_days
        return within and (cap is None or day <= cap)

    def stay_on(self, days: set[date], start: date, entry: date, fallback: date) -> date | None:
        """Walk day by day from `start`; the last lawful day, or None if `start` is not."""
        present = set(days)
        last = None
        day = start
        while True:
            present.add(day)
            if not self.lawful(present, day, entry, fallback):
                return last
            last = day
            day += timedelta(days=1)


def day_set(stays: list[Stay]) -> set[date]:
    days: set[date] = set()
    for s in stays:
        if s.status == "short_stay":
            days |= {s.entry + timedelta(days=i) for i in range((s.exit - s.entry).days + 1)}
    return days


# --- strategies -------------------------------------------------------------------------------


@st.composite
def rules(draw: st.DrawFn) -> StayRule:
    window = draw(st.integers(min_value=2, max_value=40))
    maximum = draw(st.integers(min_value=1, max_value=window))
    cap_days = draw(st.none() | st.integers(min_value=1, max_value=30))
    cap_months = draw(st.none() | st.integers(min_value=1, max_value=2))
    if maximum == window and cap_days is None and cap_months is None:
        cap_days = draw(st.integers(min_value=1, max_value=30))
    anchor: Anchor = draw(st.sampled_from(["rolling", "first_entry"]))
    return StayRule(window, maximum, cap_days, cap_months, anchor)


@st.composite
def histories(draw: st.DrawFn) -> list[Stay]:
    result = []
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        # Stays close together and short, next to windows of at most 40 days, so that windows
        # often hold several stays and days leave them while a stay goes on.
        start = BASE + timedelta(days=draw(st.integers(min_value=0, max_value=90)))
        length = draw(st.integers(min_value=0, max_value=15))
        statuses: list[StayStatus] = [
            "short_stay",
            "short_stay",
            "short_stay",
            "short_stay",
            "residence_permit",
            "long_stay_visa",
        ]
        status = draw(st.sampled_from(statuses))
        result.append(Stay(start, start + timedelta(days=length), status=status))
    return result


def last_exit(stays: list[Stay]) -> date:
    counted = [s.exit for s in stays if s.status == "short_stay"]
    return max(counted) if counted else BASE


# --- properties -------------------------------------------------------------------------------


@settings(max_examples=600, deadline=None)
@given(rules(), histories(), st.integers(min_value=0, max_value=40), st.booleans())
def test_control_matches_the_reference(
    rule: StayRule, stays: list[Stay], later: int, on_last_day: bool
) -> None:
    query = last_exit(stays) + timedelta(days=0 if on_last_day else later)
    got = control(rule, stays, query)
    ref = Ref(rule)
    days = day_set(stays)
    used = len(days & ref.window(days, query, query))
    entries = [s.entry for s in stays if s.status == "short_stay" and s.entry <= query <= s.exit]
    cap = ref.cap(max(entries)) if entries else None
    overstay = used > rule.max_days or (cap is not None and query > cap)
    assert got.days_used == used
    assert got.overstay == overstay
    assert got.days_remaining == max(0, rule.max_days - used)
    if entries and not overstay:
        expected = ref.stay_on(days, query + timedelta(days=1), max(entries), query) or query
    else:
        expected = None
    assert got.latest_exit == expected


@settings(max_examples=600, deadline=None)
@given(rules(), histories(), st.integers(min_value=1, max_value=40))
def test_planning_matches_the_reference(rule: StayRule, stays: list[Stay], gap: int) -> None:
    entry = last_exit(stays) + timedelta(days=gap)
    got = plan(rule, stays, entry)
    ref = Ref(rule)
    days = day_set(stays)
    expected = ref.stay_on(days, entry, entry, entry)
    assert got.latest_exit == expected
    assert got.overstay == (expected is None)
    assert got.days_remaining == ((expected - entry).days + 1 if expected else 0)
    if rule.anchor == "rolling":
        # The window the rule applies on the day of entry ends on it: its days before entry.
        before = {entry - timedelta(days=i) for i in range(1, rule.window_days)}
        assert got.days_used == len(days & before)
        assert (got.window_start, got.window_end) == (
            entry - timedelta(days=rule.window_days - 1), entry)


@settings(max_examples=200, deadline=None)
@given(rules(), histories(), st.integers(min_value=1, max_value=35), st.integers(0, 120))
def test_earliest_entry_is_the_first_day_a_stay_that_long_fits(
    rule: StayRule, stays: list[Stay], length: int, offset: int
) -> None:
    not_before = BASE + timedelta(days=offset)
    got = earliest_entry_for(rule, stays, length, not_before)
    ref = Ref(rule)
    days = day_set(stays)
    start = max(not_before, last_exit(stays) + timedelta(days=1)) if days else not_before

    def fits(p: date) -> bool:
        last = ref.stay_on(days, p, p, p)
        return last is not None and (last - p).days + 1 >= length

    horizon = 3 * rule.window_days + 70
    expected = next(
        (start + timedelta(days=i) for i in range(horizon) if fits(start + timedelta(days=i))),
        None,
    )
    assert got == expected


@settings(max_examples=200, deadline=None)
@given(histories(), st.integers(min_value=1, max_value=60))
def test_schengen_any_order_gives_the_same_answer(stays: list[Stay], gap: int) -> None:
    rule = StayRule(window_days=180, max_days=90)
    entry = last_exit(stays) + timedelta(days=gap)
    assert plan(rule, stays, entry) == plan(rule, stays[::-1], entry)
