"""`admit cases verify`: prove the audit trail intact, and every case equal to its trail.

Why: the chain (`admit.cases.audit`) proves no event was changed, removed or slipped in; the
replay proves the other half — that the state, version and deadline the lists show for each
case are what its events make of it, so nobody edited a case beside its trail. Opening each
event's sealed data also proves it was neither altered nor moved (AES-GCM).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import select

from admit.cases import audit
from admit.cases.deadlines import next_deadline
from admit.cases.domain import Case
from admit.cases.errors import StoreError
from admit.cases.fold import apply
from admit.cases.models import AuditHead, CaseRow, EventRow

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


def verify_store(store: Store) -> VerifyReport:
    with store.reading() as session:
        head_row = session.get(AuditHead, 1)
        head = (head_row.seq, head_row.hash) if head_row is not None else None
        rows = session.execute(select(EventRow).order_by(EventRow.seq)
                               .execution_options(yield_per=1000)).scalars()
        chain = audit.verify((_record(r) for r in rows), head)
        problems: list[str] = []
        cases = {r.id: r for r in session.execute(select(CaseRow)).scalars()}
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
            except (StoreError, ValueError) as exc:
                problems.append(f"event {row.seq} (case {case_id}): {exc}")
                broken.add(case_id)
                built.pop(case_id, None)
                cases.pop(case_id, None)
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


def _record(row: EventRow) -> audit.Record:
    return audit.Record(row.seq, row.case_id, row.case_version, row.kind, row.actor, row.role,
                        row.recorded_at, row.payload, row.prev_hash, row.hash)


def _show(values: tuple[object, ...]) -> str:
    return "/".join("-" if v is None else str(v) for v in values)
