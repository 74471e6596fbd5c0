"""Helpers for the case tests: a valid input for every action, and a path to every state."""

from __future__ import annotations

from typing import Any

from admit.cases import Case, CaseService, State
from tests.cases.conftest import OFFICER, SUPERVISOR, at, refusal

# A valid input for each action on a case in the fixture world (see conftest.refusal).
PAYLOADS: dict[str, dict[str, Any]] = {
    "propose_removal": {"destination": "UTO", "date": "2024-05-11", "method": "carrier"},
    "approve_removal": {},
    "notify_carrier": {"notified_at": at(1), "deadline": at(30), "removal_flight": "TA 2"},
    "request_deferral": {"requested_by": "the person", "requested_at": at(2),
                         "reason": "a written request", "until": "2024-05-14"},
    "decide_deferral": {"deferral": 1, "granted": True, "new_date": "2024-05-14"},
    "lodge_claim": {"lodged_at": at(3), "lodged_with": "Border Guard", "feared_country": "ZZC",
                    "decide_by": at(72)},
    "assess_claim": {"claim": 1, "outcome": "rejected", "assessment": "not substantiated"},
    "remove": {"removed_at": at(28), "destination": "UTO", "how": "TA 2, unescorted"},
    "admit": {"at": at(5), "reason": "the grounds were reviewed"},
    "withdraw": {"at": at(5), "reason": "left on the next flight of their own accord"},
    "transfer": {"at": at(5), "authority": "Asylum Office"},
    "close": {"reason": "done"},
    "note": {"text": "called the consulate"},
}

# What must have happened before an action has something to act on.
PREREQUISITES: dict[str, tuple[str, ...]] = {
    "decide_deferral": ("request_deferral",),
    "assess_claim": ("lodge_claim",),
    "transfer": ("lodge_claim",),
}

# The shortest path of actions to each state from a freshly opened case.
PATHS: dict[State, tuple[str, ...]] = {
    State.REFUSED: (),
    State.REMOVAL_PROPOSED: ("propose_removal",),
    State.REMOVAL_APPROVED: ("propose_removal", "approve_removal"),
    State.ADMITTED: ("admit",),
    State.REMOVED: ("propose_removal", "approve_removal", "remove"),
    State.TRANSFERRED: ("lodge_claim", "transfer"),
    State.WITHDRAWN: ("withdraw",),
    State.CLOSED: ("admit", "close"),
}


def do(service: CaseService, case: Case, action: str, **changes: Any) -> Case:
    """Take `action` as a supervisor (who may take every action) on the version seen."""
    return service.act(SUPERVISOR, case.id, action, {**PAYLOADS[action], **changes},
                       case.version)


def reach(service: CaseService, state: State) -> Case:
    case = service.open(OFFICER, refusal())
    for action in PATHS[state]:
        case = do(service, case, action)
    assert case.state is state
    return case
