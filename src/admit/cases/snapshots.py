"""Snapshots of a case's folded state, so a write replays only the events after the last one.

Why: a case *is* its events, and replaying them all on every write made each write cost as
much as the case is long (0.2 s at 2,000 events). Every SNAPSHOT_EVERY versions the writer
stores the folded case beside its trail, sealed like the events, with the case, version, event
number and that event's MAC as associated data: a snapshot opens only as the state after that
very event of that case, so one altered, moved to another case, or left behind by a rewritten
event is not used (reading falls back to replaying the events). An older genuine snapshot
still gives the right state, since the events after it are folded onto it. Snapshots are
derived: `admit cases verify` replays every case from its events alone and compares, and they
are rebuilt only over an intact chain.
"""

from __future__ import annotations

import json

from pydantic import ValidationError

from admit.cases.crypto import Cipher
from admit.cases.domain import Case
from admit.cases.errors import StoreError

# How many versions a case moves between snapshots: a write folds fewer events than this,
# and a snapshot (the whole case) is written once per this many writes.
SNAPSHOT_EVERY = 32


def _context(case_id: int, version: int, seq: int, event_mac: str) -> bytes:
    return json.dumps(["admit-snapshot", 1, case_id, version, seq, event_mac],
                      ensure_ascii=True, separators=(",", ":")).encode("ascii")


def seal(cipher: Cipher, case: Case, seq: int, event_mac: str) -> str:
    """The case after event `seq` (whose MAC is `event_mac`), sealed."""
    return cipher.seal(case.model_dump_json().encode("utf-8"),
                       _context(case.id, case.version, seq, event_mac))


def open_sealed(cipher: Cipher, sealed: str, case_id: int, version: int, seq: int,
                event_mac: str) -> Case:
    """The case a snapshot holds; StoreError if it is not the state after that event."""
    label = f"the snapshot of case {case_id} at version {version}"
    raw = cipher.open(sealed, _context(case_id, version, seq, event_mac), label)
    try:
        case = Case.model_validate_json(raw)
    except ValidationError:  # its message would quote the personal values
        raise StoreError(f"{label} does not hold a case") from None
    if (case.id, case.version) != (case_id, version):
        raise StoreError(f"{label} holds another case or version")
    return case
