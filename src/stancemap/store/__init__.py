"""Persistence: SQLAlchemy Core over SQLite (default) or PostgreSQL, migrated by Alembic."""

from stancemap.store.db import DEFAULT_URL, IngestReport, Store, resolve_url

__all__ = ["DEFAULT_URL", "IngestReport", "Store", "resolve_url"]
