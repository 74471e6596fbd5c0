"""Step 5, stay: the intended stay against the limit of the regime that admits the traveller.

Why: an intended stay longer than the visa-free limit needs the visa that covers it
(`authorization_required` with STAY_TOO_LONG). The stay history's rolling windows
(STAY_LIMIT_EXCEEDED) are to be wired in here with `admit.stay`; `window_days` is already in
the compiled rules for it.
"""

from __future__ import annotations

from admit.engine.context import Attempt, LegContext
from admit.model import Code, Status


def check(ctx: LegContext, attempt: Attempt) -> None:
    limit = attempt.max_stay_days
    days = ctx.leg.stay_days
    if not attempt.limited or limit is None or days is None or days <= limit:
        return
    leg = ctx.leg
    until = leg.until.isoformat() if leg.until is not None else leg.date.isoformat()
    attempt.add(Code.STAY_TOO_LONG, Status.AUTHORIZATION_REQUIRED,
                f"The intended stay from {leg.date.isoformat()} to {until} is {days} days; "
                f"{ctx.code} allows {limit} days on these terms, so a longer stay needs a visa "
                "that covers it.", attempt.limit)
