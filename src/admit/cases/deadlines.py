"""Every open case's next deadline: what must be done, by when.

Why: a refused person waits at the border; what is late there is measured in hours. Each open
case therefore shows the earliest of its running deadlines, `admit cases due` lists those due
or overdue, and the web list sorts by it. The deadlines, in the order they arise:

- notify the carrier: ICAO Annex 9 (Chapter 5, "Inadmissible persons") has the refusing state
  notify the aircraft operator without delay, so this is due from the moment of arrival until
  a notice is recorded;
- removal: the deadline agreed with the carrier, moved to the new date of a granted deferral
  (a deferral postpones removal to a fixed date); suspended while a protection claim is
  pending, because removal is then forbidden;
- a deferral request awaiting decision: due by the removal deadline it would move;
- a protection claim awaiting assessment: by the date recorded when it was lodged;
- a claim referred to the asylum procedure: the transfer, due from the referral.

A date without a time (a deferral's new date) counts from the start of that day, UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from admit.cases.domain import Case, ClaimStatus, DeferralStatus


@dataclass(frozen=True, slots=True, order=True)
class Deadline:
    due: datetime
    kind: str
    label: str

    def overdue(self, now: datetime) -> bool:
        return self.due < now


def start_of(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def running(case: Case) -> list[Deadline]:
    """Every deadline that runs now, earliest first (empty once the case is decided)."""
    if not case.state.is_open:
        return []
    found: list[Deadline] = []
    if not case.notices:
        found.append(Deadline(case.refusal.arrival.time, "notify_carrier",
                              "Notify the carrier (without delay, ICAO Annex 9 ch. 5)"))
    removal = removal_deadline(case)
    if removal is not None and not case.on_hold:
        found.append(Deadline(removal, "removal", "Carry out the removal"))
    for deferral in case.deferrals:
        if deferral.status is DeferralStatus.PENDING and removal is not None:
            found.append(Deadline(removal, "decide_deferral",
                                  f"Decide deferral request #{deferral.number}"))
    for claim in case.claims:
        if claim.status is ClaimStatus.PENDING:
            found.append(Deadline(claim.decide_by, "assess_claim",
                                  f"Assess protection claim #{claim.number}"))
        elif claim.status is ClaimStatus.REFERRED and claim.assessed_at is not None:
            found.append(Deadline(claim.assessed_at, "transfer",
                                  f"Transfer to the asylum procedure (claim #{claim.number})"))
    return sorted(found)


def next_deadline(case: Case) -> Deadline | None:
    found = running(case)
    return found[0] if found else None


def removal_deadline(case: Case) -> datetime | None:
    """The carrier's latest deadline, or a granted deferral's new date when that is later."""
    base = case.notices[-1].deadline if case.notices else None
    until = case.granted_until
    deferred = start_of(until) if until is not None else None
    if base is None:
        return deferred
    if deferred is None:
        return base
    return max(base, deferred)
