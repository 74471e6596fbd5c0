"""The audit trail's hash chain: each event's hash covers the one before it.

Why: the issue asks that every change be an append-only event with actor, role and time, and
that `admit cases verify` prove the trail intact or name the first broken event. Each event's
SHA-256 covers its sequence number, case, version, kind, actor, role, time, sealed data and
the previous event's hash; a head record holds the last sequence number and hash, so a change,
an insertion, a deletion in the middle and a cut-off tail are all found. The chain covers the
sealed data as stored, so verifying it needs no key. (The database also refuses UPDATE and
DELETE on events by trigger; the chain is what proves it to someone who does not trust the
database.)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

GENESIS = "0" * 64


@dataclass(frozen=True, slots=True)
class Record:
    seq: int
    case_id: int | None
    case_version: int | None
    kind: str
    actor: str
    role: str
    recorded_at: datetime
    payload: str
    prev_hash: str
    hash: str


def digest(seq: int, case_id: int | None, case_version: int | None, kind: str, actor: str,
           role: str, recorded_at: datetime, payload: str, prev_hash: str) -> str:
    body = json.dumps([seq, case_id, case_version, kind, actor, role,
                       recorded_at.isoformat(timespec="microseconds"), payload, prev_hash],
                      ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(body.encode("ascii")).hexdigest()


def expected(record: Record) -> str:
    return digest(record.seq, record.case_id, record.case_version, record.kind, record.actor,
                  record.role, record.recorded_at, record.payload, record.prev_hash)


@dataclass(frozen=True, slots=True)
class ChainReport:
    ok: bool
    events: int
    first_broken: int | None = None  # the sequence number of the first bad event
    reason: str = ""

    def to_json(self) -> dict[str, object]:
        return {"ok": self.ok, "events": self.events, "first_broken": self.first_broken,
                "reason": self.reason}


def verify(records: Iterable[Record], head: tuple[int, str] | None) -> ChainReport:
    """Walk the chain in sequence order; `head` is the stored (last seq, last hash)."""
    prev, count = GENESIS, 0
    for record in records:
        count += 1
        if record.seq != count:
            return ChainReport(False, count - 1, count,
                               f"event {count} is missing (found {record.seq} next)")
        if record.prev_hash != prev:
            return ChainReport(False, count - 1, record.seq,
                               "its link to the previous event does not match")
        if expected(record) != record.hash:
            return ChainReport(False, count - 1, record.seq,
                               "its contents do not match its hash (altered)")
        prev = record.hash
    last = head if head is not None else (0, GENESIS)
    if last[0] != count:
        return ChainReport(False, count, min(count, last[0]) + 1,
                           f"the chain head records {last[0]} events but {count} were found "
                           "(events removed or added outside the store)")
    if last[1] != prev:
        return ChainReport(False, count, count, "the chain head's hash does not match the "
                           "last event (the trail was rewritten)")
    return ChainReport(True, count)
