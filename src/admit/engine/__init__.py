"""The rules engine: `check(trip) -> Decision`.

Why: this is the one place that answers docs/design.md's question for every interface. For each leg
it runs the six steps in order — national, documents, validity, authorization, stay, transit —
once per document the traveller holds, keeps the best outcome, and explains it with findings
that cite their rules and sources. It never reads the clock: the rules applied are those of
each leg's date unless the caller fixes `on`.
"""

from __future__ import annotations

from datetime import date

from admit import __version__
from admit.engine import authorization, documents, national, stay, transit, validity
from admit.engine.context import Attempt, LegContext
from admit.model import Code, Decision, Document, Leg, LegDecision, Status, Stay, Trip
from admit.rules import Rules, load_rules

ENGINE_VERSION = __version__


def check(trip: Trip, rules: Rules | None = None, on: date | None = None) -> Decision:
    """Decide a trip. `rules` defaults to the embedded data set; `on` fixes the date whose
    rules apply (default: each leg's own date). Never raises for a parsed trip."""
    active = rules if rules is not None else load_rules()
    legs = tuple(check_leg(trip, leg, active, on, _history(trip, index))
                 for index, leg in enumerate(trip.itinerary))
    status = max(leg.status for leg in legs)
    return Decision(status=status, board=all(leg.status.boardable for leg in legs), legs=legs,
                    data_version=active.data_version, engine_version=ENGINE_VERSION, as_of=on)


def check_leg(trip: Trip, leg: Leg, rules: Rules, on: date | None = None,
              history: tuple[Stay, ...] = ()) -> LegDecision:
    ctx = LegContext(leg=leg, traveller=trip.traveller, rules=rules,
                     destination=rules.destinations.get(leg.to),
                     on=on if on is not None else leg.date, history=history)
    best = national.check(ctx)
    if best is None:
        attempts = [_attempt(ctx, document) for document in trip.traveller.documents]
        best = min(attempts, key=Attempt.rank) if attempts else _no_document(ctx)
    return LegDecision(country=leg.to, date=leg.date, role=leg.role, status=best.status,
                       document=best.document, max_stay_days=best.max_stay_days,
                       findings=tuple(best.findings), latest_exit=best.latest_exit)


def _history(trip: Trip, index: int) -> tuple[Stay, ...]:
    """The stays that count before leg `index`: the traveller's, plus the trip's earlier
    non-transit legs with an intended departure (a trip that returns counts its first visit).
    Empty when the traveller gave no history and no earlier leg has dates."""
    earlier = tuple(Stay(country=leg.to, entered=leg.date, left=leg.until)
                    for leg in trip.itinerary[:index] if not leg.transit and leg.until is not None)
    return trip.traveller.stays + earlier


def _attempt(ctx: LegContext, document: Document) -> Attempt:
    attempt = Attempt(document)
    if not documents.check(ctx, document, attempt):
        return attempt
    validity.check(ctx, document, attempt)
    if ctx.leg.transit:
        return transit.check(ctx, document, attempt)
    authorization.check(ctx, document, attempt)
    stay.check(ctx, attempt)
    return attempt


def _no_document(ctx: LegContext) -> Attempt:
    attempt = Attempt(None)
    attempt.add(Code.DOCUMENT_NOT_ACCEPTED, Status.INADMISSIBLE,
                f"No travel document was given; {ctx.code} admits no one without one.")
    return attempt


__all__ = ["ENGINE_VERSION", "check", "check_leg"]
