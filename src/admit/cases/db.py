"""Connecting to the case store and bringing its schema up to date.

Why: the embedded default must work on a fresh machine with nothing configured — SQLite in
the data directory (ADMIT_DATA_DIR, default ./var) — and production must run on PostgreSQL
when ADMIT_DATABASE_URL names one. SQLite is set up so that an acknowledged write survives
kill -9 (WAL journal, synchronous=FULL) and writers queue instead of failing (a busy timeout,
and write transactions that take the write lock at BEGIN, so two writers can never deadlock
upgrading read locks). The SQLite files are private (0600, a new data directory 0700): they
hold the sealed cases and the audit trail. Migrations (Alembic, shipped in the package) run on
first use, under a lock, so two processes starting together cannot both create the schema;
they get the cases key, which sealing the events of an older store under the chain key needs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.exc import ArgumentError

from admit.cases.errors import StoreError
from admit.cases.files import private_database

if TYPE_CHECKING:
    from admit.cases.crypto import Cipher

DATA_DIR_ENV = "ADMIT_DATA_DIR"
DATABASE_URL_ENV = "ADMIT_DATABASE_URL"
WRITE = "admit_write"  # the execution option that makes a SQLite transaction BEGIN IMMEDIATE
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_LOCK_ID = 0x61646D69  # "admi": the advisory lock the migrations take on PostgreSQL


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    return Path(env.get(DATA_DIR_ENV) or "var").resolve()


def database_url(environ: Mapping[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    return env.get(DATABASE_URL_ENV) or f"sqlite:///{data_dir(env) / 'admit.db'}"


def connect(url: str, **options: Any) -> Engine:
    """An Engine for a SQLite or PostgreSQL URL (`postgresql://` means psycopg 3)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError("ADMIT_DATABASE_URL is not a database URL") from None
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_pre_ping=True, **options)
    if backend != "sqlite":
        raise StoreError(f"the case store runs on sqlite or postgresql, not {backend}")
    if parsed.database and parsed.database != ":memory:":
        private_database(Path(parsed.database))
    engine = create_engine(parsed, connect_args={"timeout": 60}, **options)
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling is switched off so that `_sqlite_begin` decides
    # how each transaction begins.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=60000")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    mode = "IMMEDIATE" if conn.get_execution_options().get(WRITE) else "DEFERRED"
    conn.exec_driver_sql(f"BEGIN {mode}")


def migrate(engine: Engine, cipher: Cipher | None = None) -> None:
    """Bring the schema to the newest revision (a no-op when it is there already). `cipher`
    holds the cases key; without it a store that already holds events cannot be upgraded to
    the keyed chain."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["cipher"] = cipher
    with engine.connect() as conn:
        conn.execution_options(**{WRITE: True})
        with conn.begin():
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
