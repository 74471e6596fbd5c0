"""The case state machine: every action, who may take it, from which states, to which state.

Why: a case's states and transitions must be an explicit machine, so that an invalid
transition is refused with a clear error. This table is that machine: the docs' diagram
(docs/cases.md), the web page's forms and the permission checks are all read from it, so they
cannot drift apart. Guards that depend on the case's contents (the non-refoulement hold, a
deferral in effect) live in `admit.cases.decide`; this module only knows states and roles.
"""

from __future__ import annotations

from dataclasses import dataclass

from admit.cases import commands as c
from admit.cases.domain import OPEN_STATES, OUTCOME_STATES, Case, Role, State
from admit.cases.errors import Forbidden, TransitionRefused

OFFICERS = frozenset({Role.OFFICER, Role.SUPERVISOR})  # a supervisor may also record
SUPERVISORS = frozenset({Role.SUPERVISOR})
NOT_CLOSED = frozenset(State) - {State.CLOSED}


@dataclass(frozen=True, slots=True)
class Action:
    name: str
    title: str
    payload: type[c.Payload]
    roles: frozenset[Role]
    sources: frozenset[State]  # the states it may be taken from (empty: opens a case)
    target: State | None  # None: the state does not change


ACTIONS: dict[str, Action] = {a.name: a for a in (
    Action("open", "Open a case from a refusal", c.OpenCase, OFFICERS, frozenset(),
           State.REFUSED),
    Action("propose_removal", "Propose removal", c.ProposeRemoval, OFFICERS, OPEN_STATES,
           State.REMOVAL_PROPOSED),
    Action("approve_removal", "Approve removal", c.ApproveRemoval, SUPERVISORS,
           frozenset({State.REMOVAL_PROPOSED}), State.REMOVAL_APPROVED),
    Action("notify_carrier", "Notify the carrier", c.NotifyCarrier, OFFICERS, OPEN_STATES,
           None),
    Action("request_deferral", "Record a deferral request", c.RequestDeferral, OFFICERS,
           OPEN_STATES, None),
    Action("decide_deferral", "Decide a deferral request", c.DecideDeferral, SUPERVISORS,
           OPEN_STATES, None),
    Action("lodge_claim", "Record a protection claim", c.LodgeClaim, OFFICERS, OPEN_STATES,
           None),
    Action("assess_claim", "Assess a protection claim", c.AssessClaim, SUPERVISORS,
           OPEN_STATES, None),
    Action("remove", "Record the removal", c.Remove, OFFICERS,
           frozenset({State.REMOVAL_APPROVED}), State.REMOVED),
    Action("admit", "Admit the person", c.Admit, SUPERVISORS, OPEN_STATES, State.ADMITTED),
    Action("withdraw", "Record withdrawal of the application for entry", c.Withdraw,
           OFFICERS, OPEN_STATES, State.WITHDRAWN),
    Action("transfer", "Transfer to the asylum procedure", c.Transfer, SUPERVISORS,
           OPEN_STATES, State.TRANSFERRED),
    Action("close", "Close the case", c.Close, SUPERVISORS, OUTCOME_STATES, State.CLOSED),
    Action("note", "Add a note", c.AddNote, OFFICERS, NOT_CLOSED, None),
)}


def action(name: str) -> Action:
    found = ACTIONS.get(name)
    if found is None or name == "open":
        known = ", ".join(n for n in ACTIONS if n != "open")
        raise TransitionRefused(f"no action {name!r}; actions: {known}", "UNKNOWN_ACTION")
    return found


def authorize(act: Action, role: Role) -> None:
    if role not in act.roles:
        needed = " or ".join(sorted(r.value for r in act.roles))
        raise Forbidden(f"the {role.value} role may not {act.name.replace('_', ' ')}; "
                        f"it needs the {needed} role")


def check_state(case: Case, act: Action) -> None:
    if case.state not in act.sources:
        allowed = ", ".join(sorted(s.value for s in act.sources))
        raise TransitionRefused(
            f"case {case.id} is {case.state.value}: {act.name} is allowed only from "
            f"{allowed}")


def available(case: Case, role: Role) -> list[Action]:
    """The actions this role may take on this case now, as far as states and roles go (the
    guards may still refuse one, with their reason)."""
    return [a for a in ACTIONS.values()
            if a.name != "open" and case.state in a.sources and role in a.roles]


def mermaid() -> str:
    """The state diagram in Mermaid, generated from the table (docs/cases.md embeds it; a
    test keeps the two equal)."""
    lines = ["stateDiagram-v2", f"    [*] --> {State.REFUSED.value}: open"]
    for act in ACTIONS.values():
        if act.target is None or act.name == "open":
            continue
        for source in sorted(act.sources, key=list(State).index):
            lines.append(f"    {source.value} --> {act.target.value}: {act.name}")
    lines.append(f"    {State.CLOSED.value} --> [*]")
    return "\n".join(lines)
