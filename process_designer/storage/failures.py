"""Name a database or file-system failure for the user: a full disk is told apart from the rest."""

from __future__ import annotations

import errno
import sqlite3

from process_designer.errors import StorageError, StorageFullError

__all__ = ["is_disk_full", "storage_failure"]

# Postgres reports a full disk as SQLSTATE class 53 (insufficient resources): 53100 disk_full.
_PG_DISK_FULL = "53100"


def is_disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` (SQLite, Postgres or the OS) says there is no space left to write."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    if isinstance(exc, sqlite3.Error):
        return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "disk is full" in str(exc)
    return getattr(exc, "sqlstate", None) == _PG_DISK_FULL


def storage_failure(exc: BaseException, where: str) -> StorageError:
    """The product's error for ``exc`` raised while reading or writing ``where``."""
    if is_disk_full(exc):
        return StorageFullError(
            f"no space is left to write {where}; free space on that disk (or move PD_DATA_DIR or the "
            "database) and send the message again — everything stored before is kept"
        )
    return StorageError(f"the database at {where} failed: {exc}")
