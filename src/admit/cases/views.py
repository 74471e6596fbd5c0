"""The JSON a case is shown as: one shape for the API, the CLI's --json and the web pages.

Why: datasette's lesson — every page has a JSON twin — holds only if the pages and the API
render the same data. A case view is the case itself plus what is derived from it at read
time: its running deadlines, the non-refoulement hold, the removal alternatives judged by the
engine with their onward-removal risks, the actions the reader's role may take, and one page
of the timeline of events (a long case's whole timeline would be megabytes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from admit.cases import removal
from admit.cases.deadlines import Deadline, running
from admit.cases.domain import Case, Role, State
from admit.cases.fold import Event
from admit.cases.machine import ACTIONS, available
from admit.rules import Rules

DEADLINE_LABELS = {
    "notify_carrier": "Notify the carrier",
    "removal": "Carry out the removal",
    "decide_deferral": "Decide a deferral request",
    "assess_claim": "Assess a protection claim",
    "transfer": "Transfer to the asylum procedure",
}


def deadline_json(deadline: Deadline | None, now: datetime) -> dict[str, Any] | None:
    if deadline is None:
        return None
    return {"due": deadline.due.isoformat(), "kind": deadline.kind, "label": deadline.label,
            "overdue": deadline.overdue(now)}


def event_json(seq: int, event: Event) -> dict[str, Any]:
    act = ACTIONS.get(event.kind)
    return {"seq": seq, "version": event.version, "kind": event.kind,
            "title": act.title if act else event.kind, "actor": event.actor,
            "role": event.role.value, "recorded_at": event.at.isoformat(),
            "data": event.data}


def page_json(offset: int, limit: int, total: int) -> dict[str, int]:
    """Where a page of events lies: after the first `offset`, at most `limit`, of `total`."""
    return {"offset": offset, "limit": limit, "total": total}


def case_json(case: Case, role: Role, rules: Rules, now: datetime,
              timeline: list[tuple[int, Event]], extra: tuple[str, ...] = (),
              page: tuple[int, int, int] | None = None) -> dict[str, Any]:
    body = case.model_dump(mode="json")
    deadlines = running(case)
    hold = None
    if case.on_hold:
        hold = {"code": "NON_REFOULEMENT_HOLD",
                "claims": [c.number for c in case.pending_claims],
                "message": "A protection claim is undecided: no removal may be approved or "
                           "carried out (1951 Refugee Convention, art. 33)."}
    body.update({
        "open": case.state.is_open,
        "next_deadline": deadline_json(deadlines[0] if deadlines else None, now),
        "deadlines": [deadline_json(d, now) for d in deadlines],
        "hold": hold,
        "alternatives": [a.to_json() for a in removal.alternatives(case, rules, extra)]
        if case.state is not State.CLOSED else [],
        "data_version": rules.data_version,
        "actions": [a.name for a in available(case, role)],
        "timeline": [event_json(seq, event) for seq, event in timeline],
        "timeline_page": page_json(*page) if page is not None
        else page_json(0, len(timeline), len(timeline)),
    })
    return body


@dataclass(frozen=True, slots=True)
class Summary:
    """A case in a list: enough to find it and see what is due, nothing more."""

    id: int
    version: int
    state: str
    country: str
    opened_at: datetime
    updated_at: datetime
    next_deadline: datetime | None
    deadline_kind: str | None
    surname: str
    given_names: str
    nationalities: tuple[str, ...]

    def overdue(self, now: datetime) -> bool:
        return self.next_deadline is not None and self.next_deadline < now

    def to_json(self, now: datetime) -> dict[str, Any]:
        deadline = None
        if self.next_deadline is not None and self.deadline_kind is not None:
            deadline = {"due": self.next_deadline.isoformat(), "kind": self.deadline_kind,
                        "label": DEADLINE_LABELS.get(self.deadline_kind, self.deadline_kind),
                        "overdue": self.overdue(now)}
        return {"id": self.id, "version": self.version, "state": self.state,
                "country": self.country, "opened_at": self.opened_at.isoformat(),
                "updated_at": self.updated_at.isoformat(),
                "person": {"surname": self.surname, "given_names": self.given_names,
                           "nationalities": list(self.nationalities)},
                "next_deadline": deadline}
