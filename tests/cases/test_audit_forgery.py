"""An attacker who can write the database but does not hold the cases key: whatever they
rewrite, cut off or roll back, `verify` (and a head recorded outside the database) finds it.

The attacker here knows the code: how the unkeyed SHA-256 chain of earlier versions was
computed, the tables, and how to drop the append-only triggers. They lack only the key.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, inspect, text
from typer.testing import CliRunner

from admit.cases import CaseService, StoreError
from admit.cases.crypto import Cipher
from admit.cases.db import connect
from admit.cli import app as cli
from admit.rules import Rules
from tests.cases.conftest import OFFICER, key_text, refusal
from tests.cases.workflow import do


def _story(service: CaseService) -> int:
    case = service.open(OFFICER, refusal())
    case = do(service, case, "propose_removal")
    case = do(service, case, "lodge_claim")
    do(service, case, "note")
    return case.id


def _drop_guards(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        conn.execute(text("DROP TRIGGER case_events_no_update"))
        conn.execute(text("DROP TRIGGER case_events_no_delete"))
    else:
        conn.execute(text("DROP TRIGGER case_events_no_change ON case_events"))


def _plain_hash(row: dict[str, Any], prev: str) -> str:
    """The unkeyed event hash: SHA-256 over the event's fields and the previous hash."""
    at = row["recorded_at"]
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    body = json.dumps([row["seq"], row["case_id"], row["case_version"], row["kind"],
                       row["actor"], row["role"], at.isoformat(timespec="microseconds"),
                       row["payload"], prev], ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(body.encode("ascii")).hexdigest()


def _rechain(conn: Connection, start: int, *, downgrade: bool) -> None:
    """Recompute the hash and link of every event from `start` on, and the head, the unkeyed
    way; `downgrade` also marks those events as of the unkeyed scheme, where the table has
    that column."""
    columns = {c["name"] for c in inspect(conn).get_columns("case_events")}
    if downgrade and "scheme" in columns:
        conn.execute(text("UPDATE case_events SET scheme = 1 WHERE seq >= :s"), {"s": start})
    prev = conn.execute(text("SELECT hash FROM case_events WHERE seq = :s"),
                        {"s": start - 1}).scalar_one_or_none() or "0" * 64
    rows = conn.execute(text("SELECT * FROM case_events ORDER BY seq")).mappings().all()
    for row in rows[start - 1:]:
        digest = _plain_hash(dict(row), prev)
        conn.execute(text("UPDATE case_events SET prev_hash = :p, hash = :h WHERE seq = :s"),
                     {"p": prev, "h": digest, "s": row["seq"]})
        prev = digest
    conn.execute(text("UPDATE audit_head SET seq = :n, hash = :h"), {"n": len(rows), "h": prev})
    head_columns = {c["name"] for c in inspect(conn).get_columns("audit_head")}
    if downgrade and "mac" in head_columns:
        conn.execute(text("UPDATE audit_head SET mac = NULL"))


@pytest.mark.parametrize("downgrade", [False, True], ids=["same-scheme", "as-unkeyed"])
@pytest.mark.parametrize("column,value", [("actor", "mallory"), ("role", "supervisor"),
                                          ("kind", "note")])
def test_rewritten_metadata_with_a_recomputed_chain_is_found(
        service: CaseService, column: str, value: str, downgrade: bool) -> None:
    _story(service)
    assert service.verify().ok
    with service.store.engine.begin() as conn:
        _drop_guards(conn)
        conn.execute(text(f"UPDATE case_events SET {column} = :v WHERE seq = 3"), {"v": value})
        _rechain(conn, 3, downgrade=downgrade)
    report = service.verify()
    assert not report.ok
    assert report.chain.first_broken == 3
    assert report.chain.reason == ("an unkeyed event after keyed ones (forged)" if downgrade
                                   else "its contents do not match its MAC (altered, or "
                                   "written with another key)")


def test_a_trail_rewritten_whole_as_unkeyed_is_found(service: CaseService) -> None:
    _story(service)
    with service.store.engine.begin() as conn:
        _drop_guards(conn)
        conn.execute(text("UPDATE case_events SET actor = 'mallory' WHERE seq = 3"))
        _rechain(conn, 1, downgrade=True)
    report = service.verify()
    assert not report.ok
    assert "ends with unkeyed events" in report.chain.reason
    assert any("event 1" in p and "does not open" in p for p in report.problems)
    with pytest.raises(StoreError, match="does not open"):
        service.act(OFFICER, 1, "note", {"text": "x"})
    with pytest.raises(StoreError, match="head carries no MAC"):  # nothing is chained onto it
        service.add_user("someone", "officer")


def test_rewritten_metadata_does_not_open_even_if_the_chain_were_not_checked(
        service: CaseService) -> None:
    case_id = _story(service)
    with service.store.engine.begin() as conn:
        _drop_guards(conn)
        conn.execute(text("UPDATE case_events SET actor = 'mallory' WHERE seq = 2"))
    service.store.recent.clear()  # as a process that reads the case afresh
    with pytest.raises(StoreError, match="event 2 does not open"):
        service.get(OFFICER, case_id)


def test_a_cut_tail_with_a_recomputed_head_is_found(service: CaseService) -> None:
    _story(service)
    with service.store.engine.begin() as conn:
        _drop_guards(conn)
        conn.execute(text("DELETE FROM case_events WHERE seq > 3"))
        last = conn.execute(text("SELECT hash FROM case_events WHERE seq = 3")).scalar_one()
        conn.execute(text("UPDATE audit_head SET seq = 3, hash = :h"), {"h": last})
        conn.execute(text("UPDATE cases SET version = 3"))
    report = service.verify()
    assert not report.ok


def _backup(conn: Connection) -> dict[str, list[dict[str, Any]]]:
    return {table: [dict(r) for r in conn.execute(text(f"SELECT * FROM {table}")).mappings()]
            for table in ("audit_head", "cases", "case_snapshots")}


def _roll_back(conn: Connection, backup: dict[str, list[dict[str, Any]]], events: int) -> None:
    """Put the store back as a backup had it: the later events deleted, the head, the case
    rows and the snapshots as they were then — a store consistent in itself."""
    _drop_guards(conn)
    conn.execute(text("DELETE FROM case_events WHERE seq > :n"), {"n": events})
    conn.execute(text("DELETE FROM case_snapshots"))
    for table, key in (("audit_head", "id"), ("cases", "id"), ("case_snapshots", None)):
        for row in backup[table]:
            if key is None:
                names, values = ", ".join(row), ", ".join(f":{name}" for name in row)
                conn.execute(text(f"INSERT INTO {table} ({names}) VALUES ({values})"), row)
            else:
                sets = ", ".join(f"{name} = :{name}" for name in row if name != key)
                conn.execute(text(f"UPDATE {table} SET {sets} WHERE {key} = :{key}"), row)


def test_a_rollback_to_an_older_store_is_found_by_the_recorded_head(
        service: CaseService) -> None:
    case_id = _story(service)
    with service.store.engine.connect() as conn:
        backup = _backup(conn)
    events = service.verify().chain.events
    service.act(OFFICER, case_id, "note", {"text": "said more"})
    service.act(OFFICER, case_id, "note", {"text": "and more"})
    recorded = service.verify().chain.head
    assert recorded.events == events + 2
    with service.store.engine.begin() as conn:
        _roll_back(conn, backup, events)
    assert service.verify().ok  # consistent in itself: only the recorded head can tell
    report = service.verify(recorded)
    assert not report.ok and report.chain.first_broken == events + 1
    assert f"recorded head {recorded.text} names event {events + 2}" in report.chain.reason


def test_the_recorded_head_holds_while_the_trail_grows(service: CaseService) -> None:
    case_id = _story(service)
    recorded = service.verify().chain.head
    service.act(OFFICER, case_id, "note", {"text": "later"})
    assert service.verify(recorded).ok
    with service.store.engine.begin() as conn:
        _drop_guards(conn)
        conn.execute(text("UPDATE case_events SET hash = :h WHERE seq = :n"),
                     {"h": "f" * 64, "n": recorded.events})
    report = service.verify(recorded)
    assert not report.ok and report.chain.first_broken == recorded.events


def test_a_cut_tail_is_refused_by_the_next_write(service: CaseService) -> None:
    _story(service)
    with service.store.engine.begin() as conn:
        _drop_guards(conn)
        conn.execute(text("DELETE FROM case_events WHERE seq > 2"))
        last = conn.execute(text("SELECT hash FROM case_events WHERE seq = 2")).scalar_one()
        conn.execute(text("UPDATE audit_head SET seq = 2, hash = :h"), {"h": last})
    assert "head's MAC does not match" in service.verify().chain.reason
    with pytest.raises(StoreError, match="head does not match the cases key"):
        service.add_user("someone", "officer")


def test_another_key_writes_nothing(service: CaseService, database_url: str,
                                    fixture_rules: Rules) -> None:
    _story(service)
    before = service.verify().chain.events
    other = CaseService(connect(database_url), Cipher(os.urandom(32)), rules=fixture_rules)
    try:
        with pytest.raises(StoreError, match="does not match the cases key"):
            other.add_user("someone", "officer")
    finally:
        other.close()
    assert service.verify().ok and service.verify().chain.events == before


@pytest.fixture
def cli_env(database_url: str, key: bytes, tmp_path: Path,
            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIT_DATABASE_URL", database_url)
    monkeypatch.setenv("ADMIT_CASES_KEY", key_text(key))
    monkeypatch.setenv("ADMIT_DATA_DIR", str(tmp_path / "var"))


@pytest.mark.usefixtures("cli_env")
def test_verify_head_and_expect_head_on_the_command_line(service: CaseService) -> None:
    runner = CliRunner()
    case_id = _story(service)
    with service.store.engine.connect() as conn:
        backup = _backup(conn)
    events = service.verify().chain.events
    service.act(OFFICER, case_id, "note", {"text": "said more"})
    printed = runner.invoke(cli, ["cases", "verify", "--head"])
    assert printed.exit_code == 0, printed.output
    head = printed.stdout.strip()
    assert re.fullmatch(rf"{events + 1}:[0-9a-f]{{64}}", head)
    held = runner.invoke(cli, ["cases", "verify", "--expect-head", head])
    assert held.exit_code == 0 and f"it holds the recorded head {head}" in held.stdout
    with service.store.engine.begin() as conn:
        _roll_back(conn, backup, events)
    assert runner.invoke(cli, ["cases", "verify"]).exit_code == 0
    cut = runner.invoke(cli, ["cases", "verify", "--expect-head", head])
    assert cut.exit_code == 1
    assert f"audit trail BROKEN at event {events + 1}" in cut.stdout
    assert "events were cut off" in cut.stdout
    bad = runner.invoke(cli, ["cases", "verify", "--expect-head", "seven"])
    assert bad.exit_code == 2 and "--expect-head" in bad.stderr and "'seven'" in bad.stderr
