"""Where the service keeps its state: SQLite by default, Postgres with ``PD_DATABASE_URL``.

StorageError (``process_designer.errors``) is raised for every database failure; messages name
the database and the setting to check.
"""

from __future__ import annotations

from process_designer.storage.checkpoints import Checkpoints, open_checkpoints
from process_designer.storage.database import Database, is_postgres_url, open_database
from process_designer.storage.postgres import PostgresDatabase
from process_designer.storage.sqlite import SqliteDatabase

__all__ = [
    "Checkpoints",
    "Database",
    "PostgresDatabase",
    "SqliteDatabase",
    "is_postgres_url",
    "open_checkpoints",
    "open_database",
]
