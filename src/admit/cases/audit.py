"""The audit trail's chain: each event's MAC covers the event and the MAC before it.

Why: every change must be an append-only event with actor, role and time, and `admit cases
verify` must prove the trail intact or name the first broken event — even to someone who does
not trust whoever can write the database. A plain hash chain cannot: anyone who can write the
tables can change an event and recompute every hash after it. So each event carries an
HMAC-SHA256, under a key kept outside the database (`admit.cases.crypto`), over its whole
content — sequence number, case, version, kind, actor, role, time, sealed data — and the
previous event's MAC; the one-row head keeps the last sequence number and MAC, itself under a
MAC. A change, an insertion, a removal in the middle and a tail cut off with a hand-made head
are all found. A tail cut off together with a head copied from an older backup looks like an
older store: a head recorded outside the database (`Head.text`, `admit cases verify --head`)
finds that too.

Events written before the chain was keyed (scheme 1, plain SHA-256) stay as they were: the
trail is append-only. The migration that introduced the keys sealed them with a keyed event
whose MAC covers the last of them, so they can no longer change unseen either. An unkeyed
event after a keyed one, or a trail that ends unkeyed, is a forgery.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from admit.errors import InputError

GENESIS = "0" * 64
LEGACY = 1  # plain SHA-256, before the chain had a key
KEYED = 2  # HMAC-SHA256 under the chain key

Mac = Callable[[bytes], str]  # the chain key's HMAC (`Cipher.mac`)


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
    scheme: int = KEYED


@dataclass(frozen=True, slots=True)
class Head:
    """The chain's head row: the last sequence number, its event's MAC, and the head's MAC
    (None before the first keyed event)."""

    seq: int
    hash: str
    mac: str | None = None


def _time(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def _canonical(items: list[object]) -> bytes:
    return json.dumps(items, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def metadata(seq: int, case_id: int | None, case_version: int | None, kind: str, actor: str,
             role: str, recorded_at: datetime) -> bytes:
    """An event's metadata as the associated data its sealed payload is bound to."""
    return _canonical(["admit-event", KEYED, seq, case_id, case_version, kind, actor, role,
                       _time(recorded_at)])


def event_mac(mac: Mac, seq: int, case_id: int | None, case_version: int | None, kind: str,
              actor: str, role: str, recorded_at: datetime, payload: str,
              prev_hash: str) -> str:
    return mac(_canonical(["admit-event-mac", KEYED, seq, case_id, case_version, kind, actor,
                           role, _time(recorded_at), payload, prev_hash]))


def head_mac(mac: Mac, seq: int, last: str) -> str:
    return mac(_canonical(["admit-head-mac", KEYED, seq, last]))


def legacy_digest(seq: int, case_id: int | None, case_version: int | None, kind: str,
                  actor: str, role: str, recorded_at: datetime, payload: str,
                  prev_hash: str) -> str:
    """The unkeyed hash of events written before the chain had a key."""
    body = json.dumps([seq, case_id, case_version, kind, actor, role,
                       recorded_at.isoformat(timespec="microseconds"), payload, prev_hash],
                      ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(body.encode("ascii")).hexdigest()


def expected(record: Record, mac: Mac) -> str:
    fields = (record.seq, record.case_id, record.case_version, record.kind, record.actor,
              record.role, record.recorded_at, record.payload, record.prev_hash)
    if record.scheme == LEGACY:
        return legacy_digest(*fields)
    return event_mac(mac, *fields)


# -- the head recorded outside the database ---------------------------------------------------

_HEAD_TEXT = re.compile(r"([0-9]{1,19}):([0-9a-f]{64})")


@dataclass(frozen=True, slots=True)
class Anchor:
    """A head recorded outside the database: the trail had `events` events, the last with
    MAC `mac`. A later trail must still hold that event, unchanged."""

    events: int
    mac: str

    @property
    def text(self) -> str:
        return f"{self.events}:{self.mac}"


def parse_anchor(text: str, field: str = "expect_head") -> Anchor:
    found = _HEAD_TEXT.fullmatch(text.strip())
    if found is None:
        raise InputError(field, text[:100], "a recorded head is EVENTS:MAC, as "
                         "`admit cases verify --head` printed it (64 lowercase hex digits)")
    return Anchor(int(found[1]), found[2])


# -- verification ----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ChainReport:
    ok: bool
    events: int
    first_broken: int | None = None  # the sequence number of the first bad event
    reason: str = ""
    last: str = GENESIS  # the MAC of the last event walked

    @property
    def head(self) -> Anchor:
        """The value to record outside the database (meaningful when `ok`)."""
        return Anchor(self.events, self.last)

    def to_json(self) -> dict[str, object]:
        return {"ok": self.ok, "events": self.events, "first_broken": self.first_broken,
                "reason": self.reason, "head": self.head.text if self.ok else None}


def verify(records: Iterable[Record], head: Head | None, mac: Mac,
           expect: Anchor | None = None) -> ChainReport:
    """Walk the chain in sequence order against the stored `head`, and against `expect`, a
    head recorded earlier outside the database."""
    prev, count, keyed = GENESIS, 0, False

    def broken(at: int, reason: str) -> ChainReport:
        return ChainReport(False, max(at - 1, 0), at, reason, prev)

    for record in records:
        count += 1
        if record.seq != count:
            return broken(count, f"event {count} is missing (found {record.seq} next)")
        if record.prev_hash != prev:
            return broken(count, "its link to the previous event does not match")
        if record.scheme == LEGACY:
            if keyed:
                return broken(count, "an unkeyed event after keyed ones (forged)")
            if legacy_digest(record.seq, record.case_id, record.case_version, record.kind,
                             record.actor, record.role, record.recorded_at, record.payload,
                             record.prev_hash) != record.hash:
                return broken(count, "its contents do not match its hash (altered)")
        elif record.scheme == KEYED:
            keyed = True
            if not hmac.compare_digest(expected(record, mac), record.hash):
                return broken(count, "its contents do not match its MAC (altered, or written "
                                     "with another key)")
        else:
            return broken(count, f"unknown chain scheme {record.scheme}")
        if expect is not None and count == expect.events \
                and not hmac.compare_digest(record.hash, expect.mac):
            return broken(count, f"it differs from the recorded head {expect.text} (the "
                                 "trail was rewritten since)")
        prev = record.hash
    last = head if head is not None else Head(0, GENESIS)
    if last.seq != count:
        return ChainReport(False, count, min(count, last.seq) + 1,
                           f"the chain head records {last.seq} events but {count} were found "
                           "(events removed or added outside the store)", prev)
    if last.hash != prev:
        return ChainReport(False, count, count, "the chain head's hash does not match the "
                           "last event (the trail was rewritten)", prev)
    if count and not keyed:
        return ChainReport(False, count, count, "the trail ends with unkeyed events: its "
                           "keyed events were removed, or it was rewritten without the key",
                           prev)
    if (keyed or last.mac is not None) and not (
            last.mac is not None and hmac.compare_digest(last.mac, head_mac(mac, count, prev))):
        return ChainReport(False, count, count + 1, "the chain head's MAC does not match "
                           "(the head was reset: events cut off, or written with another "
                           "key)", prev)
    if expect is not None and expect.events > count:
        return ChainReport(False, count, count + 1,
                           f"the trail has {count} events but the recorded head "
                           f"{expect.text} names event {expect.events} (events were cut off, "
                           "or the store was rolled back)", prev)
    if expect is not None and expect.events == 0 and expect.mac != GENESIS:
        return ChainReport(False, count, 1, f"the recorded head {expect.text} names no event",
                           prev)
    return ChainReport(True, count, last=prev)
