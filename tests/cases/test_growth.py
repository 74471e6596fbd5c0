"""A long case stays cheap: a write folds only the events since the case's snapshot (none, when
this process still holds the case as the store has it), and the timeline comes in pages (API
and case page). Snapshots are checked, never trusted blindly: one
that does not open, or that differs from the replayed trail, is ignored on reading and named by
`verify`, and rebuilding them needs an intact chain."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, text
from typer.testing import CliRunner

from admit.api.cases import router as api
from admit.cases import Case, CaseService, StoreError
from admit.cases.crypto import Cipher
from admit.cases.db import connect
from admit.cases.fold import replay
from admit.cases.snapshots import SNAPSHOT_EVERY
from admit.cli import app as cli
from admit.rules import Rules
from admit.web.cases import router as pages
from tests.cases.conftest import OFFICER, key_text, refusal
from tests.cases.pages import sign_in
from tests.cases.workflow import do

NOTES = 150


def _long_case(service: CaseService, notes: int = NOTES) -> Case:
    case = do(service, service.open(OFFICER, refusal()), "propose_removal")
    for n in range(notes):
        case = service.act(OFFICER, case.id, "note", {"text": f"note {n}"}, case.version)
    return case


def _opened_during(service: CaseService, call: object) -> int:
    """How many sealed payloads `call()` opened."""
    cipher = service.store.cipher
    original = cipher.open
    count = 0

    def counting(*args: object, **kwargs: object) -> bytes:
        nonlocal count
        count += 1
        return original(*args, **kwargs)  # type: ignore[arg-type]

    cipher.open = counting  # type: ignore[method-assign]
    try:
        assert callable(call)
        call()
    finally:
        cipher.open = original  # type: ignore[method-assign]
    return count


def _full_replay(service: CaseService, case_id: int) -> Case:
    with service.store.reading() as session:
        return replay([s.event for s in service.store.events(session, case_id)])


def test_a_write_folds_only_the_events_since_the_snapshot(service: CaseService) -> None:
    case = _long_case(service)
    service.store.recent.clear()  # as in a process that has not seen the case yet
    opened = _opened_during(service, lambda: service.act(OFFICER, case.id, "note",
                                                         {"text": "one more"}, case.version))
    assert 1 <= opened <= SNAPSHOT_EVERY, opened  # its snapshot and what came after, not 153
    again = _opened_during(service, lambda: service.act(OFFICER, case.id, "note",
                                                        {"text": "and more"}))
    assert again == 0  # the case as this process left it, still the one in the store
    read = service.get(OFFICER, case.id)
    assert read == _full_replay(service, case.id)
    assert [n.text for n in read.notes][-3:] == [f"note {NOTES - 1}", "one more", "and more"]
    assert service.verify().ok


def test_a_case_kept_in_memory_is_not_used_once_the_store_moved_on(
        service: CaseService, database_url: str, key: bytes, fixture_rules: Rules) -> None:
    case = _long_case(service, 40)
    other = CaseService(connect(database_url), Cipher(key), rules=fixture_rules)
    try:
        other.act(OFFICER, case.id, "note", {"text": "from another process"})
    finally:
        other.close()
    mine = service.act(OFFICER, case.id, "note", {"text": "from this one"})
    assert [n.text for n in mine.notes][-2:] == ["from another process", "from this one"]
    assert service.get(OFFICER, case.id) == _full_replay(service, case.id)
    with service.store.engine.begin() as conn:
        _drop_guards(conn)
        conn.execute(text("UPDATE case_events SET actor = 'mallory' WHERE case_id = :c AND "
                          "case_version = :v"), {"c": case.id, "v": mine.version})
        conn.execute(text("UPDATE case_events SET hash = :h WHERE case_id = :c AND "
                          "case_version = :v"), {"h": "e" * 64, "c": case.id, "v": mine.version})
    with pytest.raises(StoreError, match="does not open"):  # rebuilt, not served from memory
        service.get(OFFICER, case.id)


def _drop_guards(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        conn.execute(text("DROP TRIGGER case_events_no_update"))
    else:
        conn.execute(text("DROP TRIGGER case_events_no_change ON case_events"))


def _corrupt_snapshot(conn: Connection, case_id: int) -> None:
    sealed = conn.execute(text("SELECT state FROM case_snapshots WHERE case_id = :c"),
                          {"c": case_id}).scalar_one()
    # A character in the middle of the base64 text: all six of its bits are data (one next
    # to the padding may carry only padding bits, and changing it would change nothing).
    middle = len(sealed) // 2
    flipped = sealed[:middle] + ("A" if sealed[middle] != "A" else "B") + sealed[middle + 1:]
    conn.execute(text("UPDATE case_snapshots SET state = :s WHERE case_id = :c"),
                 {"s": flipped, "c": case_id})


def test_a_bad_snapshot_is_ignored_named_by_verify_and_rebuilt(service: CaseService) -> None:
    case = _long_case(service)
    with service.store.engine.begin() as conn:
        _corrupt_snapshot(conn, case.id)
    service.store.recent.clear()
    assert service.get(OFFICER, case.id) == _full_replay(service, case.id)
    report = service.verify()
    assert report.chain.ok and not report.ok
    assert any(f"case {case.id}: its snapshot" in p for p in report.problems), report.problems
    assert service.rebuild_snapshots() == 1
    assert service.verify().ok


def test_a_snapshot_moved_to_another_case_does_not_open(service: CaseService) -> None:
    first = _long_case(service, 40)
    second = _long_case(service, 40)
    with service.store.engine.begin() as conn:
        sealed = conn.execute(text("SELECT state, version, seq FROM case_snapshots "
                                   "WHERE case_id = :c"), {"c": first.id}).one()
        conn.execute(text("UPDATE case_snapshots SET state = :s, version = :v, seq = :q "
                          "WHERE case_id = :c"),
                     {"s": sealed[0], "v": sealed[1], "q": sealed[2], "c": second.id})
    service.store.recent.clear()
    assert service.get(OFFICER, second.id) == _full_replay(service, second.id)
    assert not service.verify().ok


def test_snapshots_are_not_rebuilt_over_a_broken_chain(service: CaseService) -> None:
    _long_case(service, 40)
    with service.store.engine.begin() as conn:
        _drop_guards(conn)
        conn.execute(text("UPDATE case_events SET actor = 'mallory' WHERE seq = 5"))
    with pytest.raises(StoreError, match="audit trail is broken"):
        service.rebuild_snapshots()


@pytest.fixture
def client(service: CaseService) -> Iterator[TestClient]:
    app = FastAPI()
    app.state.case_service = service
    app.include_router(api)
    app.include_router(pages)
    with TestClient(app) as test_client:
        yield test_client


def test_the_api_pages_the_timeline(client: TestClient, service: CaseService) -> None:
    case = _long_case(service)
    headers = {"Authorization": f"Bearer {service.add_user('reader', 'auditor')}"}
    whole = client.get(f"/v1/cases/{case.id}", headers=headers).json()
    assert len(whole["timeline"]) == 100
    assert whole["timeline_page"] == {"offset": 0, "limit": 100, "total": NOTES + 2}
    assert len(whole["notes"]) == NOTES  # the case itself is whole
    page = client.get(f"/v1/cases/{case.id}", params={"limit": 2, "offset": 1},
                      headers=headers).json()
    assert [(e["version"], e["kind"]) for e in page["timeline"]] == [
        (2, "propose_removal"), (3, "note")]
    events = client.get(f"/v1/cases/{case.id}/events", params={"limit": 5, "offset": 150},
                        headers=headers).json()
    assert [e["version"] for e in events["events"]] == [151, 152]
    assert (events["offset"], events["limit"], events["total"]) == (150, 5, NOTES + 2)
    for bad in ({"limit": 0}, {"limit": 1001}, {"offset": -1}, {"limit": "x"}):
        answer = client.get(f"/v1/cases/{case.id}/events", params=bad, headers=headers)
        assert answer.status_code == 422, bad


def test_the_openapi_document_describes_the_paging(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/v1/cases/{case_id}", "/v1/cases/{case_id}/events"):
        names = {p["name"] for p in spec["paths"][path]["get"]["parameters"]}
        assert {"limit", "offset"} <= names, path


def test_the_case_page_shows_one_page_of_the_timeline(client: TestClient,
                                                      service: CaseService) -> None:
    case = _long_case(service)
    sign_in(client, service.add_user("web", "officer"))
    first = client.get(f"/cases/{case.id}").text
    assert len(re.findall(r'<li><time datetime=', first)) == 100
    assert f'href="/cases/{case.id}?offset=100&amp;limit=100"' in first
    last = client.get(f"/cases/{case.id}", params={"offset": 100}).text
    assert len(re.findall(r'<li><time datetime=', last)) == NOTES + 2 - 100
    assert f"note {NOTES - 1}" in last and f'href="/cases/{case.id}?offset=0&amp;limit=100"' in last
    bad = client.get(f"/cases/{case.id}", params={"offset": "1.5"})
    assert bad.status_code == 422 and "offset" in bad.text


def test_verify_on_the_command_line_names_and_rebuilds_a_bad_snapshot(
        service: CaseService, database_url: str, key: bytes, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIT_DATABASE_URL", database_url)
    monkeypatch.setenv("ADMIT_CASES_KEY", key_text(key))
    monkeypatch.setenv("ADMIT_DATA_DIR", str(tmp_path / "var"))
    case = _long_case(service, 40)
    with service.store.engine.begin() as conn:
        _corrupt_snapshot(conn, case.id)
    runner = CliRunner()
    found = runner.invoke(cli, ["cases", "verify"])
    assert found.exit_code == 1
    assert f"problem: case {case.id}: its snapshot at version 32 does not open" in found.stdout
    rebuilt = runner.invoke(cli, ["cases", "verify", "--rebuild-snapshots"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "snapshots rebuilt: 1" in rebuilt.stderr and "audit trail intact" in rebuilt.stdout
