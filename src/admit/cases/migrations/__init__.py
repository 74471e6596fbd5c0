"""Alembic migrations of the case store, shipped in the package and run on first use."""
