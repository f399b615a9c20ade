"""The audit log: append-only rows of who did what to which id, and when — never content or secrets."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from process_designer.storage.database import Database

__all__ = ["AuditEntry", "AuditLog"]

_SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS audit_log (
        entry_id TEXT PRIMARY KEY,
        at       TEXT NOT NULL,
        tenant   TEXT NOT NULL,
        subject  TEXT NOT NULL,
        action   TEXT NOT NULL,
        resource TEXT NOT NULL,
        outcome  TEXT NOT NULL
    )
    """,
    "CREATE INDEX IF NOT EXISTS audit_log_by_time ON audit_log (at, entry_id)",
)


@dataclass(frozen=True)
class AuditEntry:
    """One audited event; ``resource`` is an id such as ``thread:…`` and ``outcome`` a short reason."""

    at: str
    tenant: str
    subject: str
    action: str
    resource: str
    outcome: str


class AuditLog:
    """Appends and reads audit entries; there is no update or delete."""

    def __init__(self, database: Database, *, clock: Callable[[], datetime] | None = None) -> None:
        self._db = database
        self._clock = clock or (lambda: datetime.now(UTC))
        database.ensure_schema(_SCHEMA)

    def record(self, tenant: str, subject: str, action: str, resource: str = "", outcome: str = "ok") -> None:
        at = self._clock().isoformat(timespec="microseconds")
        self._db.execute("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (uuid.uuid4().hex, at, tenant, subject, action, resource, outcome[:300]))

    def entries(self, *, tenant: str | None = None, limit: int = 1000) -> list[AuditEntry]:
        """The newest ``limit`` entries (of ``tenant`` if given), oldest first."""
        where, params = ("WHERE tenant = ?", [tenant]) if tenant is not None else ("", [])
        rows = self._db.execute(
            f"SELECT at, tenant, subject, action, resource, outcome FROM audit_log {where} "
            "ORDER BY at DESC, entry_id DESC LIMIT ?",
            [*params, limit],
        )
        return [AuditEntry(*row) for row in reversed(rows)]
