"""The stay calculator's vocabulary: a rule, a stay, a result.

Why a module of its own: the engine, the CLI and the HTTP API all build these values, and the
calculation must be able to trust them. Validation therefore happens here, once, when a value is
made, and every error names the field and the value (admit.errors.InputError).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

from admit import daterange
from admit.daterange import EARLIEST, LATEST
from admit.errors import InputError

Anchor = Literal["rolling", "first_entry"]
StayStatus = Literal["short_stay", "residence_permit", "long_stay_visa"]
Mode = Literal["control", "planning"]

# Bounds that keep every date the calculator derives inside the calendar: a century of days or
# months is beyond any real rule, and admit only reasons about dates in FIRST_DAY..LAST_DAY.
MAX_DAYS = 36_525
MAX_MONTHS = 1_200
FIRST_DAY = EARLIEST
LAST_DAY = LATEST

ANCHORS: tuple[str, ...] = get_args(Anchor)
STAY_STATUSES: tuple[str, ...] = get_args(StayStatus)

# Periods of stay under a residence permit or a long-stay visa are not short stays: the
# Schengen Borders Code as amended by Regulation (EU) No 610/2013 excludes them from the 90/180
# count (quoted at https://5195.f2w.bosa.be/en/themes/border-control/entry-schengen-territory/
# electronic-calculator).
NOT_COUNTED: frozenset[str] = frozenset({"residence_permit", "long_stay_visa"})


@dataclass(frozen=True, slots=True)
class StayRule:
    """At most `max_days` days of presence in `window_days` days, with optional per-stay caps.

    anchor `rolling`: every window of `window_days` days that ends on a day of presence.
    anchor `first_entry`: fixed consecutive periods of `window_days` days, the first beginning on
    the first day of presence in the history.
    `max_continuous_days`: each stay (one entry) may last at most this many days.
    `max_continuous_months`: each stay may last until the day before the same calendar date
    this many months after its entry (a "one year from each entry" rule is 12).
    """

    window_days: int
    max_days: int
    max_continuous_days: int | None = None
    max_continuous_months: int | None = None
    anchor: Anchor = "rolling"

    def __post_init__(self) -> None:
        _positive("rule.window_days", self.window_days, MAX_DAYS)
        _positive("rule.max_days", self.max_days, MAX_DAYS)
        if self.max_continuous_days is not None:
            _positive("rule.max_continuous_days", self.max_continuous_days, MAX_DAYS)
        if self.max_continuous_months is not None:
            _positive("rule.max_continuous_months", self.max_continuous_months, MAX_MONTHS)
        if self.anchor not in ANCHORS:
            raise InputError("rule.anchor", self.anchor, f"must be one of {', '.join(ANCHORS)}")
        if self.window_days < self.max_days:
            raise InputError(
                "rule.window_days",
                self.window_days,
                f"a window of {self.window_days} days is shorter than max_days {self.max_days}",
            )
        # A window no longer than the maximum can never be exceeded: without a per-stay cap the
        # rule would set no limit at all, which is always a mistake in the data.
        if self.window_days == self.max_days and not self.has_stay_cap:
            raise InputError(
                "rule.window_days",
                self.window_days,
                "equal to max_days sets no limit; add max_continuous_days or "
                "max_continuous_months, or widen the window",
            )

    @property
    def has_stay_cap(self) -> bool:
        return self.max_continuous_days is not None or self.max_continuous_months is not None


@dataclass(frozen=True, slots=True)
class Stay:
    """One entry and the following exit, both days of presence.

    `country` is only needed to clip a stay to the days a country applied a common rule
    (Schengen membership by date); `status` says whether the stay counts at all.
    """

    entry: date
    exit: date
    country: str | None = None
    status: StayStatus = "short_stay"

    def __post_init__(self) -> None:
        if self.status not in STAY_STATUSES:
            raise InputError(
                "stay.status", self.status, f"must be one of {', '.join(STAY_STATUSES)}"
            )

    @property
    def counted(self) -> bool:
        return self.status not in NOT_COUNTED

    @property
    def days(self) -> int:
        return (self.exit - self.entry).days + 1


@dataclass(frozen=True, slots=True)
class StayResult:
    """The contract's answer (docs/design.md, Public contracts, Stay) plus the window it looked at.

    `window_start`/`window_end`: for a rolling rule the window `days_used` counts (ending on the
    control date, or on the day before the planned entry); for a `first_entry` rule the fixed
    period that holds the control date or the planned entry.
    """

    mode: Mode
    days_used: int
    days_remaining: int
    latest_exit: date | None
    overstay: bool
    window_start: date
    window_end: date

    def to_dict(self) -> dict[str, object]:
        return {
            "mode": self.mode,
            "days_used": self.days_used,
            "days_remaining": self.days_remaining,
            "latest_exit": self.latest_exit.isoformat() if self.latest_exit else None,
            "overstay": self.overstay,
            "window_start": self.window_start.isoformat(),
            "window_end": self.window_end.isoformat(),
        }


def check_day(field: str, value: date) -> None:
    """Refuse a date outside the years admit reasons about (it would overflow the calendar)."""
    daterange.check_day(field, value)


def _positive(field: str, value: object, most: int) -> None:
    # bool is an int in Python; `true` for a number of days is a mistake worth naming.
    if not isinstance(value, int) or isinstance(value, bool):
        raise InputError(field, value, "must be a whole number")
    if value < 1:
        raise InputError(field, value, "must be at least 1")
    if value > most:
        raise InputError(field, value, f"must be at most {most}")
