"""Process design sessions (a thread plus its title, requirements and context) kept in SQLite."""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from process_designer.errors import NotFoundError, StorageError

__all__ = ["Session", "SessionStore"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    session_id TEXT PRIMARY KEY,
    thread_id TEXT NOT NULL,
    title TEXT NOT NULL,
    requirements TEXT NOT NULL,
    context TEXT NOT NULL,
    created_at TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class Session:
    """A design session; ``thread_id`` names the designer thread its chat runs on."""

    session_id: str
    thread_id: str
    title: str
    requirements: str
    created_at: str
    context: dict[str, Any] = field(default_factory=dict)


class SessionStore:
    """Sessions in ``path`` (SQLite), so that they survive restarts of the service."""

    def __init__(self, path: Path, *, new_id: Callable[[], str] | None = None) -> None:
        self._new_id = new_id or (lambda: uuid.uuid4().hex)
        self._lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(path, check_same_thread=False, timeout=30)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute(_SCHEMA)
            self._conn.commit()
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(
                f"cannot open the session database at {path}: {exc}; "
                "check PD_DATA_DIR points to a writable directory"
            ) from exc

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
        with self._lock:
            self._conn.execute(
                "INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?)",
                (session.session_id, session.thread_id, title, requirements,
                 json.dumps(context), session.created_at),
            )
            self._conn.commit()
        return session

    def get(self, session_id: str) -> Session:
        """The session with ``session_id``; :class:`NotFoundError` when there is none."""
        with self._lock:
            row = self._conn.execute(
                "SELECT session_id, thread_id, title, requirements, created_at, context "
                "FROM sessions WHERE session_id = ?",
                (session_id,),
            ).fetchone()
        if row is None:
            shown = session_id if len(session_id) <= 60 else session_id[:60] + "…"
            raise NotFoundError(
                f"session {shown!r} does not exist; create one with POST /api/v1/process-designer/sessions"
            )
        return Session(session_id=row[0], thread_id=row[1], title=row[2], requirements=row[3],
                       created_at=row[4], context=json.loads(row[5]))

    def count(self) -> int:
        """How many sessions there are (also proves the database answers)."""
        with self._lock:
            return int(self._conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._conn.close()
