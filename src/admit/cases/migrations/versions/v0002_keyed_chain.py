"""The keyed audit chain and case snapshots.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04

Events gain their chain scheme (1: the plain SHA-256 of revision 0001; 2: HMAC-SHA256 under the
chain key), the head its own MAC, and cases a sealed snapshot of their folded state. Events are
append-only, so those written before stay as they are; instead one keyed `chain_keyed` event
is appended whose MAC covers the last of them, sealing them under the key from now on. That
needs the key, which `admit.cases.db.migrate` hands in; an empty store needs none.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import context, op

from admit.cases import audit
from admit.cases.crypto import Cipher
from admit.cases.errors import StoreError
from admit.cases.models import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_EVENTS = sa.table(
    "case_events", sa.column("seq", _SEQ), sa.column("case_id", sa.Integer()),
    sa.column("case_version", sa.Integer()), sa.column("kind", sa.String()),
    sa.column("actor", sa.String()), sa.column("role", sa.String()),
    sa.column("recorded_at", UTCDateTime()), sa.column("payload", sa.Text()),
    sa.column("prev_hash", sa.String()), sa.column("hash", sa.String()),
    sa.column("scheme", sa.SmallInteger()))
_HEAD = sa.table("audit_head", sa.column("id", sa.Integer()), sa.column("seq", _SEQ),
                 sa.column("hash", sa.String()), sa.column("mac", sa.String()))
KIND, ACTOR, ROLE = "chain_keyed", "admit", "admin"


def upgrade() -> None:
    op.add_column("case_events", sa.Column("scheme", sa.SmallInteger(), nullable=False,
                                           server_default="1"))
    op.add_column("audit_head", sa.Column("mac", sa.String(64), nullable=True))
    op.create_table(
        "case_snapshots",
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), primary_key=True,
                  autoincrement=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("seq", _SEQ, nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
    )
    cipher = context.config.attributes.get("cipher")
    _seal(op.get_bind(), cipher if isinstance(cipher, Cipher) else None)


def _seal(conn: sa.Connection, cipher: Cipher | None) -> None:
    seq, last = conn.execute(sa.select(_HEAD.c.seq, _HEAD.c.hash)
                             .where(_HEAD.c.id == 1)).one()
    if cipher is None:
        if seq == 0:
            return  # nothing to seal; the first event keys the head
        raise StoreError(f"sealing the {seq} events of this store under the chain key needs "
                         "the cases key (run admit with ADMIT_CASES_KEY or its key file)")
    if seq == 0:
        conn.execute(sa.update(_HEAD).where(_HEAD.c.id == 1)
                     .values(mac=audit.head_mac(cipher.mac, 0, audit.GENESIS)))
        return
    _check_key(conn, cipher, seq)
    number, now = seq + 1, datetime.now(UTC)
    data = json.dumps({"sealed_events": seq, "sealed_head": last}, sort_keys=True)
    payload = cipher.seal(data.encode("utf-8"),
                          audit.metadata(number, None, None, KIND, ACTOR, ROLE, now))
    mac = audit.event_mac(cipher.mac, number, None, None, KIND, ACTOR, ROLE, now, payload, last)
    conn.execute(sa.insert(_EVENTS).values(
        seq=number, case_id=None, case_version=None, kind=KIND, actor=ACTOR, role=ROLE,
        recorded_at=now, payload=payload, prev_hash=last, hash=mac, scheme=audit.KEYED))
    conn.execute(sa.update(_HEAD).where(_HEAD.c.id == 1).values(
        seq=number, hash=mac, mac=audit.head_mac(cipher.mac, number, mac)))


def _check_key(conn: sa.Connection, cipher: Cipher, count: int) -> None:
    """Seal nothing with a key that opens none of the events: it is the wrong key, and its
    MACs would mark the trail broken for whoever holds the right one."""
    rows = conn.execute(sa.select(_EVENTS.c.seq, _EVENTS.c.payload)
                        .order_by(_EVENTS.c.seq.desc()))
    for number, payload in rows:
        try:
            cipher.open(payload, f"event {number}".encode())
            return
        except StoreError:
            continue
    raise StoreError(f"the cases key opens none of the {count} events of this store: it is "
                     "not the key they were sealed with (check ADMIT_CASES_KEY or the key "
                     "file); nothing was changed")


def downgrade() -> None:
    raise NotImplementedError("the keyed chain cannot be downgraded: revision 0001 cannot "
                              "verify its keyed events, and events are never removed")
