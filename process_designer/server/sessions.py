"""Process design sessions (a thread plus its title, requirements and context) in SQLite or Postgres."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from process_designer.api_paths import API_PREFIX
from process_designer.config import Settings
from process_designer.errors import NotFoundError
from process_designer.server.access import AccessControl
from process_designer.storage.crypto import Sealer
from process_designer.storage.database import Database, open_database

__all__ = ["Session", "SessionStore"]

_SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS sessions (
        session_id TEXT PRIMARY KEY,
        thread_id TEXT NOT NULL,
        title TEXT NOT NULL,
        requirements TEXT NOT NULL,
        context TEXT NOT NULL,
        created_at TEXT NOT NULL
    )
    """,
)


@dataclass(frozen=True)
class Session:
    """A design session; ``thread_id`` names the designer thread its chat runs on."""

    session_id: str
    thread_id: str
    title: str
    requirements: str
    created_at: str
    context: dict[str, Any] = field(default_factory=dict)


def _not_found(session_id: str) -> str:
    """The same answer for a missing session and another tenant's, so that existence is not revealed."""
    shown = session_id if len(session_id) <= 60 else session_id[:60] + "…"
    return f"session {shown!r} does not exist; create one with POST {API_PREFIX}/sessions"


class SessionStore:
    """Sessions in a :class:`Database`, so that they survive restarts and every instance sees them."""

    def __init__(self, database: Database, *, new_id: Callable[[], str] | None = None,
                 sealer: Sealer | None = None, access: AccessControl | None = None) -> None:
        self._new_id = new_id or (lambda: uuid.uuid4().hex)
        self._access = access
        self._db = database
        self._sealer = sealer or Sealer(None)
        database.ensure_schema(_SCHEMA)

    @classmethod
    def open(cls, settings: Settings, access: AccessControl | None = None) -> SessionStore:
        """The sessions of ``settings``: ``sessions.sqlite`` under ``data_dir``, or ``PD_DATABASE_URL``.

        With ``access`` a session belongs to the tenant that created it and reads check it.
        """
        return cls(open_database(settings, "sessions.sqlite"), sealer=Sealer.from_setting(settings.encryption_key),
                   access=access)

    def create(self, title: str, requirements: str, context: dict[str, Any]) -> Session:
        """Store and return a new session on a new thread."""
        session = Session(
            session_id=f"session-{self._new_id()}",
            thread_id=f"thread-{self._new_id()}",
            title=title,
            requirements=requirements,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            context=context,
        )
        self._db.execute(
            "INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?)",
            (session.session_id, session.thread_id, self._sealer.seal(title), self._sealer.seal(requirements),
             self._sealer.seal(json.dumps(context)), session.created_at),
        )
        if self._access is not None:
            self._access.claim("session", session.session_id, _not_found(session.session_id))
            self._access.claim("thread", session.thread_id, _not_found(session.session_id))
            self._access.record("session.created", f"session:{session.session_id}")
        return session

    def get(self, session_id: str) -> Session:
        """The session with ``session_id``; :class:`NotFoundError` when there is none."""
        rows = self._db.execute(
            "SELECT session_id, thread_id, title, requirements, created_at, context "
            "FROM sessions WHERE session_id = ?",
            (session_id,),
        )
        if not rows:
            raise NotFoundError(_not_found(session_id))
        if self._access is not None:
            self._access.check("session", session_id, _not_found(session_id))
        row = rows[0]
        return Session(session_id=row[0], thread_id=row[1], title=self._sealer.open(row[2]), requirements=self._sealer.open(row[3]),
                       created_at=row[4], context=json.loads(self._sealer.open(row[5])))

    def count(self) -> int:
        """How many sessions there are (also proves the database answers)."""
        return int(self._db.execute("SELECT COUNT(*) FROM sessions")[0][0])

    def close(self) -> None:
        self._db.close()
