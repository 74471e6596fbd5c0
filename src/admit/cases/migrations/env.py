"""Alembic's environment: migrate over the connection `admit.cases.db.migrate` hands in.

Why: migrations run from inside the application (on first use), never from an alembic.ini, so
this script only takes the open, already locked connection and runs the revisions on it.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from admit.cases.models import Base

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("run the case store's migrations through admit.cases.db.migrate")
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
