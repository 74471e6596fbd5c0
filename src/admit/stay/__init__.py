"""Stay rules: how many days a traveller may spend, and until when (90 in 180, 30 per entry, …).

Why a package: the engine's stay step, `admit stay` and `POST /v1/stay` share one calculation
(docs/design.md, Public contracts, Stay). Import from here; the modules behind it are
`model` (rule, stay, result), `presence` (the day index), `calculate` (control, planning,
earliest entry), `filters` (which stays count) and `contract` (the JSON form).
"""

from __future__ import annotations

from admit.stay.calculate import calendar_stay_end, control, earliest_entry_for, plan
from admit.stay.contract import compute_from_json, parse_rule, parse_stay, parse_stays
from admit.stay.filters import Period, clip_to_membership, counted_stays
from admit.stay.model import Anchor, Mode, Stay, StayResult, StayRule, StayStatus

__all__ = [
    "Anchor",
    "Mode",
    "Period",
    "Stay",
    "StayResult",
    "StayRule",
    "StayStatus",
    "calendar_stay_end",
    "clip_to_membership",
    "compute_from_json",
    "control",
    "counted_stays",
    "earliest_entry_for",
    "parse_rule",
    "parse_stay",
    "parse_stays",
    "plan",
]
