"""Idempotency records: the answer to each ``(thread_id, client_msg_id)``, kept in SQLite."""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from process_designer.errors import StorageError
from process_designer.server.messages import OutgoingMessage

__all__ = ["TurnRecord", "TurnRecords"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS chat_turn_records (
    thread_id     TEXT NOT NULL,
    client_msg_id TEXT NOT NULL,
    fingerprint   TEXT NOT NULL,
    messages      TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (thread_id, client_msg_id)
)
"""


@dataclass(frozen=True)
class TurnRecord:
    """What a finished turn answered, so that a resend is answered the same way."""

    thread_id: str
    client_msg_id: str
    fingerprint: str
    messages: tuple[OutgoingMessage, ...]
    created_at: str


class TurnRecords:
    """A small SQLite table of finished turns; safe to share between threads of one process."""

    def __init__(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(f"cannot open the chat records at {path}: {exc}; check PD_DATA_DIR") from exc
        self._path = path
        self._lock = threading.Lock()

    def get(self, thread_id: str, client_msg_id: str) -> TurnRecord | None:
        """The record of ``client_msg_id`` on ``thread_id``, or ``None`` if it never finished."""
        with self._lock:
            row = self._query(
                "SELECT fingerprint, messages, created_at FROM chat_turn_records"
                " WHERE thread_id = ? AND client_msg_id = ?",
                (thread_id, client_msg_id),
            ).fetchone()
        if row is None:
            return None
        messages = tuple(OutgoingMessage.model_validate(item) for item in json.loads(row[1]))
        return TurnRecord(thread_id, client_msg_id, row[0], messages, row[2])

    def put(self, thread_id: str, client_msg_id: str, fingerprint: str, messages: list[OutgoingMessage]) -> None:
        """Store a finished turn; the first record of an id wins, later ones are ignored."""
        payload = json.dumps([message.model_dump() for message in messages], ensure_ascii=False)
        created_at = datetime.now(UTC).isoformat(timespec="milliseconds")
        with self._lock:
            self._query(
                "INSERT OR IGNORE INTO chat_turn_records VALUES (?, ?, ?, ?, ?)",
                (thread_id, client_msg_id, fingerprint, payload, created_at),
            )

    def close(self) -> None:
        """Close the database; further calls raise :class:`StorageError`."""
        with self._lock:
            self._db.close()

    def _query(self, sql: str, params: tuple[str, ...]) -> sqlite3.Cursor:
        try:
            return self._db.execute(sql, params)
        except sqlite3.Error as exc:
            raise StorageError(f"the chat records at {self._path} failed: {exc}") from exc
