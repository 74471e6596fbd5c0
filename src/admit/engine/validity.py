"""Step 3, validity: expired on arrival, validity remaining, age of the document.

Why: most refusals at a border are document refusals (the story: a passport expired a week
before arrival). An expired document is refused unless an agreement such as ETS No. 25 accepts
it between the holder's state and the destination; the destination's validity rule may further
require months of validity beyond arrival or departure, or issue within N years.
"""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta

from admit.engine.context import Attempt, LegContext, label, who
from admit.engine.documents import own_issuer
from admit.model import Code, Document, Status
from admit.rules.tables import Agreement, pick


def check(ctx: LegContext, document: Document, attempt: Attempt) -> None:
    arrival = ctx.leg.date
    destination = ctx.destination
    rule = (pick(destination.validity, document.nationality, ctx.on, document.type,
                 ctx.leg.purpose) if destination is not None else None)
    what = label(document)
    expires = document.expires
    if expires is None:
        attempt.add(Code.DOCUMENT_DATE_UNKNOWN, Status.UNKNOWN,
                    f"No expiry date was given for the {what}, so its validity on "
                    f"{arrival.isoformat()} could not be checked.", rule)
    elif expires < arrival:
        agreement = _accepting(ctx, document, expires)
        if agreement is None:
            attempt.add(Code.DOCUMENT_EXPIRED, Status.INADMISSIBLE,
                        f"The {what} expired on {expires.isoformat()}, before arrival on "
                        f"{arrival.isoformat()}.", rule)
        else:
            spec = agreement.spec
            attempt.add(Code.EXPIRED_DOCUMENT_ACCEPTED, Status.ADMISSIBLE,
                        f"The {what} expired on {expires.isoformat()}, but {spec.id} accepts "
                        f"{what}s of {who(document.nationality)} expired up to "
                        f"{spec.expired_up_to_years} years on entry to {ctx.code}.",
                        ref=spec.ref, sources=tuple(s.url for s in spec.sources))
        return  # an expired document has no remaining validity left to measure
    if rule is None:
        return
    if expires is not None and (rule.min_months or rule.min_days or rule.duration_of_stay):
        until = ctx.leg.until
        base, beyond = arrival, "arrival"
        if rule.beyond == "departure" or rule.duration_of_stay:
            if until is not None:
                base, beyond = until, "departure"
            else:
                beyond = "arrival (no departure date was given)"
        needed = base + relativedelta(months=rule.min_months, days=rule.min_days)
        if expires < needed:
            span = (f"{rule.min_months} months" if rule.min_months else f"{rule.min_days} days")
            demand = ("for the whole stay" if not (rule.min_months or rule.min_days)
                      else f"for {span} beyond {beyond}")
            attempt.add(Code.VALIDITY_TOO_SHORT, Status.INADMISSIBLE,
                        f"The {what} expires on {expires.isoformat()}; {ctx.code} requires it "
                        f"to be valid {demand}, that is until at least {needed.isoformat()}.",
                        rule)
    years = rule.issued_within_years
    if years is not None:
        issued = document.issued
        if issued is None:
            attempt.add(Code.DOCUMENT_DATE_UNKNOWN, Status.UNKNOWN,
                        f"No issue date was given for the {what}; {ctx.code} requires it to "
                        f"have been issued within {years} years before arrival.", rule)
        elif issued < arrival - relativedelta(years=years):
            attempt.add(Code.DOCUMENT_TOO_OLD, Status.INADMISSIBLE,
                        f"The {what} was issued on {issued.isoformat()}; {ctx.code} requires "
                        f"it to have been issued within {years} years before arrival on "
                        f"{arrival.isoformat()}.", rule)


def _accepting(ctx: LegContext, document: Document, expires: date) -> Agreement | None:
    """An expired-documents agreement (ETS No. 25 and the like) that accepts this document."""
    rules = ctx.rules
    on = ctx.on
    for agreement in rules.expired_documents:
        spec = agreement.spec
        if (document.type in spec.documents and own_issuer(document)
                and agreement.binds(document.nationality, ctx.code, on)
                and (spec.issuers is None
                     or any(rules.names(t, document.issuer, on) for t in spec.issuers))
                and ctx.leg.date <= expires + relativedelta(years=spec.expired_up_to_years or 0)):
            return agreement
    return None
