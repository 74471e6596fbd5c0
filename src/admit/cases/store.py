"""The repository: cases and users in and out of the database, sealed and chained.

Why: one place owns the write path every change takes. In one transaction: the case row is
read under a row lock and its events replayed; the caller's version is compared (optimistic
locking: whoever sends a version the case has moved past gets VersionConflict and can re-read
and retry — no update is ever lost); the domain decides; the row's UPDATE is guarded by its
version column once more; the chain head is locked and the sealed event appended with its
hash. Nothing else writes to the tables. Reading a case replays its events in one snapshot
(`admit.cases.fold`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from admit.cases import audit
from admit.cases.crypto import Cipher
from admit.cases.db import WRITE
from admit.cases.deadlines import next_deadline
from admit.cases.domain import Case, Role
from admit.cases.errors import CaseNotFound, StoreError, VersionConflict
from admit.cases.fold import Event, replay
from admit.cases.models import AuditHead, CaseRow, EventRow


@dataclass(frozen=True, slots=True)
class Stored:
    """An event as read back: its place in the trail and its opened data."""

    seq: int
    event: Event


class Store:
    def __init__(self, engine: Engine, cipher: Cipher) -> None:
        self.engine = engine
        self.cipher = cipher
        # A read sees one snapshot across its statements (a case row and its events agree);
        # SQLite's transactions always do.
        self._reader = (engine.execution_options(isolation_level="REPEATABLE READ")
                        if engine.dialect.name == "postgresql" else engine)

    def __repr__(self) -> str:
        return f"Store({self.engine.url.render_as_string(hide_password=True)!r})"

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A write transaction (on SQLite it takes the write lock at BEGIN)."""
        with self.engine.connect() as conn:
            conn.execution_options(**{WRITE: True})
            with Session(bind=conn, expire_on_commit=False) as session, session.begin():
                yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with Session(self._reader, expire_on_commit=False) as session, session.begin():
            yield session

    # -- events ---------------------------------------------------------------------------

    def append(self, session: Session, event: Event) -> int:
        return self.chain(session, event.case_id, event.version, event.kind, event.actor,
                          event.role.value, event.at, event.data)

    def chain(self, session: Session, case_id: int | None, version: int | None, kind: str,
              actor: str, role: str, at: datetime, data: dict[str, Any]) -> int:
        """Seal and chain one event (a case's, or a user change with no case)."""
        head = session.execute(select(AuditHead).where(AuditHead.id == 1)
                               .with_for_update()).scalar_one()
        seq = head.seq + 1
        plain = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        sealed = self.cipher.seal(plain.encode("utf-8"), f"event {seq}".encode())
        digest = audit.digest(seq, case_id, version, kind, actor, role, at, sealed, head.hash)
        session.add(EventRow(seq=seq, case_id=case_id, case_version=version, kind=kind,
                             actor=actor, role=role, recorded_at=at, payload=sealed,
                             prev_hash=head.hash, hash=digest))
        head.seq, head.hash = seq, digest
        session.flush()
        return seq

    def opened(self, row: EventRow) -> Stored:
        data = json.loads(self.cipher.open(row.payload, f"event {row.seq}".encode()))
        if row.case_id is None or row.case_version is None:
            raise StoreError(f"event {row.seq} belongs to no case")
        return Stored(row.seq, Event(row.case_id, row.case_version, row.kind, row.actor,
                                     Role(row.role), row.recorded_at, data))

    def events(self, session: Session, case_id: int) -> list[Stored]:
        _case_number(case_id)
        rows = session.execute(select(EventRow).where(EventRow.case_id == case_id)
                               .order_by(EventRow.case_version)).scalars()
        return [self.opened(row) for row in rows]

    def first_events(self, session: Session, case_ids: list[int]) -> dict[int, Event]:
        """The opening event of each case (for lists: who the case is about)."""
        if not case_ids:
            return {}
        rows = session.execute(select(EventRow).where(EventRow.case_id.in_(case_ids),
                                                      EventRow.case_version == 1)).scalars()
        return {row.case_id: self.opened(row).event for row in rows if row.case_id}

    # -- cases ----------------------------------------------------------------------------

    def load(self, session: Session, case_id: int, *,
             lock: bool = False) -> tuple[CaseRow, Case]:
        """The case row and the case its events make. `lock` (for writers) holds the row
        until commit, so the events read next are the ones that row's version counts;
        concurrent writers of the same case queue there, and whoever comes second finds a
        newer version than the one it was sent with."""
        row = session.get(CaseRow, _case_number(case_id), with_for_update=lock)
        if row is None:
            raise CaseNotFound(f"no case {case_id}")
        case = replay([s.event for s in self.events(session, case_id)])
        if case.version != row.version:
            raise StoreError(f"case {case_id}: its trail has {case.version} events but the "
                             f"case row says version {row.version}")
        return row, case

    def insert(self, session: Session, event: Event, case: Case) -> Case:
        """Store a new case from its opening event; returns it with its id."""
        deadline = next_deadline(case)
        row = CaseRow(state=case.state.value, country=case.refusal.arrival.country,
                      opened_at=event.at, updated_at=event.at,
                      next_deadline=deadline.due if deadline else None,
                      deadline_kind=deadline.kind if deadline else None)
        session.add(row)
        session.flush()
        stored = Event(row.id, row.version, event.kind, event.actor, event.role, event.at,
                       event.data)
        self.append(session, stored)
        return case.model_copy(update={"id": row.id, "version": row.version})

    def update(self, session: Session, row: CaseRow, event: Event, case: Case) -> None:
        """Save the case after `event`: the row first (its version guards against a
        concurrent writer), then the event."""
        deadline = next_deadline(case)
        case_id = row.id  # the row expires if the flush fails
        row.state = case.state.value
        row.updated_at = event.at
        row.next_deadline = deadline.due if deadline else None
        row.deadline_kind = deadline.kind if deadline else None
        try:
            session.flush()
        except StaleDataError:
            raise VersionConflict(f"case {case_id} was changed by someone else while this "
                                  "change was made: read it again and retry") from None
        if row.version != event.version:
            raise StoreError(f"case {row.id}: version {row.version} after the update, "
                             f"expected {event.version}")
        self.append(session, event)


def _case_number(case_id: int) -> int:
    """Case numbers are positive 32-bit integers on both databases; any other number names no
    case (and must not reach the database, where it would overflow)."""
    if not 1 <= case_id <= 2**31 - 1:
        raise CaseNotFound(f"no case {case_id}")
    return case_id
