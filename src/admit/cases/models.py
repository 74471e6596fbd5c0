"""The case store's tables, as SQLAlchemy 2 declarative models.

Why: the same schema runs on SQLite (the embedded default) and PostgreSQL (production); the
Alembic migrations in `migrations/versions` create it and a test keeps the two equal.
`case_events` is the record: append-only, chained under a key (`admit.cases.audit`), its data
sealed (`admit.cases.crypto`). `cases` holds only what lists need — state, version, next
deadline — and carries the version column SQLAlchemy uses for optimistic locking: an UPDATE
that finds another version changes nothing and the writer gets a conflict. `case_snapshots`
keeps each case's folded state, sealed and bound to the event it reflects, so a write replays
only the events after it; it is derived, checked and rebuildable, never the record.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on both databases (SQLite keeps no zone: it is restored here)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the case store")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class CaseRow(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(32))
    country: Mapped[str] = mapped_column(String(3))  # the refusing state
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    next_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    deadline_kind: Mapped[str | None] = mapped_column(String(40), nullable=True)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy's own form)
    __table_args__ = (Index("ix_cases_next_deadline", "next_deadline"),
                      Index("ix_cases_state", "state"))


class EventRow(Base):
    __tablename__ = "case_events"

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                     primary_key=True, autoincrement=False)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), nullable=True)
    case_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    kind: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    payload: Mapped[str] = mapped_column(Text)
    # `hash` is the event's MAC (its SHA-256 for events of scheme 1, written before the chain
    # had a key); `prev_hash` the one before it.
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    scheme: Mapped[int] = mapped_column(SmallInteger, server_default="1")

    __table_args__ = (UniqueConstraint("case_id", "case_version",
                                       name="uq_case_events_case_version"),)


class AuditHead(Base):
    """One row: the last event's sequence number and MAC, and a MAC over both (so a head set
    back by hand is found). Writers lock it, so the chain grows one event at a time even when
    two cases change at once."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    hash: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str | None] = mapped_column(String(64), nullable=True)


class SnapshotRow(Base):
    """A case's folded state after event `seq` (its version `version`), sealed with the case,
    version, event number and that event's MAC as associated data."""

    __tablename__ = "case_snapshots"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True,
                                         autoincrement=False)
    version: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    state: Mapped[str] = mapped_column(Text)
