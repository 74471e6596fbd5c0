"""`admit users …` and `admit cases …` end to end, on both databases (real data set)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from admit.cli import app
from tests.cases.conftest import key_text
from tests.cases.test_story import REFUSAL

runner = CliRunner()


@pytest.fixture
def env(database_url: str, key: bytes, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = {"ADMIT_DATABASE_URL": database_url, "ADMIT_CASES_KEY": key_text(key),
              "ADMIT_DATA_DIR": str(tmp_path / "var")}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("ADMIT_TOKEN", raising=False)
    return values


def run(*args: str, stdin: str | None = None) -> Result:
    return runner.invoke(app, list(args), input=stdin)


def add_user(name: str, role: str) -> str:
    result = run("users", "add", name, "--role", role)
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


def test_users_add_prints_the_token_once(env: dict[str, str]) -> None:
    token = add_user("sam", "supervisor")
    assert token.startswith("admit_") and len(token) > 40
    assert "keep the token" in run("users", "add", "olga", "--role", "officer").stderr
    listed = run("users", "list", "--json")
    assert [(u["name"], u["role"]) for u in json.loads(listed.stdout)] == [
        ("olga", "officer"), ("sam", "supervisor")]
    assert token not in listed.stdout
    duplicate = run("users", "add", "sam", "--role", "officer")
    assert duplicate.exit_code == 2 and "a user with this name exists" in duplicate.stderr
    bad_role = run("users", "add", "tom", "--role", "admiral")
    assert bad_role.exit_code == 2 and "one of officer, supervisor, auditor" in bad_role.stderr
    assert run("users", "revoke", "sam").exit_code == 0
    refused = run("cases", "list", "--token", token)
    assert refused.exit_code == 1 and "UNAUTHENTICATED" in refused.stderr


def test_the_story_on_the_command_line(env: dict[str, str]) -> None:
    officer, supervisor = add_user("olga", "officer"), add_user("sam", "supervisor")
    opened = run("cases", "open", "--json", "-", "--token", officer, stdin=json.dumps(REFUSAL))
    assert opened.exit_code == 0, opened.output
    case = json.loads(opened.stdout)
    assert case["refusal"]["decision"]["status"] == "inadmissible"
    assert run("cases", "act", "1", "propose_removal", "destination=KAZ", "date=2023-02-28",
               "--token", officer).exit_code == 0
    denied = run("cases", "act", "1", "approve_removal", "--token", officer)
    assert denied.exit_code == 1 and "FORBIDDEN" in denied.stderr
    stale = run("cases", "act", "1", "approve_removal", "--version", "1", "--token", supervisor)
    assert stale.exit_code == 1 and "VERSION_CONFLICT" in stale.stderr
    assert run("cases", "act", "1", "approve_removal", "--version", "2",
               "--token", supervisor).exit_code == 0
    assert run("cases", "act", "1", "request_deferral", "requested_by=the person",
               "requested_at=2023-02-27T12:00:00+08:00", "reason=written request",
               "until=2023-03-02", "--token", officer).exit_code == 0
    assert run("cases", "act", "1", "decide_deferral", "deferral=1", "granted=true",
               "new_date=2023-03-02", "--token", supervisor).exit_code == 0
    assert run("cases", "act", "1", "lodge_claim", "lodged_at=2023-02-28T10:00:00+08:00",
               "lodged_with=Border Guard", "feared_country=RUS", "decide_by=2023-03-09",
               "--token", officer).exit_code == 0
    removal = run("cases", "act", "1", "remove", "removed_at=2023-03-02T09:00:00+08:00",
                  "destination=KAZ", "how=EX 101", "--token", officer)
    assert removal.exit_code == 1 and "NON_REFOULEMENT_HOLD" in removal.stderr
    shown = run("cases", "show", "1", "--token", officer)
    assert "NON_REFOULEMENT_HOLD" in shown.stdout and "MINSK-1993" in shown.stdout
    due = json.loads(run("cases", "due", "--at", "2023-03-10", "--json",
                         "--token", officer).stdout)
    assert [(c["id"], c["next_deadline"]["kind"]) for c in due] == [(1, "notify_carrier")]
    assert json.loads(run("cases", "due", "--at", "2023-02-26", "--json",
                          "--token", officer).stdout) == []
    verified = run("cases", "verify")
    assert verified.exit_code == 0 and "audit trail intact: 8 events" in verified.stdout


def test_bad_fields_exit_2_naming_the_field(env: dict[str, str]) -> None:
    officer = add_user("olga", "officer")
    run("cases", "open", "--json", "-", "--token", officer, stdin=json.dumps(REFUSAL))
    bad = run("cases", "act", "1", "propose_removal", "destination=XQZ", "date=2023-02-28",
              "--token", officer)
    assert bad.exit_code == 2 and "destination: not an ICAO country code" in bad.stderr
    missing = run("cases", "act", "1", "note", "--token", officer)
    assert missing.exit_code == 2 and "text: Field required" in missing.stderr
    unknown = run("cases", "act", "1", "deport", "--token", officer)
    assert unknown.exit_code == 1 and "UNKNOWN_ACTION" in unknown.stderr
    assert run("cases", "act", "1", "note", "oops", "--token", officer).exit_code == 2
    assert "propose_removal" in run("cases", "actions").stdout


def test_verify_exits_1_and_names_the_broken_event(env: dict[str, str]) -> None:
    officer = add_user("olga", "officer")
    run("cases", "open", "--json", "-", "--token", officer, stdin=json.dumps(REFUSAL))
    from sqlalchemy import text

    from admit.cases.db import connect

    engine = connect(env["ADMIT_DATABASE_URL"])
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER case_events_no_update"))
        else:
            conn.execute(text("DROP TRIGGER case_events_no_change ON case_events"))
        conn.execute(text("UPDATE case_events SET role = 'supervisor' WHERE seq = 2"))
    engine.dispose()
    result = run("cases", "verify")
    assert result.exit_code == 1
    assert "audit trail BROKEN at event 2" in result.stdout
