"""Feedback events per tenant in the service's database (SQLite under ``data_dir``, or Postgres); profiles fold them."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from process_designer.config import Settings
from process_designer.errors import InputError
from process_designer.feedback.profile import FeedbackProfile, TemplateVotes, finding_key
from process_designer.storage.crypto import Sealer
from process_designer.storage.database import Database, open_database

__all__ = ["FeedbackStore", "Rating"]

Rating = Literal["up", "down"]

_SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS feedback_events (
        tenant      TEXT NOT NULL,
        event_id    TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        kind        TEXT NOT NULL,
        thread_id   TEXT NOT NULL,
        version     INTEGER,
        payload     TEXT NOT NULL,
        PRIMARY KEY (tenant, event_id)
    )
    """,
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


class FeedbackStore:
    """Records what each tenant rated, edited and dismissed; :meth:`profile` is what the designer learned."""

    def __init__(self, database: Database, *, sealer: Sealer | None = None, clock: Callable[[], str] = _now) -> None:
        self._db = database
        self._sealer = sealer or Sealer(None)  # comments are user content: sealed at rest like messages
        self._clock = clock
        self._last_ns = 0
        self._order = threading.Lock()
        database.ensure_schema(_SCHEMA)

    @classmethod
    def open(cls, settings: Settings) -> FeedbackStore:
        """The store of ``settings``: ``feedback.sqlite`` under ``data_dir``, or Postgres with ``PD_DATABASE_URL``."""
        return cls(open_database(settings, "feedback.sqlite"), sealer=Sealer.from_setting(settings.encryption_key))

    def record_rating(self, tenant: str, thread_id: str, version: int | None, rating: str, comment: str = "",
                      template_ids: Sequence[str] = ()) -> None:
        """A thumbs up (the templates were accepted) or down (rejected) on a version of a thread's document."""
        if rating not in ("up", "down"):
            raise InputError(f"rating {rating!r} is not 'up' or 'down'")
        self._add(tenant, "rating", thread_id, version,
                  {"rating": rating, "comment": comment, "templates": [t for t in template_ids if t]})

    def record_edit(self, tenant: str, thread_id: str, version: int | None, *, owner: str | None = None,
                    roles: Mapping[str, str] | None = None, durations: Mapping[str, str] | None = None) -> None:
        """What a user changed by hand: the owner, a role renamed (old → new), step durations (step name → duration)."""
        if not (owner or roles or durations):
            return
        self._add(tenant, "edit", thread_id, version,
                  {"owner": owner, "roles": dict(roles or {}), "durations": dict(durations or {})})

    def record_dismissal(self, tenant: str, thread_id: str, finding: str) -> None:
        """The user dismissed a reviewer finding as not relevant to them."""
        if not finding.strip():
            raise InputError("the finding to dismiss is empty; quote the finding as the quality report shows it")
        self._add(tenant, "dismissal", thread_id, None, {"finding": finding.strip()})

    def profile(self, tenant: str) -> FeedbackProfile:
        """Everything learned for ``tenant`` from its feedback, oldest first so later choices win."""
        rows = self._db.execute(
            "SELECT kind, payload FROM feedback_events WHERE tenant = ? ORDER BY event_id", (tenant,))
        profile = FeedbackProfile(tenant=tenant)
        for kind, payload in rows:
            _fold(profile, str(kind), json.loads(self._sealer.open(str(payload))))
        return profile

    def reset(self, tenant: str) -> int:
        """Forget everything learned for ``tenant``; the number of feedback events removed."""
        count = self._db.execute("SELECT COUNT(*) FROM feedback_events WHERE tenant = ?", (tenant,))[0][0]
        self._db.execute("DELETE FROM feedback_events WHERE tenant = ?", (tenant,))
        return int(count)

    def close(self) -> None:
        self._db.close()

    def _event_id(self) -> str:
        """Ids that sort in recording order (later edits override earlier ones), unique across instances."""
        with self._order:
            self._last_ns = max(time.time_ns(), self._last_ns + 1)
            return f"{self._last_ns:020d}-{uuid.uuid4().hex[:12]}"

    def _add(self, tenant: str, kind: str, thread_id: str, version: int | None, payload: dict[str, Any]) -> None:
        if not tenant:
            raise InputError("feedback needs a tenant")
        self._db.execute("INSERT INTO feedback_events VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (tenant, self._event_id(), self._clock(), kind, thread_id, version,
                          self._sealer.seal(json.dumps(payload))))


def _fold(profile: FeedbackProfile, kind: str, payload: dict[str, Any]) -> None:
    if kind == "rating":
        rating = str(payload["rating"])
        profile.ratings[rating] = profile.ratings.get(rating, 0) + 1
        for template_id in payload["templates"]:
            votes = profile.templates.setdefault(template_id, TemplateVotes())
            if rating == "up":
                votes.accepted += 1
            else:
                votes.rejected += 1
    elif kind == "edit":
        if payload.get("owner"):
            profile.owners[payload["owner"]] = profile.owners.get(payload["owner"], 0) + 1
        profile.roles.update(payload.get("roles", {}))
        profile.durations.update({name.lower(): duration for name, duration in payload.get("durations", {}).items()})
    elif kind == "dismissal":
        key = finding_key(payload["finding"])
        profile.dismissed[key] = profile.dismissed.get(key, 0) + 1
