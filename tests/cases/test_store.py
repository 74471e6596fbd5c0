"""The store: encryption at rest, the append-only hash-chained trail, verification of it, the
migrations, and the key file — on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from admit.cases import CaseService, StoreError
from admit.cases.crypto import KEY_FILE, Cipher, load_key
from admit.cases.db import connect, migrate
from admit.cases.models import Base
from admit.rules import Rules
from tests.cases.conftest import OFFICER, key_text, refusal
from tests.cases.workflow import do

SECRETS = ("TESTPERSON", "ALEX", "X0000001", "1980-01-01", "Nationals of ZZC")


def _story(service: CaseService) -> int:
    case = service.open(OFFICER, refusal())
    case = do(service, case, "propose_removal")
    do(service, case, "lodge_claim")
    return case.id


def _drop_guards(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        conn.execute(text("DROP TRIGGER case_events_no_update"))
        conn.execute(text("DROP TRIGGER case_events_no_delete"))
    else:
        conn.execute(text("DROP TRIGGER case_events_no_change ON case_events"))


def test_personal_data_is_sealed_at_rest(service: CaseService, database_url: str) -> None:
    _story(service)
    dump: list[str] = []
    with service.store.engine.connect() as conn:
        for table in ("cases", "case_events", "audit_head", "users"):
            for row in conn.execute(text(f"SELECT * FROM {table}")):
                dump.extend(str(value) for value in row)
    text_of_tables = "\n".join(dump)
    for secret in SECRETS:
        assert secret not in text_of_tables
    if database_url.startswith("sqlite"):
        service.close()
        path = Path(database_url.removeprefix("sqlite:///"))
        raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
        for secret in SECRETS:
            assert secret.encode() not in raw
    assert service.get(OFFICER, 1).refusal.person.surname == "TESTPERSON"


def test_the_trail_is_append_only(service: CaseService) -> None:
    _story(service)
    for statement in ("UPDATE case_events SET actor = 'someone' WHERE seq = 1",
                      "DELETE FROM case_events WHERE seq = 2"):
        with pytest.raises(DBAPIError, match="append-only"), \
                service.store.engine.begin() as conn:
            conn.execute(text(statement))
    assert service.verify().ok


def test_verify_names_the_first_altered_event(service: CaseService) -> None:
    _story(service)
    assert service.verify().chain.events == 3
    with service.store.engine.begin() as conn:
        _drop_guards(conn)
        conn.execute(text("UPDATE case_events SET actor = 'mallory' WHERE seq = 2"))
    report = service.verify()
    assert not report.ok
    assert (report.chain.first_broken, report.chain.reason) == (
        2, "its contents do not match its MAC (altered, or written with another key)")


def test_verify_finds_a_removed_event_and_a_cut_tail(service: CaseService) -> None:
    _story(service)
    with service.store.engine.begin() as conn:
        _drop_guards(conn)
        conn.execute(text("DELETE FROM case_events WHERE seq = 2"))
    middle = service.verify().chain
    assert (middle.first_broken, middle.reason) == (2, "event 2 is missing (found 3 next)")
    with service.store.engine.begin() as conn:
        conn.execute(text("DELETE FROM case_events WHERE seq >= 2"))
    tail = service.verify().chain
    assert (tail.ok, tail.first_broken) == (False, 2)
    assert "head records 3 events but 1 were found" in tail.reason


def test_verify_finds_a_sealed_payload_moved_between_events(service: CaseService) -> None:
    _story(service)
    with service.store.engine.begin() as conn:
        _drop_guards(conn)
        payload = conn.execute(text("SELECT payload FROM case_events WHERE seq = 2")).scalar()
        conn.execute(text("UPDATE case_events SET payload = :p WHERE seq = 3"), {"p": payload})
    report = service.verify()
    assert report.chain.first_broken == 3
    assert any("event 3" in p and "does not open" in p for p in report.problems)


def test_verify_finds_a_case_edited_beside_its_trail(service: CaseService) -> None:
    case_id = _story(service)
    with service.store.engine.begin() as conn:
        conn.execute(text("UPDATE cases SET state = 'admitted' WHERE id = :id"),
                     {"id": case_id})
    report = service.verify()
    assert report.chain.ok and not report.ok
    [problem] = report.problems
    assert problem.startswith(f"case {case_id}: stored state/version/deadline admitted/3/")
    assert "differ from its events' removal_proposed/3/" in problem


def test_a_wrong_key_cannot_read_a_case(service: CaseService, database_url: str,
                                        fixture_rules: Rules) -> None:
    case_id = _story(service)
    other = CaseService(connect(database_url), Cipher(os.urandom(32)), rules=fixture_rules)
    try:
        with pytest.raises(StoreError, match="does not open"):
            other.get(OFFICER, case_id)
    finally:
        other.close()


def test_migrations_match_the_models_and_run_once(service: CaseService) -> None:
    engine = service.store.engine
    migrate(engine)  # again: a no-op
    with engine.connect() as conn:
        context = MigrationContext.configure(conn)
        assert context.get_current_revision() == "0002"
        assert compare_metadata(context, Base.metadata) == []


def test_sqlite_is_durable_by_default(tmp_path: Path, fixture_rules: Rules) -> None:
    env = {"ADMIT_DATA_DIR": str(tmp_path / "data")}
    svc = CaseService.from_env(env, rules=fixture_rules)
    try:
        with svc.store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    finally:
        svc.close()
    assert (tmp_path / "data" / "admit.db").is_file()


def test_the_key_file_is_created_private_and_reused(tmp_path: Path) -> None:
    first = load_key(tmp_path, {})
    path = tmp_path / KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_key(tmp_path, {}) == first
    path.chmod(0o644)
    with pytest.raises(StoreError, match="readable by others"):
        load_key(tmp_path, {})


def test_the_key_can_come_from_the_environment(tmp_path: Path, key: bytes) -> None:
    assert load_key(tmp_path, {"ADMIT_CASES_KEY": key_text(key)}) == key
    assert not (tmp_path / KEY_FILE).exists()
    with pytest.raises(StoreError, match="ADMIT_CASES_KEY: the key must be 32 bytes"):
        load_key(tmp_path, {"ADMIT_CASES_KEY": key_text(key[:16])})


def test_unknown_databases_are_refused() -> None:
    with pytest.raises(StoreError, match="sqlite or postgresql, not mysql"):
        connect("mysql://user@localhost/admit")
    with pytest.raises(StoreError, match="not a database URL"):
        connect("nonsense")
