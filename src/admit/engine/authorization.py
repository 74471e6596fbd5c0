"""Step 4, authorization: the visa regime for this nationality and document on that date,
and what the traveller already holds that satisfies or lifts it.

Why: the regime decides most outcomes (visa-free, on arrival, eVisa, ETA, visa, not admitted).
A requirement is met by an authorization issued for the destination itself (or by a member of
a common-visa area it belongs to, e.g. a Schengen visa), or lifted by an exemption rule (a valid
US visa, a residence permit, …) valid on the arrival date.
"""

from __future__ import annotations

from datetime import timedelta

from admit.engine.context import Attempt, LegContext, Terms, a, label, who
from admit.model import Authorization, AuthorizationType, Code, Document, Status
from admit.rules.spec import ExemptionRule, Held, Rule
from admit.rules.tables import pick, pick_all, selects

REGIME: dict[str, tuple[Code, Status]] = {
    "freedom_of_movement": (Code.FREEDOM_OF_MOVEMENT, Status.ADMISSIBLE),
    "visa_free": (Code.VISA_FREE, Status.ADMISSIBLE),
    "visa_on_arrival": (Code.VISA_ON_ARRIVAL, Status.ADMISSIBLE_ON_ARRIVAL),
    "evisa": (Code.EVISA_REQUIRED, Status.AUTHORIZATION_REQUIRED),
    "eta": (Code.ETA_REQUIRED, Status.AUTHORIZATION_REQUIRED),
    "visa_required": (Code.VISA_REQUIRED, Status.AUTHORIZATION_REQUIRED),
    "not_admitted": (Code.NOT_ADMITTED, Status.INADMISSIBLE),
}
# The regimes whose max_stay_days bounds a stay.
LIMITED = frozenset({"visa_free", "visa_on_arrival", "evisa", "eta"})
_A = AuthorizationType
# What satisfies each requirement when issued for the destination (or its common-visa area).
SATISFIES: dict[str, frozenset[AuthorizationType]] = {
    "visa_required": frozenset({_A.VISA, _A.RESIDENCE_PERMIT}),
    "evisa": frozenset({_A.EVISA, _A.VISA, _A.RESIDENCE_PERMIT}),
    "eta": frozenset({_A.ETA, _A.EVISA, _A.VISA, _A.RESIDENCE_PERMIT}),
    "transit_visa_required": frozenset({_A.TRANSIT_VISA, _A.VISA, _A.RESIDENCE_PERMIT}),
}
_KIND = {_A.ETA: "ETA", _A.EVISA: "eVisa"}
_INSTEAD = {"freedom_of_movement": "freedom of movement applies", "visa_free": "entry without a "
            "visa applies", "visa_on_arrival": "a visa on arrival applies", "evisa": "an eVisa is "
            "needed", "eta": "an ETA is needed", "visa_required": "a visa is needed",
            "not_admitted": "entry is refused"}
_WORDS = {"visa_required": "a visa", "evisa": "an eVisa", "eta": "an electronic travel "
          "authorization (ETA)", "transit_visa_required": "a transit visa"}


def check(ctx: LegContext, document: Document, attempt: Attempt) -> None:
    destination = ctx.destination
    nationality = document.nationality
    rule = (pick(destination.entry, nationality, ctx.on, document.type, ctx.leg.purpose)
            if destination is not None else None)
    if rule is None:
        where = "" if destination is not None else f" ({ctx.code} has no rule file)"
        attempt.add(Code.NO_RULE, Status.UNKNOWN,
                    f"No entry rule covers {who(nationality)} holding {a(label(document))} "
                    f"for {ctx.code} on {ctx.on.isoformat()}{where}.")
        return
    _apply(ctx, nationality, attempt, rule.regime, rule, Terms(
        rule.max_stay_days, rule.window_days, rule.max_continuous_days), exemptions=True)


def _apply(ctx: LegContext, nationality: str, attempt: Attempt, regime: str, rule: Rule,
           terms: Terms, *, exemptions: bool) -> None:
    attempt.max_stay_days = terms.single_stay
    attempt.terms = terms
    attempt.limit = rule
    attempt.limited = regime in LIMITED and terms.single_stay is not None
    if regime in SATISFIES:
        held = own_authorization(ctx, regime)
        if held is not None:
            if held.type.value != regime:
                # A visa or permit carries its own terms; an ETA or eVisa only lets the regime's
                # terms apply.
                attempt.max_stay_days, attempt.limit, attempt.limited = None, None, False
            attempt.add(Code.AUTHORIZATION_HELD, Status.ADMISSIBLE,
                        f"{ctx.code} requires {_WORDS[regime]} of {who(nationality)}; "
                        f"the {_held_words(held)} covers it.", rule)
            return
        exemption = exempting(ctx, nationality) if exemptions else None
        if exemption is not None:
            granted, authorization = exemption
            attempt.add(Code.AUTHORIZATION_HELD, Status.ADMISSIBLE,
                        f"{ctx.code} requires {_WORDS[regime]} of {who(nationality)}, but the "
                        f"{_held_words(authorization)} lifts the requirement: "
                        f"{_INSTEAD[granted.grant_regime]} instead.", granted)
            _apply(ctx, nationality, attempt, granted.grant_regime, granted,
                   Terms(granted.grant_max_stay_days), exemptions=False)
            return
    code, status = REGIME[regime]
    attempt.add(code, status, _regime_message(ctx, nationality, regime, terms), rule)


def own_authorization(ctx: LegContext, requirement: str) -> Authorization | None:
    """An authorization issued for this destination (or its common-visa area) that meets the
    requirement and is valid on the arrival date."""
    destination = ctx.destination
    if destination is None:
        return None
    kinds = SATISFIES[requirement]
    arrival = ctx.leg.date
    for authorization in ctx.traveller.authorizations:
        if (authorization.type in kinds and authorization.valid_on(arrival)
                and selects(destination.common_area, authorization.issuer, ctx.on)):
            return authorization
    return None


def exempting(ctx: LegContext, nationality: str) -> tuple[ExemptionRule, Authorization] | None:
    destination = ctx.destination
    if destination is None or not ctx.traveller.authorizations:
        return None
    for rule in pick_all(destination.exemptions, nationality, ctx.on):
        found = held_match(ctx, rule.held, rule.min_remaining_days)
        if found is not None:
            return rule, found
    return None


def held_match(ctx: LegContext, held: tuple[Held, ...], min_remaining_days: int = 0
               ) -> Authorization | None:
    arrival = ctx.leg.date
    last_needed = arrival + timedelta(days=min_remaining_days)
    for authorization in ctx.traveller.authorizations:
        if not authorization.valid_on(arrival) or (
                authorization.expires is not None and authorization.expires < last_needed):
            continue
        for item in held:
            if item.type == authorization.type and ctx.rules.names(
                    item.issuer, authorization.issuer, ctx.on):
                return authorization
    return None


def _held_words(authorization: Authorization) -> str:
    kind = _KIND.get(authorization.type) or authorization.type.value.replace("_", " ")
    until = (f" valid until {authorization.expires.isoformat()}"
             if authorization.expires is not None else "")
    return f"{kind} issued by {authorization.issuer}{until}"


def _regime_message(ctx: LegContext, nationality: str, regime: str, terms: Terms) -> str:
    holders = who(nationality)
    holders = holders[0].upper() + holders[1:]
    limit = terms.words()
    if regime == "freedom_of_movement":
        return f"{holders} enjoy freedom of movement in {ctx.code}."
    if regime == "visa_free":
        return f"{holders} may stay in {ctx.code} without a visa{limit}."
    if regime == "visa_on_arrival":
        return f"{holders} obtain a visa on arrival in {ctx.code}{limit}."
    if regime == "not_admitted":
        return f"{ctx.code} does not admit {who(nationality)}."
    return f"{holders} need {_WORDS[regime]} before travelling to {ctx.code}{limit}."
