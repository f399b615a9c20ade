"""Which tenant owns each thread and session, and the tenant-scoped keys threads are stored under.

A client names its threads; two tenants may pick the same name. The first tenant to use a name keeps
its thread under that name (as every thread was kept before names were scoped); any other tenant's
thread of that name is kept under :func:`scoped_thread_key`, a key no client can send (it holds ``~``,
which thread ids may not), so neither tenant sees, nor locks out, the other's conversation.
"""

from __future__ import annotations

from datetime import UTC, datetime

from process_designer.storage.database import Database

__all__ = ["Ownership", "client_thread_id", "scoped_thread_key"]

_SCOPE = "~"


def scoped_thread_key(thread_id: str, tenant: str) -> str:
    """The storage key of ``tenant``'s thread ``thread_id`` when another tenant holds the plain id."""
    return f"{thread_id}{_SCOPE}{tenant}"


def client_thread_id(key: str) -> str:
    """The thread id the client uses for the storage key ``key``."""
    return key.split(_SCOPE, 1)[0]

_SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS resource_owners (
        kind        TEXT NOT NULL,
        resource_id TEXT NOT NULL,
        tenant      TEXT NOT NULL,
        subject     TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        PRIMARY KEY (kind, resource_id)
    )
    """,
)


class Ownership:
    """Owners of resources (``kind`` is ``thread`` or ``session``); the first claim wins for good."""

    def __init__(self, database: Database) -> None:
        self._db = database
        database.ensure_schema(_SCHEMA)

    def claim(self, kind: str, resource_id: str, tenant: str, subject: str) -> bool:
        """Make ``tenant`` the owner unless someone owns it already; whether ``tenant`` owns it now."""
        self._db.execute(
            "INSERT INTO resource_owners VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (kind, resource_id, tenant, subject, datetime.now(UTC).isoformat(timespec="seconds")),
        )
        return self.owner(kind, resource_id) == tenant

    def owner(self, kind: str, resource_id: str) -> str | None:
        """The owning tenant, or ``None`` for an unclaimed id."""
        rows = self._db.execute("SELECT tenant FROM resource_owners WHERE kind = ? AND resource_id = ?",
                                (kind, resource_id))
        return str(rows[0][0]) if rows else None
