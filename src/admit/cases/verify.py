"""`admit cases verify`: prove the audit trail intact, and every case equal to its trail.

Why: the chain (`admit.cases.audit`) proves, under the key, that no event was changed, removed
or slipped in, and — against a head recorded outside the database — that none was cut off
since; the replay proves the other half: that the state, version and deadline the lists show
for each case, and each case's snapshot, are what its events make of it, so nobody edited a
case beside its trail. The replay starts from each case's first event and never from a
snapshot. Opening each event's sealed data also proves it was neither altered nor moved, nor
its metadata changed (AES-GCM).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import select

from admit.cases import audit, snapshots
from admit.cases.deadlines import next_deadline
from admit.cases.domain import Case
from admit.cases.errors import StoreError
from admit.cases.fold import apply
from admit.cases.models import AuditHead, CaseRow, EventRow, SnapshotRow

if TYPE_CHECKING:
    from admit.cases.store import Store


@dataclass(frozen=True, slots=True)
class VerifyReport:
    chain: audit.ChainReport
    cases: int = 0
    problems: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.problems

    def to_json(self) -> dict[str, object]:
        return {"ok": self.ok, "chain": self.chain.to_json(), "cases": self.cases,
                "problems": list(self.problems)}


def verify_store(store: Store, expect: audit.Anchor | None = None) -> VerifyReport:
    with store.reading() as session:
        head_row = session.get(AuditHead, 1)
        head = (audit.Head(head_row.seq, head_row.hash, head_row.mac)
                if head_row is not None else None)
        rows = session.execute(select(EventRow).order_by(EventRow.seq)
                               .execution_options(yield_per=1000)).scalars()
        chain = audit.verify((_record(r) for r in rows), head, store.cipher.mac, expect)
        problems: list[str] = []
        cases = {r.id: r for r in session.execute(select(CaseRow)).scalars()}
        snaps = {r.case_id: r for r in session.execute(select(SnapshotRow)).scalars()}
        built: dict[int, Case] = {}
        broken: set[int] = set()
        case_rows = session.execute(select(EventRow).where(EventRow.case_id.is_not(None))
                                    .order_by(EventRow.case_id, EventRow.case_version)
                                    .execution_options(yield_per=1000)).scalars()
        for row in case_rows:
            case_id = row.case_id or 0
            if case_id in broken:
                continue
            try:
                event = store.opened(row).event
                built[case_id] = apply(built.get(case_id), event)
            except (StoreError, ValueError, KeyError) as exc:
                reason = exc.message if isinstance(exc, StoreError) else "it does not apply"
                problems.append(f"event {row.seq} (case {case_id}): {reason}")
                broken.add(case_id)
                built.pop(case_id, None)
                cases.pop(case_id, None)
                snaps.pop(case_id, None)
                continue
            snap = snaps.get(case_id)
            if snap is not None and snap.version == row.case_version:
                snaps.pop(case_id)
                problem = _check_snapshot(store, snap, row, built[case_id])
                if problem:
                    problems.append(problem)
    for case_id, snap in sorted(snaps.items()):
        if case_id not in broken:
            problems.append(f"case {case_id}: its snapshot names version {snap.version}, "
                            "which its trail does not have")
    for case_id, case_row in sorted(cases.items()):
        case = built.get(case_id)
        if case is None:
            problems.append(f"case {case_id} has no events")
            continue
        deadline = next_deadline(case)
        seen = (case_row.state, case_row.version, case_row.next_deadline)
        want = (case.state.value, case.version, deadline.due if deadline else None)
        if seen != want:
            problems.append(f"case {case_id}: stored state/version/deadline {_show(seen)} "
                            f"differ from its events' {_show(want)}")
    return VerifyReport(chain, len(cases), tuple(problems))


def _check_snapshot(store: Store, snap: SnapshotRow, row: EventRow, case: Case) -> str | None:
    where = f"case {snap.case_id}: its snapshot at version {snap.version}"
    if snap.seq != row.seq:
        return f"{where} names event {snap.seq}, but that version is event {row.seq}"
    try:
        held = snapshots.open_sealed(store.cipher, snap.state, snap.case_id, snap.version,
                                     row.seq, row.hash)
    except StoreError:
        return (f"{where} does not open (altered, moved, or its event changed); "
                "`admit cases verify --rebuild-snapshots` writes it again")
    if held != case:
        return f"{where} differs from its events"
    return None


def _record(row: EventRow) -> audit.Record:
    return audit.Record(row.seq, row.case_id, row.case_version, row.kind, row.actor, row.role,
                        row.recorded_at, row.payload, row.prev_hash, row.hash, row.scheme)


def _show(values: tuple[object, ...]) -> str:
    return "/".join("-" if v is None else str(v) for v in values)
