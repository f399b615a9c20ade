"""Every store behaves the same on SQLite and on Postgres: records, sessions, owners, audit, locks, schema."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from process_designer.config import Settings
from process_designer.errors import NotFoundError, StorageError
from process_designer.server.messages import OutgoingMessage
from process_designer.server.sessions import SessionStore
from process_designer.server.turn_records import TurnRecords
from process_designer.storage import Database, PostgresDatabase, open_database
from process_designer.storage.audit import AuditEntry, AuditLog
from process_designer.storage.tenancy import Ownership


@pytest.fixture(params=["sqlite", "postgres"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    if request.param == "sqlite":
        return Settings(data_dir=tmp_path / "data")
    url = request.getfixturevalue("postgres_url")
    return Settings(data_dir=tmp_path / "data", database_url=url)


@pytest.fixture
def database(settings: Settings) -> Iterator[Database]:
    db = open_database(settings, "store.sqlite")
    yield db
    db.close()


def _answer(content: str, final: bool) -> OutgoingMessage:
    return OutgoingMessage(thread_id="t-1", content=content, client_msg_id="m-1", agent="respond",
                           final=final, message_id=f"id-{content}", version=1 if final else None)


def test_open_picks_the_backend_of_the_url(settings: Settings, database: Database) -> None:
    expected = "postgresql" if settings.database_url else "sqlite"
    assert database.dialect == expected


def test_a_turn_record_reads_back_as_written_and_the_first_one_wins(database: Database) -> None:
    records = TurnRecords(database)
    assert records.get("t-1", "m-1") is None
    records.put("t-1", "m-1", "fp-1", [_answer("stage", False), _answer("done", True)])
    records.put("t-1", "m-1", "fp-2", [_answer("other", True)])
    record = records.get("t-1", "m-1")
    assert record is not None
    assert record.fingerprint == "fp-1"
    assert [(m.content, m.final, m.version) for m in record.messages] == [("stage", False, None), ("done", True, 1)]
    assert records.get("t-1", "m-2") is None
    assert records.get("t-2", "m-1") is None


def test_schema_set_up_is_idempotent(settings: Settings, database: Database) -> None:
    TurnRecords(database).put("t-1", "m-1", "fp", [_answer("done", True)])
    SessionStore(database).create("T", "req", {})
    again = open_database(settings, "store.sqlite")
    try:
        assert TurnRecords(again).get("t-1", "m-1") is not None
        assert SessionStore(again).count() == 1
    finally:
        again.close()


def test_sessions_survive_reopening_and_unknown_ids_are_not_found(settings: Settings) -> None:
    ids = iter(["a", "b"])
    store = SessionStore(open_database(settings, "sessions.sqlite"), new_id=lambda: next(ids))
    try:
        created = store.create("Onboarding", "Sales closes the deal", {"owner": "Ops"})
        assert (created.session_id, created.thread_id) == ("session-a", "thread-b")
    finally:
        store.close()
    reopened = SessionStore.open(settings)
    try:
        read = reopened.get("session-a")
        assert (read.title, read.requirements, read.context, read.thread_id) == (
            "Onboarding", "Sales closes the deal", {"owner": "Ops"}, "thread-b")
        assert reopened.count() == 1
        with pytest.raises(NotFoundError, match="session 'session-x' does not exist"):
            reopened.get("session-x")
    finally:
        reopened.close()


def test_a_closed_database_raises_storage_error(settings: Settings) -> None:
    db = open_database(settings, "store.sqlite")
    records = TurnRecords(db)
    db.close()
    with pytest.raises(StorageError):
        records.get("t-1", "m-1")


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    db = open_database(Settings(data_dir=tmp_path), "store.sqlite")
    try:
        assert db.execute("PRAGMA journal_mode") == [("wal",)]
        assert db.execute("PRAGMA busy_timeout") == [(30000,)]
    finally:
        db.close()


async def test_turn_locks_of_one_thread_never_overlap_across_instances(postgres_url: str) -> None:
    first, second = PostgresDatabase(postgres_url), PostgresDatabase(postgres_url)
    timeline: list[str] = []

    async def turn(db: Database, name: str, key: str) -> None:
        async with db.turn_lock(key):
            timeline.append(f"{name} in")
            await asyncio.sleep(0.3)
            timeline.append(f"{name} out")

    try:
        await asyncio.gather(turn(first, "a", "thread-1"), turn(second, "b", "thread-1"))
        assert timeline in (["a in", "a out", "b in", "b out"], ["b in", "b out", "a in", "a out"])
        timeline.clear()
        await asyncio.gather(turn(first, "a", "thread-1"), turn(second, "b", "thread-2"))
        assert timeline[:2] in (["a in", "b in"], ["b in", "a in"])
    finally:
        first.close()
        second.close()


async def test_a_cancelled_waiter_leaves_no_lock_behind(postgres_url: str) -> None:
    first, second = PostgresDatabase(postgres_url), PostgresDatabase(postgres_url)
    try:
        held = asyncio.Event()
        release = asyncio.Event()

        async def holder() -> None:
            async with first.turn_lock("thread-1"):
                held.set()
                await release.wait()

        holding = asyncio.create_task(holder())
        await held.wait()
        waiter = asyncio.create_task(_enter(second, "thread-1"))
        await asyncio.sleep(0.2)
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        release.set()
        await holding
        await asyncio.wait_for(_enter(first, "thread-1"), timeout=5)
    finally:
        first.close()
        second.close()


async def _enter(db: Database, key: str) -> None:
    async with db.turn_lock(key):
        pass


def test_ownership_goes_to_the_first_claim_for_good(database: Database) -> None:
    owners = Ownership(database)
    assert owners.owner("thread", "t-1") is None
    assert owners.claim("thread", "t-1", "acme", "alice") is True
    assert owners.claim("thread", "t-1", "acme", "bob") is True
    assert owners.claim("thread", "t-1", "globex", "robot") is False
    assert owners.owner("thread", "t-1") == "acme"
    assert owners.owner("session", "t-1") is None


def test_the_audit_log_appends_and_reads_oldest_first(database: Database) -> None:
    ticks = iter(datetime(2026, 1, 1, 12, 0, second, tzinfo=UTC) for second in range(10))
    log = AuditLog(database, clock=lambda: next(ticks))
    log.record("acme", "alice", "session.created", "session:s-1")
    log.record("globex", "robot", "access.denied", "session:s-1", "owned by another tenant")
    log.record("-", "-", "auth.failed", "", "missing bearer token")
    assert log.entries() == [
        AuditEntry("2026-01-01T12:00:00.000000+00:00", "acme", "alice", "session.created", "session:s-1", "ok"),
        AuditEntry("2026-01-01T12:00:01.000000+00:00", "globex", "robot", "access.denied", "session:s-1",
                   "owned by another tenant"),
        AuditEntry("2026-01-01T12:00:02.000000+00:00", "-", "-", "auth.failed", "", "missing bearer token"),
    ]
    assert [e.action for e in log.entries(tenant="globex")] == ["access.denied"]
    assert [e.action for e in log.entries(limit=1)] == ["auth.failed"]


async def test_a_waiter_cancelled_before_it_gets_a_connection_gives_it_back(postgres_url: str) -> None:
    db = PostgresDatabase(postgres_url, max_turns=1)
    try:
        held, release = asyncio.Event(), asyncio.Event()

        async def holder() -> None:
            async with db.turn_lock("thread-1"):
                held.set()
                await release.wait()

        holding = asyncio.create_task(holder())
        await held.wait()
        # The only turn connection is taken, so this waiter blocks in the pool, then is cancelled.
        waiter = asyncio.create_task(_enter(db, "thread-2"))
        await asyncio.sleep(0.2)
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        release.set()
        await holding
        await asyncio.wait_for(_enter(db, "thread-3"), timeout=5)
    finally:
        db.close()
