"""Tenant checks on threads and sessions for every transport, with each decision audited."""

from __future__ import annotations

from process_designer.config import Settings
from process_designer.errors import NotFoundError
from process_designer.principal import current_principal
from process_designer.storage.audit import AuditLog
from process_designer.storage.database import Database, open_database
from process_designer.storage.tenancy import Ownership, scoped_thread_key

__all__ = ["AccessControl"]


class AccessControl:
    """Claims and checks ownership for the current principal; a denial reads as NOT_FOUND / 404."""

    def __init__(self, database: Database) -> None:
        self._db = database
        self.audit = AuditLog(database)
        self._owners = Ownership(database)

    @classmethod
    def open(cls, settings: Settings) -> AccessControl:
        """Owners and the audit log of ``settings``: ``access.sqlite`` under ``data_dir``, or Postgres."""
        return cls(open_database(settings, "access.sqlite"))

    def claim(self, kind: str, resource_id: str, not_found: str) -> None:
        """Own ``resource_id`` if nobody does; :class:`NotFoundError` (``not_found``) if another tenant does."""
        caller = current_principal()
        if not self._owners.claim(kind, resource_id, caller.tenant, caller.subject):
            self._deny(kind, resource_id, not_found)

    def thread_key(self, thread_id: str, *, claim: bool) -> str:
        """Where the current tenant's thread ``thread_id`` is stored: the id itself when the tenant holds it
        (or, with ``claim``, takes it now), else a key scoped to the tenant (see :mod:`~process_designer.storage.tenancy`)."""
        caller = current_principal()
        if claim:
            held = self._owners.claim("thread", thread_id, caller.tenant, caller.subject)
        else:
            held = self._owners.owner("thread", thread_id) in (None, caller.tenant)
        return thread_id if held else scoped_thread_key(thread_id, caller.tenant)

    def check(self, kind: str, resource_id: str, not_found: str) -> None:
        """Raise :class:`NotFoundError` (``not_found``) when another tenant owns ``resource_id``."""
        owner = self._owners.owner(kind, resource_id)
        if owner is not None and owner != current_principal().tenant:
            self._deny(kind, resource_id, not_found)

    def record(self, action: str, resource: str, outcome: str = "ok") -> None:
        """Audit ``action`` on ``resource`` by the current principal."""
        caller = current_principal()
        self.audit.record(caller.tenant, caller.subject, action, resource, outcome)

    def authentication_failed(self, reason: str) -> None:
        self.audit.record("-", "-", "auth.failed", "", reason)

    def _deny(self, kind: str, resource_id: str, not_found: str) -> None:
        self.record("access.denied", f"{kind}:{resource_id}", "owned by another tenant")
        raise NotFoundError(not_found)

    def close(self) -> None:
        self._db.close()
