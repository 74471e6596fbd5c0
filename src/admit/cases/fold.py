"""A case is the fold of its events: `apply(case, event)` gives the case after one more.

Why: the audit trail is the record (append-only, hash-chained); the case is derived from it,
never edited beside it. Reading a case replays its events, and `admit cases verify` replays
every case to prove the stored state columns agree with the trail. `apply` is pure: it needs
neither the clock nor the rules, because each event carries everything it decided.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from admit.cases.domain import (
    CarrierNotice,
    Case,
    Claim,
    ClaimStatus,
    Deferral,
    DeferralStatus,
    Note,
    Outcome,
    Refusal,
    RemovalPlan,
    Role,
    State,
)
from admit.cases.errors import StoreError
from admit.cases.machine import ACTIONS


@dataclass(frozen=True, slots=True)
class Event:
    """One change: what happened (`kind`, an action name), who did it in which role, when
    it was recorded, and its data. `version` is the case's version after it."""

    case_id: int
    version: int
    kind: str
    actor: str
    role: Role
    at: datetime
    data: dict[str, Any] = field(repr=False)  # personal: names, documents, free text


def replay(events: list[Event]) -> Case:
    case: Case | None = None
    for event in events:
        case = apply(case, event)
    if case is None:
        raise StoreError("a case without events")
    return case


def apply(case: Case | None, event: Event) -> Case:
    if event.kind == "open":
        refusal = Refusal.model_validate(event.data)
        return Case(id=event.case_id, version=event.version, state=State.REFUSED,
                    opened_at=event.at, opened_by=event.actor, refusal=refusal)
    if case is None or event.kind not in ACTIONS:
        raise StoreError(f"event {event.kind!r} cannot apply to case {event.case_id}")
    update = _changes(case, event, event.data)
    target = ACTIONS[event.kind].target
    update["version"] = event.version
    if target is not None:
        update["state"] = target
    return case.model_copy(update=update)


def _changes(case: Case, event: Event, d: dict[str, Any]) -> dict[str, Any]:
    by, at = event.actor, event.at
    match event.kind:
        case "propose_removal":
            return {"removal": RemovalPlan.model_validate(
                {**d, "proposed_by": by, "proposed_at": at})}
        case "approve_removal":
            assert case.removal is not None
            return {"removal": case.removal.model_copy(
                update={"approved_by": by, "approved_at": at})}
        case "notify_carrier":
            notice = CarrierNotice.model_validate({**d, "recorded_by": by})
            return {"notices": (*case.notices, notice)}
        case "request_deferral":
            deferral = Deferral.model_validate({**d, "number": len(case.deferrals) + 1})
            return {"deferrals": (*case.deferrals, deferral)}
        case "decide_deferral":
            status = DeferralStatus.GRANTED if d["granted"] else DeferralStatus.REFUSED
            decided = {"status": status, "decided_by": by, "decided_at": at,
                       "new_date": _date(d.get("new_date")),
                       "decision_reason": d.get("reason", "")}
            return {"deferrals": tuple(x.model_copy(update=decided)
                                       if x.number == d["deferral"] else x
                                       for x in case.deferrals)}
        case "lodge_claim":
            claim = Claim.model_validate({**d, "number": len(case.claims) + 1,
                                          "recorded_by": by})
            return {"claims": (*case.claims, claim)}
        case "assess_claim":
            assessed = {"status": ClaimStatus(d["outcome"]), "assessment": d["assessment"],
                        "assessed_by": by, "assessed_at": at}
            return {"claims": tuple(x.model_copy(update=assessed) if x.number == d["claim"]
                                    else x for x in case.claims)}
        case "remove":
            return {"outcome": Outcome.model_validate(
                {"state": "removed", "at": d["removed_at"], "recorded_by": by,
                 "destination": d["destination"], "how": d["how"]})}
        case "admit" | "withdraw":
            return {"outcome": Outcome.model_validate(
                {"state": ACTIONS[event.kind].target, "at": d["at"], "recorded_by": by,
                 "reason": d["reason"]})}
        case "transfer":
            return {"outcome": Outcome.model_validate(
                {"state": "transferred", "at": d["at"], "recorded_by": by,
                 "how": d["authority"], "reason": d.get("reason", "")})}
        case "close":
            return {"closed_at": at, "closed_by": by, "close_reason": d.get("reason", "")}
        case "note":
            return {"notes": (*case.notes, Note(at=at, by=by, text=d["text"]))}
    raise StoreError(f"no way to apply event {event.kind!r}")


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
