"""The repository: cases and users in and out of the database, sealed and chained.

Why: one place owns the write path every change takes. In one transaction: the case row is
read under a row lock and the case rebuilt — kept in memory from this process's last look at
it (`admit.cases.recent`), else its snapshot (`admit.cases.snapshots`) and the events after
it; the caller's version is compared (optimistic locking: whoever sends a version
the case has moved past gets VersionConflict and can re-read and retry — no update is ever
lost); the domain decides; the row's UPDATE is guarded by its version column once more; the
chain head is locked, its MAC checked (so a wrong key or a head set back by hand writes
nothing), and the sealed event appended with its MAC. Nothing else writes to the tables.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from admit.cases import audit, snapshots
from admit.cases.crypto import Cipher
from admit.cases.db import WRITE
from admit.cases.deadlines import next_deadline
from admit.cases.domain import Case, Role
from admit.cases.errors import CaseNotFound, StoreError, VersionConflict
from admit.cases.fold import Event, apply
from admit.cases.models import AuditHead, CaseRow, EventRow, SnapshotRow
from admit.cases.recent import RecentCases

log = logging.getLogger("admit.cases")
_CHANGED = "admit_changed_cases"  # in a write session's info: cases to keep once committed


@dataclass(frozen=True, slots=True)
class Stored:
    """An event as read back: its place in the trail and its opened data."""

    seq: int
    event: Event


@dataclass(frozen=True, slots=True)
class Link:
    """Where an appended event went in the chain: its number and MAC."""

    seq: int
    mac: str


@dataclass(frozen=True, slots=True)
class Loaded:
    """A case as rebuilt for reading or writing: its row, the case, and the version of the
    snapshot it was folded from (0: replayed from its first event)."""

    row: CaseRow
    case: Case
    snapshot: int


def event_context(row: EventRow) -> bytes:
    """The associated data an event's payload was sealed with (its scheme's)."""
    if row.scheme == audit.LEGACY:
        return f"event {row.seq}".encode()
    return audit.metadata(row.seq, row.case_id, row.case_version, row.kind, row.actor,
                          row.role, row.recorded_at)


class Store:
    def __init__(self, engine: Engine, cipher: Cipher) -> None:
        self.engine = engine
        self.cipher = cipher
        self.recent = RecentCases()
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
            with Session(bind=conn, expire_on_commit=False) as session:
                with session.begin():
                    yield session
                # committed: the cases it changed are kept as they now are
                for case, mac in session.info.pop(_CHANGED, ()):
                    self.recent.put(case, mac)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with Session(self._reader, expire_on_commit=False) as session, session.begin():
            yield session

    # -- events ---------------------------------------------------------------------------

    def append(self, session: Session, event: Event) -> Link:
        return self.chain(session, event.case_id, event.version, event.kind, event.actor,
                          event.role.value, event.at, event.data)

    def chain(self, session: Session, case_id: int | None, version: int | None, kind: str,
              actor: str, role: str, at: datetime, data: dict[str, Any]) -> Link:
        """Seal and chain one event (a case's, or a user change with no case)."""
        head = session.execute(select(AuditHead).where(AuditHead.id == 1)
                               .with_for_update()).scalar_one()
        self._check_head(head)
        seq = head.seq + 1
        plain = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        sealed = self.cipher.seal(plain.encode("utf-8"),
                                  audit.metadata(seq, case_id, version, kind, actor, role, at))
        mac = audit.event_mac(self.cipher.mac, seq, case_id, version, kind, actor, role, at,
                              sealed, head.hash)
        session.add(EventRow(seq=seq, case_id=case_id, case_version=version, kind=kind,
                             actor=actor, role=role, recorded_at=at, payload=sealed,
                             prev_hash=head.hash, hash=mac, scheme=audit.KEYED))
        head.seq, head.hash = seq, mac
        head.mac = audit.head_mac(self.cipher.mac, seq, mac)
        session.flush()
        return Link(seq, mac)

    def _check_head(self, head: AuditHead) -> None:
        """Append only to a head this key wrote: another key's MACs would break the chain
        for whoever holds the right one, and a head set back by hand would hide a cut."""
        if head.mac is None:
            if head.seq == 0:
                return  # a new store: its first event keys the head
            raise StoreError("the audit chain's head carries no MAC: the trail was rewritten "
                             "or not upgraded with the key; nothing was written (run "
                             "`admit cases verify`)")
        if not hmac.compare_digest(head.mac,
                                   audit.head_mac(self.cipher.mac, head.seq, head.hash)):
            raise StoreError("the audit chain's head does not match the cases key: the key is "
                             "not this store's, or the head was altered; nothing was written "
                             "(run `admit cases verify`)")

    def opened(self, row: EventRow) -> Stored:
        data = json.loads(self.cipher.open(row.payload, event_context(row), f"event {row.seq}"))
        if row.case_id is None or row.case_version is None:
            raise StoreError(f"event {row.seq} belongs to no case")
        return Stored(row.seq, Event(row.case_id, row.case_version, row.kind, row.actor,
                                     Role(row.role), row.recorded_at, data))

    def events(self, session: Session, case_id: int, *, after: int = 0,
               limit: int | None = None) -> list[Stored]:
        """The case's events after version `after`, in order (at most `limit`)."""
        _case_number(case_id)
        query = (select(EventRow).where(EventRow.case_id == case_id,
                                        EventRow.case_version > after)
                 .order_by(EventRow.case_version))
        if limit is not None:
            query = query.limit(limit)
        return [self.opened(row) for row in session.execute(query).scalars()]

    def first_events(self, session: Session, case_ids: list[int]) -> dict[int, Event]:
        """The opening event of each case (for lists: who the case is about)."""
        if not case_ids:
            return {}
        rows = session.execute(select(EventRow).where(EventRow.case_id.in_(case_ids),
                                                      EventRow.case_version == 1)).scalars()
        return {row.case_id: self.opened(row).event for row in rows if row.case_id}

    # -- cases ----------------------------------------------------------------------------

    def row(self, session: Session, case_id: int, *, lock: bool = False) -> CaseRow:
        row = session.get(CaseRow, _case_number(case_id), with_for_update=lock)
        if row is None:
            raise CaseNotFound(f"no case {case_id}")
        return row

    def load(self, session: Session, case_id: int, *, lock: bool = False) -> Loaded:
        """The case row and the case its events make, folded from its snapshot. `lock` (for
        writers) holds the row until commit, so the events read next are the ones that row's
        version counts; concurrent writers of the same case queue there, and whoever comes
        second finds a newer version than the one it was sent with."""
        row = self.row(session, case_id, lock=lock)
        last = session.execute(select(EventRow.hash).where(
            EventRow.case_id == row.id, EventRow.case_version == row.version)).scalar()
        kept = self.recent.get(row.id, row.version, last)
        if kept is not None:
            since = session.execute(select(SnapshotRow.version).where(
                SnapshotRow.case_id == row.id)).scalar()
            return Loaded(row, kept, since or 0)
        case, since = self._snapshot(session, row.id)
        for stored in self.events(session, row.id, after=since):
            case = apply(case, stored.event)
        if case is None:
            raise StoreError(f"case {case_id} has no events")
        if case.version != row.version or last is None:
            raise StoreError(f"case {case_id}: its trail has {case.version} events but the "
                             f"case row says version {row.version}")
        self.recent.put(case, last)
        return Loaded(row, case, since)

    def replayed(self, session: Session, case_id: int) -> Case:
        """The case from its events alone, no snapshot."""
        case: Case | None = None
        for stored in self.events(session, case_id):
            case = apply(case, stored.event)
        if case is None:
            raise StoreError(f"case {case_id} has no events")
        return case

    def _snapshot(self, session: Session, case_id: int) -> tuple[Case | None, int]:
        """The case's snapshot and its version, if it opens as the state after the event it
        names; else nothing (the events are replayed from the first)."""
        snap = session.get(SnapshotRow, case_id)
        if snap is None:
            return None, 0
        anchor = session.execute(select(EventRow.seq, EventRow.hash).where(
            EventRow.case_id == case_id, EventRow.case_version == snap.version)).one_or_none()
        try:
            if anchor is None or anchor.seq != snap.seq:
                raise StoreError(f"the snapshot of case {case_id} names an event its trail "
                                 "does not have")
            case = snapshots.open_sealed(self.cipher, snap.state, case_id, snap.version,
                                         anchor.seq, anchor.hash)
        except StoreError as exc:
            log.warning("%s; replaying its events instead", exc.message)
            return None, 0
        return case, snap.version

    def save_snapshot(self, session: Session, case: Case, link: Link) -> None:
        sealed = snapshots.seal(self.cipher, case, link.seq, link.mac)
        snap = session.get(SnapshotRow, case.id)
        if snap is None:
            session.add(SnapshotRow(case_id=case.id, version=case.version, seq=link.seq,
                                    state=sealed))
        else:
            snap.version, snap.seq, snap.state = case.version, link.seq, sealed

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

    def update(self, session: Session, loaded: Loaded, event: Event, case: Case) -> None:
        """Save the case after `event`: the row first (its version guards against a
        concurrent writer), then the event, then — every SNAPSHOT_EVERY versions — its
        snapshot."""
        row = loaded.row
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
        link = self.append(session, event)
        if case.version - loaded.snapshot >= snapshots.SNAPSHOT_EVERY:
            self.save_snapshot(session, case, link)
        session.info.setdefault(_CHANGED, []).append((case, link.mac))


def _case_number(case_id: int) -> int:
    """Case numbers are positive 32-bit integers on both databases; any other number names no
    case (and must not reach the database, where it would overflow)."""
    if not 1 <= case_id <= 2**31 - 1:
        raise CaseNotFound(f"no case {case_id}")
    return case_id
