"""Which tenant owns each thread and session; a foreign id is reported exactly like a missing one."""

from __future__ import annotations

from datetime import UTC, datetime

from process_designer.storage.database import Database

__all__ = ["Ownership"]

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
