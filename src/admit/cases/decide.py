"""The guards of each action and the data its event records.

Why: the state table (`admit.cases.machine`) says which actions a state allows; whether a
given action may go ahead also depends on what the case holds. Above all, non-refoulement:
while a protection claim is pending no removal may be approved or carried out
(NON_REFOULEMENT_HOLD), and on an open case that guard is checked before anything else, so
the reason a removal is refused is the one that protects the person. The event data produced here is
complete: replaying it (`admit.cases.fold`) needs neither the rules nor the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from admit.cases import commands as c
from admit.cases import removal
from admit.cases.domain import Case, DeferralStatus, Role
from admit.cases.errors import TransitionRefused
from admit.cases.machine import Action, check_state
from admit.errors import InputError
from admit.rules import Rules

ART_33 = "1951 Refugee Convention, art. 33"


@dataclass(frozen=True, slots=True)
class Context:
    actor: str
    role: Role
    now: datetime
    rules: Rules


def prepare(case: Case, act: Action, payload: c.Payload, ctx: Context) -> dict[str, Any]:
    """Check the action against the case; return the data its event will carry."""
    if act.name in ("approve_removal", "remove") and case.state.is_open:
        _hold(case)
    check_state(case, act)
    data = c.to_json(payload)
    match payload:
        case c.ProposeRemoval():
            if payload.date < case.refusal.arrival.date:
                raise InputError("date", payload.date.isoformat(),
                                 "the removal date is before the arrival")
            snapshot = removal.evaluation(case, payload.destination, payload.date, ctx.rules)
            data["evaluation"] = snapshot.model_dump(mode="json")
        case c.NotifyCarrier():
            if payload.deadline < payload.notified_at:
                raise InputError("deadline", payload.deadline.isoformat(),
                                 "the removal deadline is before the notification")
            data["carrier"] = payload.carrier or case.refusal.arrival.carrier
        case c.DecideDeferral():
            _decide_deferral(case, payload)
            if not payload.granted:
                data["new_date"] = None
        case c.AssessClaim():
            claim = next((x for x in case.claims if x.number == payload.claim), None)
            if claim is None:
                raise TransitionRefused(f"case {case.id} has no protection claim "
                                        f"#{payload.claim}", "CLAIM_NOT_FOUND")
            if claim.status.value != "pending":
                raise TransitionRefused(f"protection claim #{claim.number} was already "
                                        f"assessed ({claim.status.value})",
                                        "CLAIM_ALREADY_ASSESSED")
        case c.Remove():
            _remove(case, payload)
        case c.Withdraw() if case.on_hold:
            raise TransitionRefused(
                f"protection claim #{case.pending_claims[0].number} is undecided: record "
                "its withdrawal (assess_claim) before the application for entry",
                "CLAIM_PENDING")
        case c.Transfer() if not case.on_hold:
            raise TransitionRefused(f"case {case.id} has no pending or referred protection "
                                    "claim to transfer", "NO_PROTECTION_CLAIM")
    return data


def _hold(case: Case) -> None:
    if case.on_hold:
        claim = case.pending_claims[0]
        raise TransitionRefused(
            f"protection claim #{claim.number} (feared country {claim.feared_country}) is "
            f"undecided ({claim.status.value}): no removal may be approved or carried out "
            f"until it is decided ({ART_33})", "NON_REFOULEMENT_HOLD")


def _decide_deferral(case: Case, payload: c.DecideDeferral) -> None:
    deferral = next((d for d in case.deferrals if d.number == payload.deferral), None)
    if deferral is None:
        raise TransitionRefused(f"case {case.id} has no deferral request #{payload.deferral}",
                                "DEFERRAL_NOT_FOUND")
    if deferral.status is not DeferralStatus.PENDING:
        raise TransitionRefused(f"deferral request #{deferral.number} was already decided "
                                f"({deferral.status.value})", "DEFERRAL_ALREADY_DECIDED")
    if payload.granted and payload.new_date is None:
        raise InputError("new_date", None, "a granted deferral needs the new removal date")
    if payload.granted and payload.new_date is not None and \
            payload.new_date < case.refusal.arrival.date:
        raise InputError("new_date", payload.new_date.isoformat(), "before the arrival")


def _remove(case: Case, payload: c.Remove) -> None:
    plan = case.removal
    assert plan is not None  # removal_approved always has a plan
    pending = [d.number for d in case.deferrals if d.status is DeferralStatus.PENDING]
    if pending:
        raise TransitionRefused(f"deferral request #{pending[0]} is undecided",
                                "DEFERRAL_PENDING")
    until = case.granted_until
    if until is not None and payload.removed_at.date() < until:
        raise TransitionRefused(f"removal is deferred until {until.isoformat()}",
                                "DEFERRAL_IN_EFFECT")
    if payload.destination != plan.destination:
        raise TransitionRefused(f"the approved removal is to {plan.destination}, not "
                                f"{payload.destination}: propose and approve it first",
                                "DESTINATION_NOT_APPROVED")
    if payload.removed_at < case.refusal.arrival.time:
        raise InputError("removed_at", payload.removed_at.isoformat(), "before the arrival")
