"""Session analytics: one row per turn in SQLite, sessions and aggregates computed from them."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from process_designer.errors import StorageError
from process_designer.storage.failures import storage_failure
from process_designer.storage.sqlite import connect

__all__ = ["AnalyticsReport", "AnalyticsStore", "SessionSummary", "TemplateCount", "TurnRecord", "summarize"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS turns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    thread_id TEXT NOT NULL,
    started_at REAL NOT NULL,
    ended_at REAL NOT NULL,
    intent TEXT NOT NULL,
    path TEXT NOT NULL,
    outcome TEXT NOT NULL,
    has_document INTEGER NOT NULL,
    passed INTEGER NOT NULL,
    score REAL,
    completeness REAL,
    clarity REAL,
    revisions INTEGER NOT NULL,
    templates TEXT NOT NULL,
    category TEXT,
    tenant TEXT NOT NULL DEFAULT 'local'
);
CREATE INDEX IF NOT EXISTS turns_by_thread ON turns (thread_id, id);
"""
# Turns recorded before analytics were kept per tenant were all the one local tenant's.
_ADD_TENANT = "ALTER TABLE turns ADD COLUMN tenant TEXT NOT NULL DEFAULT 'local'"
_COLUMNS = ("thread_id, started_at, ended_at, intent, path, outcome, has_document, passed, score, completeness, "
            "clarity, revisions, templates, category, tenant")


@dataclass(frozen=True)
class TurnRecord:
    """What one finished (or failed) turn leaves for analytics; times are epoch seconds."""

    thread_id: str
    started_at: float
    ended_at: float
    intent: str
    path: tuple[str, ...] = ()
    outcome: str = "ok"
    has_document: bool = False
    passed: bool = False
    score: float | None = None
    completeness: float | None = None
    clarity: float | None = None
    revisions: int = 0
    templates: tuple[str, ...] = field(default_factory=tuple)
    category: str | None = None
    tenant: str = "local"


class SessionSummary(BaseModel):
    """One conversation (thread): how long, how many turns, whether it reached a passing document."""

    tenant: str
    thread_id: str
    started_at: float
    ended_at: float
    duration_seconds: float
    turns: int
    succeeded: bool
    score: float | None
    completeness: float | None
    clarity: float | None
    templates: list[str]
    category: str | None


class TemplateCount(BaseModel):
    template: str
    sessions: int


class AnalyticsReport(BaseModel):
    """Aggregates over sessions; means are over sessions that produced a document, to 4 places."""

    sessions: int
    turns: int
    successful_sessions: int
    success_rate: float
    mean_turns: float
    mean_duration_seconds: float
    mean_score: float | None
    mean_completeness: float | None
    mean_clarity: float | None
    popular_templates: list[TemplateCount]
    categories: dict[str, int]
    routes: dict[str, int]
    paths: dict[str, int]
    errors: dict[str, int]


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def _session(tenant: str, thread_id: str, turns: list[TurnRecord]) -> SessionSummary:
    with_document = [t for t in turns if t.has_document]
    final = with_document[-1] if with_document else None
    templates: list[str] = []
    for turn in turns:
        templates += [t for t in turn.templates if t not in templates]
    categories = [t.category for t in turns if t.category]
    started, ended = min(t.started_at for t in turns), max(t.ended_at for t in turns)
    return SessionSummary(
        tenant=tenant, thread_id=thread_id, started_at=started, ended_at=ended, duration_seconds=round(ended - started, 4),
        turns=len(turns), succeeded=any(t.passed for t in turns),
        score=final.score if final else None, completeness=final.completeness if final else None,
        clarity=final.clarity if final else None, templates=templates,
        category=categories[-1] if categories else None,
    )


def summarize(turns: Iterable[TurnRecord]) -> tuple[list[SessionSummary], AnalyticsReport]:
    """Sessions (oldest first) and their aggregates, from turns in the order they finished."""
    by_thread: dict[tuple[str, str], list[TurnRecord]] = {}
    all_turns = list(turns)
    for turn in all_turns:
        by_thread.setdefault((turn.tenant, turn.thread_id), []).append(turn)
    sessions = sorted((_session(tenant, tid, ts) for (tenant, tid), ts in by_thread.items()),
                      key=lambda s: (s.started_at, s.tenant, s.thread_id))
    scored = [s for s in sessions if s.score is not None]
    succeeded = sum(1 for s in sessions if s.succeeded)
    template_sessions = Counter(t for s in sessions for t in s.templates)
    report = AnalyticsReport(
        sessions=len(sessions),
        turns=len(all_turns),
        successful_sessions=succeeded,
        success_rate=round(succeeded / len(sessions), 4) if sessions else 0.0,
        mean_turns=_mean([float(s.turns) for s in sessions]) or 0.0,
        mean_duration_seconds=_mean([s.duration_seconds for s in sessions]) or 0.0,
        mean_score=_mean([s.score for s in scored if s.score is not None]),
        mean_completeness=_mean([s.completeness for s in scored if s.completeness is not None]),
        mean_clarity=_mean([s.clarity for s in scored if s.clarity is not None]),
        popular_templates=[TemplateCount(template=t, sessions=n)
                           for t, n in sorted(template_sessions.items(), key=lambda kv: (-kv[1], kv[0]))],
        categories=dict(sorted(Counter(s.category for s in sessions if s.category).items())),
        routes=dict(sorted(Counter(t.intent for t in all_turns).items())),
        paths=dict(sorted(Counter(" > ".join(t.path) for t in all_turns if t.path).items())),
        errors=dict(sorted(Counter(t.outcome for t in all_turns if t.outcome != "ok").items())),
    )
    return sessions, report


class AnalyticsStore:
    """Turn records in ``path`` (SQLite); safe to share between threads."""

    def __init__(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = connect(path)
            self._conn.executescript(_SCHEMA)
            if "tenant" not in {row[1] for row in self._conn.execute("PRAGMA table_info(turns)")}:
                self._conn.execute(_ADD_TENANT)
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(f"cannot open the analytics database at {path}: {exc}; "
                               "check PD_DATA_DIR points to a writable directory") from exc
        self.path = path
        self._lock = threading.Lock()

    def record(self, turn: TurnRecord) -> None:
        """Keep one turn."""
        row = (turn.thread_id, turn.started_at, turn.ended_at, turn.intent, json.dumps(list(turn.path)),
               turn.outcome, int(turn.has_document), int(turn.passed), turn.score, turn.completeness,
               turn.clarity, turn.revisions, json.dumps(list(turn.templates)), turn.category, turn.tenant)
        try:
            with self._lock, self._conn:
                self._conn.execute(f"INSERT INTO turns ({_COLUMNS}) VALUES ({', '.join('?' * len(row))})", row)
        except sqlite3.Error as exc:
            raise storage_failure(exc, str(self.path)) from exc

    def turns(self, tenant: str | None = None) -> list[TurnRecord]:
        """Every turn (of ``tenant`` only, when given), in the order recorded."""
        where, params = ("WHERE tenant = ?", (tenant,)) if tenant is not None else ("", ())
        with self._lock:
            rows = self._conn.execute(f"SELECT {_COLUMNS} FROM turns {where} ORDER BY id", params).fetchall()
        return [TurnRecord(r[0], r[1], r[2], r[3], tuple(json.loads(r[4])), r[5], bool(r[6]), bool(r[7]), r[8],
                           r[9], r[10], r[11], tuple(json.loads(r[12])), r[13], r[14]) for r in rows]

    def summary(self, tenant: str | None = None) -> tuple[list[SessionSummary], AnalyticsReport]:
        """Sessions and aggregates (of ``tenant`` only, when given) from one read of the turns."""
        return summarize(self.turns(tenant))

    def to_json(self, tenant: str | None = None) -> dict[str, Any]:
        """``{"report": …, "sessions": […]}`` as ``stats --format json`` and the HTTP API give it."""
        sessions, report = self.summary(tenant)
        return {"report": report.model_dump(mode="json"), "sessions": [s.model_dump(mode="json") for s in sessions]}

    def close(self) -> None:
        with self._lock:
            self._conn.close()
