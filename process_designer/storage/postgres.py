"""Postgres through connection pools; advisory locks make schema set-up and turns exclusive."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any, Literal

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from process_designer.errors import StorageError
from process_designer.storage.failures import storage_failure

__all__ = ["PostgresDatabase", "connect_pool", "redact"]

# Fixed keys of the advisory locks this service takes outside of thread turns.
SCHEMA_LOCK = 7_310_482_113
_LOCK_POLL_SECONDS = 0.05


def redact(url: str) -> str:
    """``url`` without its password, fit for a message."""
    scheme, sep, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at:
        return url
    user = credentials.split(":", 1)[0]
    return f"{scheme}{sep}{user}:***@{host}"


def connect_pool(url: str, *, max_size: int, min_size: int = 1, **kwargs: Any) -> ConnectionPool:
    """An open pool of autocommit connections to ``url``; :class:`StorageError` when unreachable."""
    pool = ConnectionPool(url, min_size=min_size, max_size=max_size, open=False,
                          kwargs={"autocommit": True, "prepare_threshold": None, **kwargs})
    try:
        pool.open(wait=True, timeout=15)
    except (PoolTimeout, psycopg.Error) as exc:
        pool.close()
        raise StorageError(f"cannot connect to Postgres at {redact(url)}: {exc}; "
                           "check PD_DATABASE_URL and that the server is running") from exc
    return pool


class PostgresDatabase:
    """A Postgres database shared by every instance of the service."""

    dialect: Literal["sqlite", "postgresql"] = "postgresql"

    def __init__(self, url: str, *, max_size: int = 8, max_turns: int = 64) -> None:
        self.name = redact(url)
        self._pool = connect_pool(url, max_size=max_size)
        # Turns hold a connection for their whole run; a pool of their own keeps reads flowing.
        self._lock_pool = connect_pool(url, max_size=max_turns, min_size=0)

    def ensure_schema(self, statements: Sequence[str]) -> None:
        try:
            with self._pool.connection() as conn, conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
                for statement in statements:
                    conn.execute(statement)
        except psycopg.Error as exc:
            raise StorageError(f"cannot set up the schema in {self.name}: {exc}") from exc

    def execute(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        try:
            with self._pool.connection() as conn:
                cursor = conn.execute(sql.replace("?", "%s"), tuple(params))
                return cursor.fetchall() if cursor.description else []
        except (PoolTimeout, psycopg.Error) as exc:
            raise storage_failure(exc, self.name) from exc

    @asynccontextmanager
    async def turn_lock(self, key: str) -> AsyncIterator[None]:
        """Hold a session advisory lock on ``key`` for the block; wait while another process holds it.

        Waiting polls ``pg_try_advisory_lock`` so that a cancelled waiter never leaves a lock
        behind; a connection whose unlock is not certain is closed, which releases its locks.
        """
        conn = await self._checkout()
        released = False
        try:
            while not await asyncio.to_thread(self._try_lock, conn, key):
                await asyncio.sleep(_LOCK_POLL_SECONDS)
            try:
                yield
            finally:
                released = await asyncio.to_thread(self._unlock, conn, key)
        finally:
            if not released:
                conn.close()
            self._lock_pool.putconn(conn)

    async def _checkout(self) -> psycopg.Connection[Any]:
        """A connection of the lock pool; one that arrives after its waiter was cancelled goes back."""
        getting = asyncio.ensure_future(asyncio.to_thread(self._lock_pool.getconn))
        try:
            return await asyncio.shield(getting)
        except asyncio.CancelledError:
            getting.add_done_callback(self._return_unused)
            raise

    def _return_unused(self, getting: asyncio.Future[psycopg.Connection[Any]]) -> None:
        if not getting.cancelled() and getting.exception() is None:
            self._lock_pool.putconn(getting.result())

    @staticmethod
    def _try_lock(conn: psycopg.Connection[Any], key: str) -> bool:
        row = conn.execute("SELECT pg_try_advisory_lock(hashtextextended(%s, 0))", (key,)).fetchone()
        return bool(row and row[0])

    @staticmethod
    def _unlock(conn: psycopg.Connection[Any], key: str) -> bool:
        row = conn.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", (key,)).fetchone()
        return bool(row and row[0])

    def close(self) -> None:
        self._lock_pool.close()
        self._pool.close()
