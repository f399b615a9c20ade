"""Where the service keeps its state: SQLite by default, Postgres with ``PD_DATABASE_URL``.

StorageError (``process_designer.errors``) is raised for every database failure; messages name
the database and the setting to check. Names load on first use (PEP 562), so reading the audit
log imports neither LangGraph's checkpointers nor the Postgres driver.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from process_designer.lazy import exports

if TYPE_CHECKING:
    from process_designer.storage.checkpoints import Checkpoints, open_checkpoints
    from process_designer.storage.database import Database, is_postgres_url, open_database
    from process_designer.storage.postgres import PostgresDatabase
    from process_designer.storage.sqlite import SqliteDatabase

_EXPORTS = {
    "Checkpoints": "process_designer.storage.checkpoints",
    "open_checkpoints": "process_designer.storage.checkpoints",
    "Database": "process_designer.storage.database",
    "is_postgres_url": "process_designer.storage.database",
    "open_database": "process_designer.storage.database",
    "PostgresDatabase": "process_designer.storage.postgres",
    "SqliteDatabase": "process_designer.storage.sqlite",
}

__all__ = [
    "Checkpoints",
    "Database",
    "PostgresDatabase",
    "SqliteDatabase",
    "is_postgres_url",
    "open_checkpoints",
    "open_database",
]


__getattr__ = exports(__name__, _EXPORTS)
