"""The embedded database: one SQLite file in WAL mode with a busy timeout, shared by threads."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Literal

from process_designer.errors import StorageError
from process_designer.storage.failures import storage_failure

__all__ = ["SqliteDatabase"]

BUSY_TIMEOUT_MS = 30_000


def connect(path: Path, **options: Any) -> sqlite3.Connection:
    """A connection to ``path`` in write-ahead-log mode, shareable between threads, waiting on locks.

    ``synchronous=NORMAL``: a commit is not flushed to disk on its own, only at WAL checkpoints
    (SQLite's recommended setting for WAL). A crash of the process loses nothing; a power cut can
    lose the last commits, never the database's consistency. A turn commits a few dozen times, and
    a flush each costs milliseconds — a tenth of a turn's own time.
    """
    conn = sqlite3.connect(path, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000, **options)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return conn


class SqliteDatabase:
    """SQLite at ``path``; one process per data directory, so turns need no cross-process lock."""

    dialect: Literal["sqlite", "postgresql"] = "sqlite"

    def __init__(self, path: Path) -> None:
        self.name = str(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = connect(path, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(f"cannot open the database at {path}: {exc}; "
                               "check PD_DATA_DIR points to a writable directory") from exc
        self._lock = threading.Lock()

    def ensure_schema(self, statements: Sequence[str]) -> None:
        for statement in statements:
            self.execute(statement)

    def execute(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                return self._conn.execute(sql, tuple(params)).fetchall()
            except sqlite3.Error as exc:
                raise storage_failure(exc, self.name) from exc

    @asynccontextmanager
    async def turn_lock(self, key: str) -> AsyncIterator[None]:
        yield

    def close(self) -> None:
        with self._lock:
            self._conn.close()
