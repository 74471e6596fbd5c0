"""Upgrading a store written before the chain had a key (revision 0001): its events stay as
they were, one keyed event seals them, and from then on they cannot change unseen either."""

from __future__ import annotations

import json
import os
from datetime import timedelta

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Engine, text

from admit.cases import CaseService, StoreError
from admit.cases.audit import GENESIS, KEYED, LEGACY, legacy_digest
from admit.cases.commands import OpenCase, parse
from admit.cases.crypto import Cipher
from admit.cases.db import MIGRATIONS, connect, migrate
from admit.cases.deadlines import next_deadline
from admit.cases.domain import Role
from admit.cases.fold import Event, apply
from admit.cases.intake import refusal as make_refusal
from admit.cases.models import UTCDateTime
from admit.rules import Rules
from tests.cases.conftest import ARRIVAL, OFFICER, refusal

_EVENTS = sa.table(
    "case_events", sa.column("seq"), sa.column("case_id"), sa.column("case_version"),
    sa.column("kind"), sa.column("actor"), sa.column("role"),
    sa.column("recorded_at", UTCDateTime()), sa.column("payload"), sa.column("prev_hash"),
    sa.column("hash"))
_CASES = sa.table(
    "cases", sa.column("id"), sa.column("version"), sa.column("state"), sa.column("country"),
    sa.column("opened_at", UTCDateTime()), sa.column("updated_at", UTCDateTime()),
    sa.column("next_deadline", UTCDateTime()), sa.column("deadline_kind"))


def _revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _old_store(engine: Engine, cipher: Cipher, rules: Rules) -> None:
    """A store as revision 0001 wrote it: a user, a case opened and noted, each event sealed
    to its number only and chained by plain SHA-256."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    opening = make_refusal(parse(OpenCase, refusal(), extra_codes=rules.extra_codes),
                           rules).model_dump(mode="json")
    events = [(None, None, "user_added", "local:admin", "admin", {"name": "olga",
                                                                  "role": "officer"}),
              (1, 1, "open", "olga", "officer", opening),
              (1, 2, "note", "olga", "officer", {"text": "called the consulate"})]
    with engine.connect() as conn:
        conn.execution_options(admit_write=True)
        with conn.begin():
            config.attributes["connection"] = conn
            command.upgrade(config, "0001")
            prev, case = GENESIS, None
            for seq, (case_id, version, kind, actor, role, data) in enumerate(events, 1):
                at = ARRIVAL + timedelta(minutes=seq)
                if case_id is not None and version is not None:
                    case = apply(case, Event(case_id, version, kind, actor, Role(role), at,
                                             data))
                payload = cipher.seal(json.dumps(data, sort_keys=True).encode(),
                                      f"event {seq}".encode())
                digest = legacy_digest(seq, case_id, version, kind, actor, role, at, payload,
                                       prev)
                if kind == "open":
                    conn.execute(sa.insert(_CASES).values(
                        id=1, version=1, state="refused", country="ZZA", opened_at=at,
                        updated_at=at, next_deadline=None, deadline_kind=None))
                conn.execute(sa.insert(_EVENTS).values(
                    seq=seq, case_id=case_id, case_version=version, kind=kind, actor=actor,
                    role=role, recorded_at=at, payload=payload, prev_hash=prev, hash=digest))
                prev = digest
            assert case is not None
            deadline = next_deadline(case)
            conn.execute(sa.update(_CASES).values(
                version=case.version, updated_at=ARRIVAL + timedelta(minutes=3),
                next_deadline=deadline.due if deadline else None,
                deadline_kind=deadline.kind if deadline else None))
            conn.execute(text("UPDATE audit_head SET seq = 3, hash = :h"), {"h": prev})


def test_an_old_store_is_sealed_once_and_keeps_working(database_url: str, key: bytes,
                                                       fixture_rules: Rules) -> None:
    engine = connect(database_url)
    _old_store(engine, Cipher(key), fixture_rules)
    assert _revision(engine) == "0001"
    service = CaseService(engine, Cipher(key), rules=fixture_rules)
    try:
        assert _revision(engine) == "0002"
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT seq, kind, scheme FROM case_events ORDER BY seq"))
            assert [tuple(r) for r in rows] == [
                (1, "user_added", LEGACY), (2, "open", LEGACY), (3, "note", LEGACY),
                (4, "chain_keyed", KEYED)]
        report = service.verify()
        assert report.ok, report
        assert service.get(OFFICER, 1).notes[0].text == "called the consulate"
        service.act(OFFICER, 1, "note", {"text": "after the upgrade"}, 2)
        assert service.verify().ok and service.verify().chain.events == 5
        migrate(engine, Cipher(key))  # again: nothing more is sealed
        assert service.verify().chain.events == 5
    finally:
        service.close()


def test_an_old_event_rewritten_after_the_upgrade_is_found(database_url: str, key: bytes,
                                                           fixture_rules: Rules) -> None:
    engine = connect(database_url)
    _old_store(engine, Cipher(key), fixture_rules)
    service = CaseService(engine, Cipher(key), rules=fixture_rules)
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                conn.execute(text("DROP TRIGGER case_events_no_update"))
            else:
                conn.execute(text("DROP TRIGGER case_events_no_change ON case_events"))
            prev = GENESIS
            rows = conn.execute(sa.select(_EVENTS).where(_EVENTS.c.seq <= 3)
                                .order_by(_EVENTS.c.seq)).mappings().all()
            for row in rows:  # the actor of the note changed, the plain hashes recomputed
                actor = "mallory" if row["seq"] == 3 else row["actor"]
                digest = legacy_digest(row["seq"], row["case_id"], row["case_version"],
                                       row["kind"], actor, row["role"], row["recorded_at"],
                                       row["payload"], prev)
                conn.execute(sa.update(_EVENTS).where(_EVENTS.c.seq == row["seq"])
                             .values(actor=actor, prev_hash=prev, hash=digest))
                prev = digest
        chain = service.verify().chain
        assert (chain.ok, chain.first_broken) == (False, 4)
        assert chain.reason == "its link to the previous event does not match"
    finally:
        service.close()


def test_an_old_store_is_not_sealed_with_a_wrong_key_or_none(database_url: str, key: bytes,
                                                             fixture_rules: Rules) -> None:
    engine = connect(database_url)
    _old_store(engine, Cipher(key), fixture_rules)
    with pytest.raises(StoreError, match="opens none of the 3 events"):
        CaseService(engine, Cipher(os.urandom(32)), rules=fixture_rules)
    assert _revision(engine) == "0001"  # nothing was changed
    with pytest.raises(StoreError, match="needs the cases key"):
        migrate(engine)
    assert _revision(engine) == "0001"
    CaseService(engine, Cipher(key), rules=fixture_rules).close()
    assert _revision(engine) == "0002"


def test_a_new_store_keys_its_head_at_once(database_url: str, key: bytes) -> None:
    engine = connect(database_url)
    migrate(engine, Cipher(key))
    with engine.connect() as conn:
        seq, mac = conn.execute(text("SELECT seq, mac FROM audit_head")).one()
    assert seq == 0 and mac is not None
    engine.dispose()
