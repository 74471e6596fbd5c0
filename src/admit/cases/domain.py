"""The inadmissible-person case as data: its states, the roles that act on it, and its parts.

Why: a case is rebuilt from its events (`admit.cases.fold`), stored as encrypted JSON and
shown by three interfaces. Pydantic models give that JSON round trip and its validation once,
so every layer handles the same typed values. The parts are those of docs/cases.md: the refusal
(person, documents, arrival, the engine's decision snapshot, the officer's grounds), the
removal plan, the carrier's notices, deferral requests, protection claims and the outcome.

Personal fields (names, birth date, documents, free text) live only in these models and in
encrypted storage; they are left out of every `repr`, so that they cannot reach a log.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class State(enum.StrEnum):
    """The states of a case (docs/cases.md has the diagram)."""

    REFUSED = "refused"
    REMOVAL_PROPOSED = "removal_proposed"
    REMOVAL_APPROVED = "removal_approved"
    ADMITTED = "admitted"
    REMOVED = "removed"
    TRANSFERRED = "transferred"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"

    @property
    def is_open(self) -> bool:
        """Undecided: the person is still at the border and deadlines run."""
        return self in OPEN_STATES


OPEN_STATES = frozenset({State.REFUSED, State.REMOVAL_PROPOSED, State.REMOVAL_APPROVED})
OUTCOME_STATES = frozenset({State.ADMITTED, State.REMOVED, State.TRANSFERRED, State.WITHDRAWN})


class Role(enum.StrEnum):
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    AUDITOR = "auditor"


class DeferralStatus(enum.StrEnum):
    PENDING = "pending"
    GRANTED = "granted"
    REFUSED = "refused"


class ClaimStatus(enum.StrEnum):
    """`pending` until assessed; `referred` means sent on to the asylum procedure, where the
    claim is still undecided, so it keeps the non-refoulement hold."""

    PENDING = "pending"
    REFERRED = "referred"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    @property
    def holds(self) -> bool:
        return self in (ClaimStatus.PENDING, ClaimStatus.REFERRED)


class Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Person(Part):
    surname: str
    given_names: str = ""
    nationalities: tuple[str, ...]
    birth_date: date | None = None

    def __repr__(self) -> str:  # names and birth date never reach a log
        return f"Person(nationalities={self.nationalities!r})"

    __str__ = __repr__


class Arrival(Part):
    """How the person arrived: `country` is the refusing state, `embarkation_country` the
    state where the journey to it began (the default removal destination, Annex 9). `date`
    is the local date at the port: a refusal at 06:40 in Ulaanbaatar on 27 February is judged
    by the rules of the 27th although it was still the 26th in UTC."""

    carrier: str
    flight: str
    port_of_entry: str
    country: str
    embarkation_point: str = ""
    embarkation_country: str
    time: datetime  # UTC
    date: date  # the day of arrival at the port, in its own time zone (the rules' day)


class Refusal(Part):
    person: Person
    documents: tuple[dict[str, Any], ...] = Field(repr=False)  # the trip JSON's form
    authorizations: tuple[dict[str, Any], ...] = Field(default=(), repr=False)
    arrival: Arrival
    grounds: str = Field(repr=False)
    decision: dict[str, Any]  # the engine's Decision JSON, with its data_version
    alternatives: tuple[str, ...] = ()  # further removal destinations the officer named


class Evaluation(Part):
    """The engine's answer for one removal destination, kept with the proposal."""

    country: str
    status: str
    board: bool
    codes: tuple[str, ...]
    data_version: str


class RemovalPlan(Part):
    destination: str
    date: date
    method: str
    notes: str = Field(default="", repr=False)
    proposed_by: str
    proposed_at: datetime
    evaluation: Evaluation
    approved_by: str | None = None
    approved_at: datetime | None = None


class CarrierNotice(Part):
    carrier: str
    notified_at: datetime
    removal_flight: str
    deadline: datetime
    recorded_by: str


class Deferral(Part):
    number: int
    requested_by: str = Field(repr=False)
    requested_at: datetime
    reason: str = Field(repr=False)
    until: date | None = None
    status: DeferralStatus = DeferralStatus.PENDING
    decided_by: str | None = None
    decided_at: datetime | None = None
    new_date: date | None = None
    decision_reason: str = Field(default="", repr=False)


class Claim(Part):
    number: int
    lodged_at: datetime
    lodged_with: str
    feared_country: str
    decide_by: datetime
    notes: str = Field(default="", repr=False)
    recorded_by: str
    status: ClaimStatus = ClaimStatus.PENDING
    assessment: str = Field(default="", repr=False)
    assessed_by: str | None = None
    assessed_at: datetime | None = None


class Outcome(Part):
    state: State
    at: datetime
    recorded_by: str
    destination: str | None = None  # removed: where to
    how: str = ""  # removed: flight, escort; transferred: the authority
    reason: str = Field(default="", repr=False)


class Note(Part):
    at: datetime
    by: str
    text: str = Field(repr=False)


class Case(Part):
    """A case as its events built it. `version` counts the events (optimistic locking)."""

    id: int
    version: int
    state: State
    opened_at: datetime
    opened_by: str
    refusal: Refusal
    removal: RemovalPlan | None = None
    notices: tuple[CarrierNotice, ...] = ()
    deferrals: tuple[Deferral, ...] = ()
    claims: tuple[Claim, ...] = ()
    outcome: Outcome | None = None
    closed_at: datetime | None = None
    closed_by: str | None = None
    close_reason: str = Field(default="", repr=False)
    notes: tuple[Note, ...] = Field(default=())

    @property
    def pending_claims(self) -> tuple[Claim, ...]:
        return tuple(c for c in self.claims if c.status.holds)

    @property
    def on_hold(self) -> bool:
        """Non-refoulement: a protection claim is undecided, so no removal may go ahead."""
        return bool(self.pending_claims)

    @property
    def granted_until(self) -> date | None:
        """The latest date a granted deferral postponed removal to."""
        dates = [d.new_date for d in self.deferrals
                 if d.status is DeferralStatus.GRANTED and d.new_date is not None]
        return max(dates) if dates else None
