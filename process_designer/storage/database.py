"""The one interface every store is written against, and how to open it from the settings."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, Literal, Protocol

from process_designer.config import Settings

__all__ = ["Database", "is_postgres_url", "open_database"]

Row = tuple[Any, ...]


class Database(Protocol):
    """A SQL database that stores share; statements use ``?`` placeholders and portable SQL.

    Every statement commits on its own. ``ensure_schema`` is idempotent and safe when several
    processes start at once; ``turn_lock`` serialises the turns of one thread across processes.
    """

    dialect: Literal["sqlite", "postgresql"]
    name: str

    def ensure_schema(self, statements: Sequence[str]) -> None: ...
    def execute(self, sql: str, params: Sequence[object] = ()) -> list[Row]: ...
    def turn_lock(self, key: str) -> AbstractAsyncContextManager[None]: ...
    def close(self) -> None: ...


def is_postgres_url(url: str | None) -> bool:
    return bool(url) and str(url).startswith(("postgresql://", "postgres://"))


def open_database(settings: Settings, sqlite_file: str) -> Database:
    """Postgres at ``settings.database_url`` when it is one, else ``sqlite_file`` under ``data_dir``."""
    if is_postgres_url(settings.database_url):
        from process_designer.storage.postgres import PostgresDatabase

        return PostgresDatabase(str(settings.database_url))
    from process_designer.storage.sqlite import SqliteDatabase

    return SqliteDatabase(settings.data_dir / sqlite_file)
