"""Step 5, stay: the intended stay against the limit of the regime that admits the traveller,
and, with a stay history, against its rolling window.

Why: an intended stay longer than the visa-free limit needs the visa that covers it
(`authorization_required`, STAY_TOO_LONG), and a history that leaves no day on the date of
arrival means refusal (`inadmissible`, STAY_LIMIT_EXCEEDED). The counting itself is
`admit.stay`'s, the same calculation `admit stay` and the API use; this step only decides which
past days count: stays in the destination, or, for a rule a shared policy sets (the Schengen
90/180), stays in every country of the policy's group while it was a member.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from admit.engine.authorization import LIMITED
from admit.engine.context import Attempt, LegContext
from admit.errors import InputError
from admit.model import Code, DocumentType, Status
from admit.rules.spec import FIRST_DAY, LAST_DAY, EntryRule
from admit.rules.tables import Rules, Selector, pick
from admit.stay import Period, Stay, StayRule, clip_to_membership, plan


def check(ctx: LegContext, attempt: Attempt) -> None:
    if not attempt.limited or attempt.max_stay_days is None:
        return
    if not _intended_stay_fits(ctx, attempt) or not ctx.history:
        return
    _history(ctx, attempt)


def _intended_stay_fits(ctx: LegContext, attempt: Attempt) -> bool:
    limit = attempt.max_stay_days
    days = ctx.leg.stay_days
    if limit is None or days is None or days <= limit:
        return True
    leg = ctx.leg
    until = leg.until.isoformat() if leg.until is not None else leg.date.isoformat()
    attempt.add(Code.STAY_TOO_LONG, Status.AUTHORIZATION_REQUIRED,
                f"The intended stay from {leg.date.isoformat()} to {until} is {days} days; "
                f"{ctx.code} allows {limit} days on these terms, so a longer stay needs a visa "
                "that covers it.", attempt.limit)
    return False


def _history(ctx: LegContext, attempt: Attempt) -> None:
    leg = ctx.leg
    rule = attempt.limit
    terms = attempt.terms
    assert attempt.max_stay_days is not None
    window = terms.window_days if terms is not None else None
    total = terms.max_stay_days if terms is not None else None
    if window is None or total is None or window <= total:
        # A limit per entry only: the history does not matter, the stay may last its days.
        attempt.latest_exit = leg.date + timedelta(days=attempt.max_stay_days - 1)
        return
    area, periods = area_of(ctx.rules, ctx.code, rule)
    arrival = leg.date
    before = [Stay(entry=s.entered, exit=min(s.left, arrival - timedelta(days=1)),
                   country=s.country)
              for s in ctx.history if s.entered < arrival]
    counted = clip_to_membership(before, periods)
    if not counted:
        # Nothing in the window: the whole single stay is there (the common case, and cheap).
        attempt.latest_exit = arrival + timedelta(days=attempt.max_stay_days - 1)
        return
    cap = terms.max_continuous_days if terms is not None else None
    try:
        first_entry = isinstance(rule, EntryRule) and rule.anchor == "first_entry"
        stay_rule = StayRule(window_days=window, max_days=total, max_continuous_days=cap,
                             anchor="first_entry" if first_entry else "rolling")
        result = plan(stay_rule, counted, arrival)
    except InputError:
        return  # rule terms the calculator cannot model: the per-stay check above stands
    if result.overstay:
        attempt.add(Code.STAY_LIMIT_EXCEEDED, Status.INADMISSIBLE,
                    f"{result.days_used} days were spent in {area} between "
                    f"{result.window_start.isoformat()} and {result.window_end.isoformat()}; "
                    f"the limit is {total} days in any {window}, so no day is left on arrival "
                    f"on {arrival.isoformat()}.", rule)
        return
    attempt.latest_exit = result.latest_exit
    if leg.until is not None and result.latest_exit is not None and leg.until > result.latest_exit:
        attempt.add(Code.STAY_TOO_LONG, Status.AUTHORIZATION_REQUIRED,
                    f"{result.days_used} days were already spent in {area} in the window before "
                    f"{arrival.isoformat()}, so the stay may last until "
                    f"{result.latest_exit.isoformat()}, not {leg.until.isoformat()}: a longer "
                    "stay needs a visa that covers it.", rule)


def area_of(rules: Rules, destination: str, rule: object
            ) -> tuple[str, dict[str, list[Period]]]:
    """Whose days count: a policy's group (as members, by date) or the destination alone."""
    ref = getattr(rule, "ref", "") or ""
    policy = rules.policies.get(ref.split("#", 1)[0])
    if policy is not None:
        members: Selector = rules.group_members.get(policy.members, {})
        periods = {code: [(None if start == FIRST_DAY else start,
                           None if end == LAST_DAY else end) for start, end in spans]
                   for code, spans in members.items()}
        return f"the {policy.members} area", periods
    return destination, {destination: [(None, None)]}


@dataclass(frozen=True, slots=True)
class StayTerms:
    """The stay rule a destination sets for a nationality on a date, ready for admit.stay."""

    rule: StayRule
    periods: dict[str, list[Period]]  # whose stays count, and while
    area: str
    ref: str
    sources: tuple[str, ...]


def stay_terms(rules: Rules, destination: str, nationality: str, on: date,
               document: DocumentType = DocumentType.PASSPORT) -> StayTerms:
    """The limit on stays in `destination` for holders of `nationality`'s `document` on `on`.

    Raises InputError (naming the field) where there is no such limit to compute: no rule file,
    no entry rule for the nationality, or a regime that sets no day limit (freedom of movement,
    a visa whose own terms govern, refusal).
    """
    compiled = rules.destinations.get(destination)
    if compiled is None:
        raise InputError("country", destination, "has no rule file in the data set")
    rule = pick(compiled.entry, nationality, on, document, None)
    if rule is None:
        raise InputError("nationality", nationality,
                         f"no entry rule of {destination} covers it on {on.isoformat()}")
    if rule.regime not in LIMITED or rule.max_stay_days is None:
        raise InputError("nationality", nationality,
                         f"{destination} applies '{rule.regime}' to it on {on.isoformat()} "
                         f"({rule.ref}): no day limit to count")
    window = rule.window_days or rule.max_stay_days
    cap = rule.max_continuous_days
    if window <= rule.max_stay_days and cap is None:
        cap = rule.max_stay_days  # a limit per entry: each stay may last that long
        window = rule.max_stay_days + 1
    stay_rule = StayRule(window_days=window, max_days=rule.max_stay_days,
                         max_continuous_days=cap,
                         anchor="first_entry" if rule.anchor == "first_entry" else "rolling")
    area, periods = area_of(rules, destination, rule)
    return StayTerms(stay_rule, periods, area, rule.ref, rule.urls)
