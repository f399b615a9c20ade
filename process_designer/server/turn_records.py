"""Idempotency records: the answer to each ``(thread_id, client_msg_id)``, in SQLite or Postgres."""

from __future__ import annotations

import json
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, datetime

from process_designer.config import Settings
from process_designer.server.messages import OutgoingMessage
from process_designer.storage.crypto import Sealer
from process_designer.storage.database import Database, open_database

__all__ = ["TurnRecord", "TurnRecords", "TurnStart"]

_SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS chat_turn_records (
        thread_id     TEXT NOT NULL,
        client_msg_id TEXT NOT NULL,
        fingerprint   TEXT NOT NULL,
        messages      TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        PRIMARY KEY (thread_id, client_msg_id)
    )
    """,
    # A turn that started but has no record yet: how long the thread was when it started and its
    # checkpoint then (NULL for a new thread), so that after a crash a resend finds the answer the
    # thread already holds, or runs the turn again from the state before it, never on top of a part.
    """
    CREATE TABLE IF NOT EXISTS chat_turn_pending (
        thread_id     TEXT NOT NULL,
        client_msg_id TEXT NOT NULL,
        history_len   INTEGER NOT NULL,
        checkpoint_id TEXT,
        PRIMARY KEY (thread_id, client_msg_id)
    )
    """,
)


@dataclass(frozen=True)
class TurnStart:
    """Where the thread stood when a turn started: its length and its latest checkpoint (``None`` if new)."""

    history_len: int
    checkpoint_id: str | None


@dataclass(frozen=True)
class TurnRecord:
    """What a finished turn answered, so that a resend is answered the same way."""

    thread_id: str
    client_msg_id: str
    fingerprint: str
    messages: tuple[OutgoingMessage, ...]
    created_at: str


class TurnRecords:
    """Finished turns, shared by every instance on the same database; safe across threads."""

    def __init__(self, database: Database, sealer: Sealer | None = None) -> None:
        self._db = database
        self._sealer = sealer or Sealer(None)
        database.ensure_schema(_SCHEMA)

    @classmethod
    def open(cls, settings: Settings) -> TurnRecords:
        """The records of ``settings``: ``chat.sqlite`` under ``data_dir``, or ``PD_DATABASE_URL``."""
        return cls(open_database(settings, "chat.sqlite"), Sealer.from_setting(settings.encryption_key))

    def get(self, thread_id: str, client_msg_id: str) -> TurnRecord | None:
        """The record of ``client_msg_id`` on ``thread_id``, or ``None`` if it never finished."""
        rows = self._db.execute(
            "SELECT fingerprint, messages, created_at FROM chat_turn_records"
            " WHERE thread_id = ? AND client_msg_id = ?",
            (thread_id, client_msg_id),
        )
        if not rows:
            return None
        fingerprint, payload, created_at = rows[0]
        messages = tuple(OutgoingMessage.model_validate(item) for item in json.loads(self._sealer.open(payload)))
        return TurnRecord(thread_id, client_msg_id, fingerprint, messages, created_at)

    def put(self, thread_id: str, client_msg_id: str, fingerprint: str, messages: list[OutgoingMessage]) -> None:
        """Store a finished turn; the first record of an id wins, later ones are ignored."""
        payload = json.dumps([message.model_dump() for message in messages], ensure_ascii=False)
        created_at = datetime.now(UTC).isoformat(timespec="milliseconds")
        self._db.execute(
            "INSERT INTO chat_turn_records VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (thread_id, client_msg_id, fingerprint, self._sealer.seal(payload), created_at),
        )
        self._db.execute(
            "DELETE FROM chat_turn_pending WHERE thread_id = ? AND client_msg_id = ?", (thread_id, client_msg_id)
        )

    def start(self, thread_id: str, client_msg_id: str, history_len: int, checkpoint_id: str | None = None) -> None:
        """Note that a turn of ``client_msg_id`` starts on a thread of ``history_len`` messages whose
        latest checkpoint is ``checkpoint_id``; the first note of a turn wins (a resend keeps it)."""
        self._db.execute(
            "INSERT INTO chat_turn_pending VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (thread_id, client_msg_id, history_len, checkpoint_id),
        )

    def started(self, thread_id: str, client_msg_id: str) -> TurnStart | None:
        """What :meth:`start` noted for a turn that has no record, or ``None``."""
        rows = self._db.execute(
            "SELECT history_len, checkpoint_id FROM chat_turn_pending WHERE thread_id = ? AND client_msg_id = ?",
            (thread_id, client_msg_id),
        )
        return TurnStart(int(rows[0][0]), rows[0][1]) if rows else None

    def turn_lock(self, thread_id: str) -> AbstractAsyncContextManager[None]:
        """Held around a turn so that no other instance runs a turn of ``thread_id`` meanwhile."""
        return self._db.turn_lock(f"turn:{thread_id}")

    def close(self) -> None:
        """Close the database; further calls raise :class:`StorageError`."""
        self._db.close()
