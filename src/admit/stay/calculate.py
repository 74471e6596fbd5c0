"""Control and planning answers for a stay rule: days used, days left, latest exit, overstay.

Why: this is the arithmetic behind "how long may I stay?" and behind the engine's
STAY_LIMIT_EXCEEDED — the definitions are docs/design.md's Stay contract, and the EU Commission's
short-stay calculator (control and planning functions) is the reference behaviour.

How it stays fast: history lives in a Presence index (O(log n) per range count). For a rolling
window, the days used by "stay on from day s until day d" never decrease as d grows (each new
day adds one, each day that leaves the window takes back at most one), so the lawful days form
an unbroken run and its last day is found by binary search — the same answer as walking day by
day, in O(log window · log n). Fixed periods (`first_entry`) have a closed form.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from admit.errors import InputError
from admit.stay.model import Stay, StayResult, StayRule, check_day
from admit.stay.presence import Presence

# How far ahead earliest_entry_for looks for a start day whose calendar allows the stay (a
# 12-month stay of 366 days needs a 29 February; across 2100 the next one is eight years away).
_CALENDAR_SEARCH_DAYS = 8 * 366 + 62


def calendar_stay_end(entry: date, months: int) -> date:
    """The last day of a stay that may last "until the day before the same date" `months` later.

    Where that date does not exist (31 January + 1 month, 29 February + 1 year) the stay runs to
    the end of the shorter month, as if the "same date" were the first of the next month.
    """
    same_date = entry + relativedelta(months=months)
    if same_date.day != entry.day:  # relativedelta clamped to the end of a shorter month
        return same_date
    return same_date - timedelta(days=1)


def control(rule: StayRule, stays: Sequence[Stay], query_date: date) -> StayResult:
    """Check a traveller on `query_date` against `rule`, given the stays up to that day."""
    check_day("query_date", query_date)
    counted = _counted(stays)
    for index, stay in counted:
        if stay.exit > query_date:
            raise InputError(
                f"stays[{index}]",
                stay.exit.isoformat(),
                f"exit {stay.exit} is after the control date {query_date}: a control counts "
                "only stays that have begun and list presence up to that day",
            )
    presence = _presence(counted)
    q = query_date.toordinal()
    anchor = presence.first_day if presence.first_day is not None else q
    if rule.anchor == "rolling":
        count_from = window_start = q - rule.window_days + 1
        window_end = q
    else:
        count_from = window_start = _period_start(rule, anchor, q)
        window_end = window_start + rule.window_days - 1
    used = presence.count(count_from, q)

    current = [stay.entry for _, stay in counted if stay.entry <= query_date <= stay.exit]
    # When stays overlap (two countries of one area), the traveller's current stay is the one
    # begun by the latest entry on record.
    entry = max(current).toordinal() if current else None
    cap = _cap_end(rule, entry) if entry is not None else None
    overstay = used > rule.max_days or (cap is not None and q > cap)

    latest: date | None = None
    if entry is not None and not overstay:
        latest = date.fromordinal(_last_lawful_day(rule, presence, q + 1, entry, anchor))
    return StayResult(
        mode="control",
        days_used=used,
        days_remaining=max(0, rule.max_days - used),
        latest_exit=latest,
        overstay=overstay,
        window_start=date.fromordinal(window_start),
        window_end=date.fromordinal(window_end),
    )


def plan(rule: StayRule, stays: Sequence[Stay], planned_entry: date) -> StayResult:
    """How long a new stay beginning on `planned_entry` may last, given the stays before it."""
    check_day("planned_entry", planned_entry)
    counted = _counted(stays)
    _check_before(counted, planned_entry, "the planned entry")
    presence = _presence(counted)
    p = planned_entry.toordinal()
    anchor = presence.first_day if presence.first_day is not None else p
    if rule.anchor == "rolling":
        # The window the rule applies on the day of entry ends on that day (for 90 in 180:
        # P-179 … P); the days used are those of it before the entry.
        window_start, window_end = p - rule.window_days + 1, p
        used = presence.count(window_start, p - 1)
    else:
        window_start = _period_start(rule, anchor, p)
        window_end = window_start + rule.window_days - 1
        used = presence.count(window_start, p - 1)
    last = _last_lawful_day(rule, presence, p, p, anchor)
    latest = date.fromordinal(last) if last >= p else None
    return StayResult(
        mode="planning",
        days_used=used,
        days_remaining=last - p + 1 if latest else 0,
        latest_exit=latest,
        overstay=latest is None,
        window_start=date.fromordinal(window_start),
        window_end=date.fromordinal(window_end),
    )


def earliest_entry_for(
    rule: StayRule, stays: Sequence[Stay], days: int, not_before: date
) -> date | None:
    """The first day, on or after `not_before` and after the last listed stay, on which a stay of
    `days` days may begin; None if the rule never allows a stay that long."""
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        raise InputError("days", days, "must be a whole number of days, at least 1")
    check_day("not_before", not_before)
    limited = rule.window_days > rule.max_days
    # A rolling window caps any stay at max_days; fixed periods let a stay straddle a boundary
    # (the end of one period and the start of the next), up to twice that.
    longest = rule.max_days if rule.anchor == "rolling" else 2 * rule.max_days
    if (limited and days > longest) or (
        rule.max_continuous_days is not None and days > rule.max_continuous_days
    ):
        return None
    counted = _counted(stays)
    presence = _presence(counted)
    start = not_before.toordinal()
    if presence.last_day is not None:
        # A new stay cannot begin while the last one on record goes on.
        start = max(start, presence.last_day + 1)
    fixed_anchor = presence.first_day

    def allows(p: int) -> bool:
        anchor = fixed_anchor if fixed_anchor is not None else p
        return _last_lawful_day(rule, presence, p, p, anchor) >= p + days - 1

    if rule.anchor == "rolling" and limited:
        # The window ending on the stay's last day is the fullest one; past the history, the
        # days it still holds only fall as the start moves later, so the first start that fits
        # the window is found by binary search. Only a calendar cap can push it further.
        def fits(p: int) -> bool:
            return presence.count(p + days - rule.window_days, p - 1) + days <= rule.max_days

        lo, hi = start - 1, start + rule.window_days
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if fits(mid):
                hi = mid
            else:
                lo = mid
        start = hi
    for p in range(start, start + 2 * rule.window_days + _CALENDAR_SEARCH_DAYS):
        if allows(p):
            return date.fromordinal(p)
    return None


def _last_lawful_day(
    rule: StayRule, presence: Presence, start: int, entry: int, anchor: int
) -> int:
    """The last day E such that being present every day from `start` to E keeps each of those
    days within the rule; `start - 1` if `start` itself would not.

    `presence` holds no day on or after `start`; `entry` is the entry day of the stay that goes
    on (per-stay caps count from it); `anchor` is the first day of the first fixed period.
    """
    w, m = rule.window_days, rule.max_days
    cap = _cap_end(rule, entry)
    if w == m:
        # No window of w days can hold more than w days: only the per-stay cap limits the stay
        # (StayRule guarantees there is one).
        assert cap is not None
        return max(start - 1, cap)
    if rule.anchor == "rolling":
        # f(d) = presence in [d-w+1, start-1] + (d - start + 1) never decreases with d, so the
        # lawful days are a prefix. f(start + w - 1) = w > m bounds the search.
        lo, hi = start - 1, start + w - 1
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if presence.count(mid - w + 1, start - 1) + mid - start + 1 <= m:
                lo = mid
            else:
                hi = mid
        last = lo
    else:
        period_start = _period_start(rule, anchor, start)
        period_end = period_start + w - 1
        room = m - presence.count(period_start, start - 1)
        # If the rest of this period fits, the next one holds no past presence and allows m
        # days; since m < w the stay ends inside it.
        fits_period = room >= period_end - start + 1
        last = period_end + m if fits_period else start - 1 + max(room, 0)
    return last if cap is None else max(start - 1, min(last, cap))


def _cap_end(rule: StayRule, entry: int) -> int | None:
    """The last day a stay entered on `entry` may last under the per-stay caps, if any."""
    ends: list[int] = []
    if rule.max_continuous_days is not None:
        ends.append(entry + rule.max_continuous_days - 1)
    if rule.max_continuous_months is not None:
        ends.append(
            calendar_stay_end(date.fromordinal(entry), rule.max_continuous_months).toordinal()
        )
    return min(ends) if ends else None


def _period_start(rule: StayRule, anchor: int, day: int) -> int:
    return anchor + (day - anchor) // rule.window_days * rule.window_days


def _counted(stays: Sequence[Stay]) -> list[tuple[int, Stay]]:
    """The stays that count, each with its index in the caller's list (errors name it)."""
    result: list[tuple[int, Stay]] = []
    for index, stay in enumerate(stays):
        check_day(f"stays[{index}].entry", stay.entry)
        check_day(f"stays[{index}].exit", stay.exit)
        if stay.exit < stay.entry:
            raise InputError(
                f"stays[{index}]",
                [stay.entry.isoformat(), stay.exit.isoformat()],
                f"exit {stay.exit} is before entry {stay.entry}",
            )
        if stay.counted:
            result.append((index, stay))
    return result


def _check_before(counted: list[tuple[int, Stay]], day: date, what: str) -> None:
    for index, stay in counted:
        if stay.entry <= day <= stay.exit:
            raise InputError(
                f"stays[{index}]",
                [stay.entry.isoformat(), stay.exit.isoformat()],
                f"{what} {day} falls inside this stay ({stay.entry} to {stay.exit})",
            )
        if stay.entry > day:
            raise InputError(
                f"stays[{index}]",
                [stay.entry.isoformat(), stay.exit.isoformat()],
                f"entry {stay.entry} is after {what} {day}: list only the stays before it",
            )


def _presence(counted: list[tuple[int, Stay]]) -> Presence:
    return Presence((stay.entry.toordinal(), stay.exit.toordinal()) for _, stay in counted)
