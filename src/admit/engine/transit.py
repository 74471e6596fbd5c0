"""Step 6, transit: airside transit without a visa, or the transit visa some nationalities need.

Why: a traveller who only changes planes does not enter; the destination's transit rule
decides, not its entry regime. Whoever may enter may also transit, so the better of the two
outcomes is kept. Without a transit rule, a traveller who could not enter is `unknown`: the
data cannot say whether staying airside is allowed.
"""

from __future__ import annotations

from admit.engine import authorization, stay
from admit.engine.context import Attempt, LegContext, who
from admit.model import Code, Document, Status
from admit.rules.tables import pick


def check(ctx: LegContext, document: Document, attempt: Attempt) -> Attempt:
    """The outcome of a transit leg, built on `attempt` (which holds the document checks)."""
    entering = attempt.copy()
    authorization.check(ctx, document, entering)
    stay.check(ctx, entering)
    destination = ctx.destination
    rule = (pick(destination.transit, document.nationality, ctx.on, document.type,
                 ctx.leg.purpose) if destination is not None else None)
    days = ctx.leg.stay_days or 1
    if rule is not None and rule.max_hours is not None and (days - 1) * 24 > rule.max_hours:
        return entering  # the stay is longer than the rule covers: entry rules decide
    if rule is None:
        if not entering.status.boardable:
            entering.add(Code.NO_RULE, Status.UNKNOWN,
                         f"No transit rule covers {who(document.nationality)} in "
                         f"{ctx.code}; without a right to enter, whether they may stay airside "
                         "is unknown.")
        return entering
    passing = attempt.copy()
    hours = f" for up to {rule.max_hours} hours" if rule.max_hours else ""
    where = " airside" if rule.airside else ""
    if rule.regime == "transit_without_visa":
        passing.add(Code.TRANSIT_WITHOUT_VISA, Status.ADMISSIBLE,
                    f"{_cap(who(document.nationality))} may transit{where} through "
                    f"{ctx.code} without a visa{hours}.", rule)
    else:
        held = authorization.own_authorization(ctx, "transit_visa_required")
        if held is None and rule.held:
            held = authorization.held_match(ctx, rule.held)
        if held is not None:
            passing.add(Code.AUTHORIZATION_HELD, Status.ADMISSIBLE,
                        f"{ctx.code} requires a transit visa of "
                        f"{who(document.nationality)}; the {held.type.value.replace('_', ' ')} "
                        f"issued by {held.issuer} covers it.", rule)
        else:
            passing.add(Code.TRANSIT_VISA_REQUIRED, Status.AUTHORIZATION_REQUIRED,
                        f"{_cap(who(document.nationality))} need a transit visa to transit"
                        f"{where} through {ctx.code}.", rule)
    # On a transit leg the transit rule is the apt reason unless entering is strictly better.
    return entering if entering.status < passing.status else passing


def _cap(words: str) -> str:
    return words[0].upper() + words[1:]
