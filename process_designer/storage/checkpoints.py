"""The LangGraph checkpointer of the designer's threads: SQLite under ``data_dir`` or Postgres."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.serde.base import SerializerProtocol
from langgraph.checkpoint.sqlite import SqliteSaver

from process_designer.config import Settings
from process_designer.errors import ConfigError, StorageError
from process_designer.storage.database import is_postgres_url
from process_designer.storage.sqlite import connect

__all__ = ["LATEST", "Base", "Checkpoints", "check_key", "keep_latest", "open_checkpoints", "thread_bytes"]


class _Latest:
    def __repr__(self) -> str:
        return "LATEST"


LATEST = _Latest()
"""Where a turn starts by default: the thread's latest checkpoint."""
Base = str | None | _Latest
"""Where a turn starts: ``LATEST``, a checkpoint id, or ``None`` for an empty thread."""


@dataclass(frozen=True)
class Checkpoints:
    """A checkpointer, how to release what it holds, and how its driver fails."""

    saver: BaseCheckpointSaver[str]
    close: Callable[[], None]
    where: str
    errors: tuple[type[BaseException], ...]


def open_checkpoints(settings: Settings, serde: SerializerProtocol | None = None) -> Checkpoints:
    """The checkpointer for ``settings``; Postgres tables are created on first use by any instance."""
    if is_postgres_url(settings.database_url):
        return _postgres(str(settings.database_url), serde)
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        conn = connect(settings.checkpoint_path)
    except (OSError, sqlite3.Error) as exc:
        raise StorageError(f"cannot open the thread database at {settings.checkpoint_path}: {exc}; "
                           "check PD_DATA_DIR points to a writable directory") from exc
    return Checkpoints(SqliteSaver(conn, serde=serde), conn.close, str(settings.checkpoint_path), (sqlite3.Error,))


def _postgres(url: str, serde: SerializerProtocol | None) -> Checkpoints:
    import psycopg
    from langgraph.checkpoint.postgres import PostgresSaver
    from psycopg.rows import dict_row

    from process_designer.storage.postgres import SCHEMA_LOCK, connect_pool, redact

    pool = connect_pool(url, max_size=8, row_factory=dict_row)
    saver_class = PostgresSaver if serde is None else _sealed_postgres_saver()
    saver = saver_class(pool, serde=serde)  # type: ignore[arg-type]
    try:
        # Two instances starting at once would both run the migrations; the lock lets one win.
        with pool.connection() as conn:
            conn.execute("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK,))
            try:
                saver.setup()
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK,))
    except psycopg.Error as exc:
        pool.close()
        raise StorageError(f"cannot set up the thread tables in {redact(url)}: {exc}") from exc
    return Checkpoints(saver, pool.close, redact(url), (psycopg.Error,))


def _sealed_postgres_saver() -> type[Any]:
    """A PostgresSaver that stores every channel value through the (encrypting) serializer.

    The stock saver keeps ``str``/``int``/``float``/``bool`` channel values in the checkpoint's
    plain JSONB, which would leave the user's message in the clear.
    """
    from langchain_core.runnables import RunnableConfig
    from langgraph.checkpoint.base import (
        ChannelVersions,
        Checkpoint,
        CheckpointMetadata,
        get_serializable_checkpoint_metadata,
    )
    from langgraph.checkpoint.postgres import PostgresSaver
    from langgraph.checkpoint.serde.types import _DeltaSnapshot
    from psycopg.types.json import Jsonb

    class SealedPostgresSaver(PostgresSaver):
        def put(self, config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata,
                new_versions: ChannelVersions) -> RunnableConfig:
            if any(isinstance(v, _DeltaSnapshot) for v in checkpoint["channel_values"].values()):
                return super().put(config, checkpoint, metadata, new_versions)
            configurable = config["configurable"]
            thread_id, checkpoint_ns = configurable["thread_id"], configurable["checkpoint_ns"]
            values = dict(checkpoint["channel_values"])
            sealed = {**checkpoint, "channel_values": {}}
            with self._cursor(pipeline=True) as cur:
                if versions := {k: v for k, v in new_versions.items() if k in values}:
                    cur.executemany(self.UPSERT_CHECKPOINT_BLOBS_SQL,
                                    self._dump_blobs(thread_id, checkpoint_ns, values, versions))
                cur.execute(self.UPSERT_CHECKPOINTS_SQL, (
                    thread_id, checkpoint_ns, checkpoint["id"], configurable.get("checkpoint_id"),
                    Jsonb(sealed), Jsonb(get_serializable_checkpoint_metadata(config, metadata)),
                ))
            return {"configurable": {"thread_id": thread_id, "checkpoint_ns": checkpoint_ns,
                                     "checkpoint_id": checkpoint["id"]}}

    return SealedPostgresSaver


def check_key(checkpoints: Checkpoints) -> None:
    """Refuse to start on stored checkpoints that ``PD_ENCRYPTION_KEY`` cannot read: a wrong key would
    write checkpoints no one can read back, and a missing one would add plaintext to an encrypted store."""
    try:
        next(iter(checkpoints.saver.list(None, limit=1)), None)
    except StorageError:
        raise ConfigError(f"PD_ENCRYPTION_KEY does not open the checkpoints in {checkpoints.where}; set the key "
                          "they were written with (a comma-separated list may name old keys too)") from None
    except NotImplementedError:  # the serializer has no cipher for the stored type
        raise ConfigError(f"the checkpoints in {checkpoints.where} are encrypted; set PD_ENCRYPTION_KEY to the "
                          "key they were written with") from None


# Per namespace, the latest checkpoint (the one a turn resumes from) and its pending writes stay.
_SQLITE_KEEP_LATEST = (
    "DELETE FROM writes WHERE thread_id = ? AND checkpoint_id NOT IN "
    "(SELECT MAX(checkpoint_id) FROM checkpoints WHERE thread_id = ? GROUP BY checkpoint_ns)",
    "DELETE FROM checkpoints WHERE thread_id = ? AND checkpoint_id NOT IN "
    "(SELECT MAX(checkpoint_id) FROM checkpoints WHERE thread_id = ? GROUP BY checkpoint_ns)",
)


def keep_latest(checkpoints: Checkpoints, thread_id: str) -> None:
    """Delete every checkpoint of ``thread_id`` but its latest, in one transaction.

    Each checkpoint holds the whole thread state, messages included; keeping them all made storage
    grow with the square of a thread's turns. The latest holds all the thread has: its messages and
    every document version. Call it between turns of the thread (under its turn lock): a turn in
    progress, or a resend of one, starts from the latest checkpoint of the turn before.
    """
    saver = checkpoints.saver
    try:
        if isinstance(saver, SqliteSaver):
            with saver.cursor() as cursor:
                for statement in _SQLITE_KEEP_LATEST:
                    cursor.execute(statement, (thread_id, thread_id))
        else:
            saver.prune([thread_id], strategy="keep_latest")
    except checkpoints.errors as exc:
        raise StorageError(f"cannot drop the old checkpoints of thread {thread_id!r} in {checkpoints.where}: "
                           f"{exc}") from exc


_SQLITE_BYTES = (
    "SELECT COALESCE(SUM(LENGTH(checkpoint) + LENGTH(metadata)), 0) FROM checkpoints WHERE thread_id = ?",
    "SELECT COALESCE(SUM(LENGTH(value)), 0) FROM writes WHERE thread_id = ?",
)
_POSTGRES_BYTES = (  # uncompressed: TOAST compression would hide how much is stored
    "SELECT COALESCE(SUM(octet_length(checkpoint::text) + octet_length(metadata::text)), 0) AS n "
    "FROM checkpoints WHERE thread_id = %s",
    "SELECT COALESCE(SUM(octet_length(blob)), 0) AS n FROM checkpoint_blobs WHERE thread_id = %s",
    "SELECT COALESCE(SUM(octet_length(blob)), 0) AS n FROM checkpoint_writes WHERE thread_id = %s",
)


def thread_bytes(checkpoints: Checkpoints, thread_id: str) -> int:
    """How many bytes of data ``thread_id``'s checkpoints hold (before any compression by the database)."""
    saver: Any = checkpoints.saver
    try:
        if isinstance(saver, SqliteSaver):
            with saver.cursor(transaction=False) as cursor:
                return sum(int(cursor.execute(sql, (thread_id,)).fetchone()[0]) for sql in _SQLITE_BYTES)
        with saver._cursor() as cursor:
            return sum(int(cursor.execute(sql, (thread_id,)).fetchone()["n"]) for sql in _POSTGRES_BYTES)
    except checkpoints.errors as exc:
        raise StorageError(f"cannot measure thread {thread_id!r} in {checkpoints.where}: {exc}") from exc
