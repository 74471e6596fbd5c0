"""The case workflow's one entry point: what the API, the CLI and the web pages call.

Why: the interfaces are thin shells (docs/design.md); authentication, role checks, the state
machine, the guards, the store and the audit trail meet here once, so an action taken from a
web form and the same action sent to the API cannot behave differently.
"""

from __future__ import annotations

import getpass
import os
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, select

from admit.cases import audit, commands, decide, fold, intake, machine, snapshots
from admit.cases.auth import User, check_name, new_token, parse_role, token_hash
from admit.cases.crypto import Cipher, load_key
from admit.cases.db import connect, data_dir, database_url, migrate
from admit.cases.domain import OPEN_STATES, Case, Role, State
from admit.cases.errors import Forbidden, StoreError, Unauthenticated, VersionConflict
from admit.cases.fold import Event
from admit.cases.models import AuditHead, CaseRow, EventRow, SnapshotRow, UserRow
from admit.cases.store import Link, Store
from admit.cases.verify import VerifyReport, verify_store
from admit.cases.views import Summary, case_json, event_json, page_json
from admit.errors import InputError
from admit.rules import Rules, load_rules

Clock = Callable[[], datetime]
ADMIN_ROLE = "admin"  # user administration happens locally, with access to the store itself
TIMELINE_LIMIT = 100  # events per page of a case's timeline, unless asked otherwise
TIMELINE_MAX = 1000


def utcnow() -> datetime:
    return datetime.now(UTC)


class CaseService:
    def __init__(self, engine: Engine, cipher: Cipher, rules: Rules | None = None,
                 clock: Clock = utcnow, *, run_migrations: bool = True) -> None:
        if run_migrations:
            migrate(engine, cipher)
        self.store = Store(engine, cipher)
        self._rules = rules
        self.clock = clock

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **options: Any) -> CaseService:
        """The store the environment names: ADMIT_DATABASE_URL, else SQLite in the data
        directory; the key from ADMIT_CASES_KEY, else the data directory's key file."""
        env = os.environ if environ is None else environ
        return cls(connect(database_url(env)), Cipher(load_key(data_dir(env), env)), **options)

    @property
    def rules(self) -> Rules:
        return self._rules if self._rules is not None else load_rules()

    def close(self) -> None:
        self.store.engine.dispose()

    # -- users --------------------------------------------------------------------------

    def add_user(self, name: str, role: str) -> str:
        """Add a user; returns the token, which is stored only as its hash."""
        check_name(name)
        parsed = parse_role(role)
        token = new_token()
        with self.store.writing() as session:
            if session.execute(select(UserRow).where(UserRow.name == name)).first():
                raise InputError("name", name, "a user with this name exists")
            now = self.clock()
            session.add(UserRow(name=name, role=parsed.value, token_hash=token_hash(token),
                                created_at=now))
            self.store.chain(session, None, None, "user_added", _local_actor(), ADMIN_ROLE,
                             now, {"name": name, "role": parsed.value})
        return token

    def revoke_user(self, name: str) -> None:
        with self.store.writing() as session:
            row = session.execute(select(UserRow).where(UserRow.name == name,
                                                        UserRow.revoked_at.is_(None))
                                  ).scalar_one_or_none()
            if row is None:
                raise InputError("name", name, "no active user with this name")
            now = self.clock()
            row.revoked_at = now
            self.store.chain(session, None, None, "user_revoked", _local_actor(), ADMIN_ROLE,
                             now, {"name": name})

    def users(self) -> list[dict[str, Any]]:
        with self.store.reading() as session:
            rows = session.execute(select(UserRow).order_by(UserRow.name)).scalars()
            return [{"name": r.name, "role": r.role, "created_at": r.created_at.isoformat(),
                     "revoked_at": r.revoked_at.isoformat() if r.revoked_at else None}
                    for r in rows]

    def authenticate(self, token: str | None) -> User:
        if not token:
            raise Unauthenticated("no API token (over HTTP: `Authorization: Bearer <token>`; "
                                  "on the command line: --token or ADMIT_TOKEN)")
        with self.store.reading() as session:
            row = session.execute(select(UserRow).where(
                UserRow.token_hash == token_hash(token.strip()),
                UserRow.revoked_at.is_(None))).scalar_one_or_none()
        if row is None:
            raise Unauthenticated("the API token is not valid (unknown or revoked)")
        return User(row.name, Role(row.role))

    # -- changes ------------------------------------------------------------------------

    def open(self, user: User, data: object) -> Case:
        act = machine.ACTIONS["open"]
        machine.authorize(act, user.role)
        rules = self.rules
        payload = commands.parse(commands.OpenCase, data, extra_codes=rules.extra_codes)
        refusal = intake.refusal(payload, rules)
        with self.store.writing() as session:
            now = self.clock()
            event = Event(0, 1, "open", user.name, user.role, now,
                          refusal.model_dump(mode="json"))
            return self.store.insert(session, event, fold.apply(None, event))

    def act(self, user: User, case_id: int, action: str, data: object,
            version: int | None = None) -> Case:
        """Take one action on a case. `version` is the version the caller saw: if the case
        changed since, VersionConflict (None: act on the case as it is now)."""
        act = machine.action(action)
        machine.authorize(act, user.role)
        rules = self.rules
        payload = commands.parse(act.payload, data if data is not None else {},
                                 extra_codes=rules.extra_codes)
        with self.store.writing() as session:
            loaded = self.store.load(session, case_id, lock=True)
            row, case = loaded.row, loaded.case
            if version is not None and version != row.version:
                raise VersionConflict(f"case {case_id} is at version {row.version}, not "
                                      f"{version}: read it again and retry")
            now = self.clock()
            ctx = decide.Context(user.name, user.role, now, rules)
            data_out = decide.prepare(case, act, payload, ctx)
            event = Event(case_id, row.version + 1, act.name, user.name, user.role, now,
                          data_out)
            changed = fold.apply(case, event)
            self.store.update(session, loaded, event, changed)
            return changed

    # -- reading ------------------------------------------------------------------------

    def get(self, user: User, case_id: int) -> Case:
        _reader(user)
        with self.store.reading() as session:
            return self.store.load(session, case_id).case

    def view(self, user: User, case_id: int, extra: tuple[str, ...] = (), *,
             limit: int = TIMELINE_LIMIT, offset: int = 0) -> dict[str, Any]:
        """The case as the API and the pages show it (see admit.cases.views), with one page
        of its timeline: `limit` events after the first `offset`."""
        _reader(user)
        _page(limit, offset)
        rules = self.rules
        if len(extra) > commands.MAX_ITEMS:
            raise InputError("consider", len(extra),
                             f"at most {commands.MAX_ITEMS} destinations at once")
        extras = tuple(commands.country_code(c, rules.extra_codes, "consider") for c in extra)
        with self.store.reading() as session:
            case = self.store.load(session, case_id).case
            page = self.store.events(session, case_id, after=offset, limit=limit)
        return case_json(case, user.role, rules, self.clock(),
                         [(s.seq, s.event) for s in page], extras,
                         page=(offset, limit, case.version))

    def timeline(self, user: User, case_id: int, *, limit: int = TIMELINE_LIMIT,
                 offset: int = 0) -> dict[str, Any]:
        """One page of a case's events, without rebuilding the case."""
        _reader(user)
        _page(limit, offset)
        with self.store.reading() as session:
            total = self.store.row(session, case_id).version
            page = self.store.events(session, case_id, after=offset, limit=limit)
        return {"id": case_id, "events": [event_json(s.seq, s.event) for s in page],
                **page_json(offset, limit, total)}

    def summaries(self, user: User, *, states: frozenset[State] | None = None,
                  due_by: datetime | None = None, limit: int = 500,
                  offset: int = 0) -> list[Summary]:
        """Cases ordered by their next deadline (none last), then by number."""
        _reader(user)
        query = select(CaseRow)
        if states:
            query = query.where(CaseRow.state.in_([s.value for s in states]))
        if due_by is not None:
            query = query.where(CaseRow.next_deadline <= due_by)
        query = query.order_by(CaseRow.next_deadline.is_(None), CaseRow.next_deadline,
                               CaseRow.id).limit(limit).offset(offset)
        with self.store.reading() as session:
            rows = list(session.execute(query).scalars())
            first = self.store.first_events(session, [r.id for r in rows])
        result = []
        for row in rows:
            person = first[row.id].data["person"] if row.id in first else {}
            result.append(Summary(row.id, row.version, row.state, row.country, row.opened_at,
                                  row.updated_at, row.next_deadline, row.deadline_kind,
                                  person.get("surname", ""), person.get("given_names", ""),
                                  tuple(person.get("nationalities", ()))))
        return result

    def due(self, user: User, at: datetime | None = None,
            within: timedelta = timedelta(0)) -> list[Summary]:
        """Open cases whose next deadline has passed at `at` (now) or falls within `within`."""
        moment = at if at is not None else self.clock()
        return self.summaries(user, states=OPEN_STATES, due_by=moment + within)

    def counts(self) -> dict[str, int]:
        with self.store.reading() as session:
            rows = session.execute(select(CaseRow.state, func.count()).group_by(CaseRow.state))
            return {state: count for state, count in rows.tuples()}

    def verify(self, expect: audit.Anchor | None = None) -> VerifyReport:
        """The audit report; `expect` is a head recorded earlier outside the database."""
        return verify_store(self.store, expect)

    def rebuild_snapshots(self) -> int:
        """Write every long case's snapshot afresh from its events alone; returns how many.
        Refused unless the chain verifies: a snapshot is never made from a broken trail."""
        report = verify_store(self.store)
        if not report.chain.ok:
            raise StoreError(f"the audit trail is broken at event {report.chain.first_broken}"
                             f" ({report.chain.reason}): snapshots are not rebuilt over it")
        with self.store.reading() as session:
            snapped = set(session.execute(select(SnapshotRow.case_id)).scalars())
            ids = [i for i, v in session.execute(select(CaseRow.id, CaseRow.version))
                   if i in snapped or v >= snapshots.SNAPSHOT_EVERY]
        for case_id in ids:
            with self.store.writing() as session:
                self.store.row(session, case_id, lock=True)
                case = self.store.replayed(session, case_id)
                last = session.execute(select(EventRow.seq, EventRow.hash).where(
                    EventRow.case_id == case_id, EventRow.case_version == case.version)).one()
                self.store.save_snapshot(session, case, Link(last.seq, last.hash))
        return len(ids)

    def chain_head(self) -> tuple[int, str]:
        with self.store.reading() as session:
            head = session.get(AuditHead, 1)
            if head is None:
                raise StoreError("the audit chain has no head record")
            return head.seq, head.hash

    def event_count(self) -> int:
        with self.store.reading() as session:
            return int(session.execute(select(func.count()).select_from(EventRow)).scalar_one())


_SHARED_LOCK = threading.Lock()


def shared_service(state: Any) -> CaseService:
    """The service an application serves cases with: `state.case_service` when the app (or a
    test) set one, else one built from the environment on first use and kept there."""
    found = getattr(state, "case_service", None)
    if isinstance(found, CaseService):
        return found
    with _SHARED_LOCK:
        found = getattr(state, "case_service", None)
        if not isinstance(found, CaseService):
            found = CaseService.from_env(rules=getattr(state, "rules", None))
            state.case_service = found
        return found


def _page(limit: int, offset: int) -> None:
    if not 1 <= limit <= TIMELINE_MAX:
        raise InputError("limit", limit, f"between 1 and {TIMELINE_MAX} events")
    if not 0 <= offset <= 2**31 - 1:
        raise InputError("offset", offset, "a number of events, from 0")


def _reader(user: User) -> None:
    """Every role reads everything (the auditor's whole job); a revoked or unknown token
    never gets this far."""
    if user.role not in Role:
        raise Forbidden(f"unknown role {user.role!r}")


def _local_actor() -> str:
    try:
        return f"local:{getpass.getuser()}"
    except (KeyError, OSError):
        return "local"

