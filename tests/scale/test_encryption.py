"""Encryption at rest: content never appears in the SQLite files or Postgres tables; tampering fails closed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import aclosing
from pathlib import Path

import psycopg
import pytest
from cryptography.fernet import Fernet

from process_designer.config import Settings
from process_designer.designer import Designer
from process_designer.errors import ConfigError, StorageError
from process_designer.knowledge.library import TemplateLibrary
from process_designer.knowledge.template_model import ProcessTemplate
from process_designer.server.chat_service import ChatService
from process_designer.server.messages import IncomingMessage
from process_designer.server.sessions import SessionStore
from process_designer.server.turn_records import TurnRecords
from process_designer.service import DesignService
from process_designer.storage import open_database
from process_designer.storage.crypto import Sealer

CANARY = "Zanzibar-canary-4417"
REQUIREMENTS = (f"Sales closes the {CANARY} deal in the CRM, then billing creates the subscription within 1 day.")
KEY, OLD_KEY = Fernet.generate_key().decode(), Fernet.generate_key().decode()


@pytest.fixture(params=["sqlite", "postgres"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    url = request.getfixturevalue("postgres_url") if request.param == "postgres" else None
    return Settings(data_dir=tmp_path / "data", database_url=url, encryption_key=KEY)


@pytest.fixture
def service(settings: Settings, library: TemplateLibrary) -> Iterator[ChatService]:
    chat = ChatService(Designer(settings, library=library), settings)
    yield chat
    chat.close()


async def _turn(service: ChatService, thread_id: str, content: str = REQUIREMENTS, msg_id: str = "m-1") -> int | None:
    message = IncomingMessage(thread_id=thread_id, role="USER", content=content, client_msg_id=msg_id)
    async with aclosing(service.handle(message)) as answers:
        final = [a async for a in answers][-1]
    assert final.final is True
    return final.version


def _stored_text(settings: Settings) -> str:
    """Everything the databases hold, as text (bytea shown as hex)."""
    if settings.database_url is None:
        files = [*settings.data_dir.glob("*.sqlite"), *settings.data_dir.glob("*.sqlite-wal")]
        assert {f.name for f in files} >= {"threads.sqlite", "chat.sqlite", "sessions.sqlite"}
        return "\n".join(f.read_bytes().decode("latin-1") for f in files)
    with psycopg.connect(settings.database_url) as conn:
        tables = [row[0] for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
        assert {"checkpoints", "checkpoint_blobs", "checkpoint_writes", "chat_turn_records", "sessions"} <= set(tables)
        return "\n".join(str(row[0]) for table in tables
                         for row in conn.execute(f"SELECT t::text FROM {table} t"))  # type: ignore[arg-type]


async def test_content_is_never_stored_in_the_clear(settings: Settings, service: ChatService) -> None:
    store = SessionStore.open(settings)
    try:
        session = store.create("Onboarding", REQUIREMENTS, {"owner": CANARY})
        assert store.get(session.session_id).requirements == REQUIREMENTS
    finally:
        store.close()
    assert await _turn(service, "thread-1") == 1
    assert await _turn(service, "thread-1", f"Change step 2 so that {CANARY} approves it first.", "m-2") == 2
    history = service.history("thread-1")
    assert [(m.role, m.content) for m in history if m.role == "USER"] == [
        ("USER", REQUIREMENTS), ("USER", f"Change step 2 so that {CANARY} approves it first.")]

    stored = _stored_text(settings)
    assert CANARY not in stored
    assert CANARY.encode().hex() not in stored


async def test_a_tampered_record_fails_closed(settings: Settings, service: ChatService) -> None:
    await _turn(service, "thread-1")
    database = open_database(settings, "chat.sqlite")
    try:
        [(sealed,)] = database.execute("SELECT messages FROM chat_turn_records")
        flipped = sealed[:-12] + ("A" if sealed[-12] != "A" else "B") + sealed[-11:]
        database.execute("UPDATE chat_turn_records SET messages = ?", (flipped,))
        with pytest.raises(StorageError, match="failed its integrity check"):
            TurnRecords(database, Sealer.from_setting(KEY)).get("thread-1", "m-1")
    finally:
        database.close()


async def test_keys_rotate_and_a_missing_key_is_named(settings: Settings, tmp_path: Path) -> None:
    old = SessionStore.open(settings.with_overrides(encryption_key=OLD_KEY))
    try:
        session = old.create("T", REQUIREMENTS, {})
    finally:
        old.close()
    rotated = SessionStore.open(settings.with_overrides(encryption_key=f"{KEY},{OLD_KEY}"))
    try:
        assert rotated.get(session.session_id).requirements == REQUIREMENTS
    finally:
        rotated.close()
    for key, message in ((KEY, "failed its integrity check"), (None, "PD_ENCRYPTION_KEY is not set")):
        store = SessionStore.open(settings.with_overrides(encryption_key=key))
        try:
            with pytest.raises(StorageError, match=message):
                store.get(session.session_id)
        finally:
            store.close()


async def test_a_tampered_checkpoint_fails_closed(tmp_path: Path, library: TemplateLibrary) -> None:
    settings = Settings(data_dir=tmp_path / "data", encryption_key=KEY)
    designer = Designer(settings, library=library)
    try:
        designer.run_turn("thread-1", REQUIREMENTS)
        database = open_database(settings, "threads.sqlite")
        try:
            database.execute("UPDATE checkpoints SET checkpoint = CAST(X'00' AS BLOB) || substr(checkpoint, 2)")
        finally:
            database.close()
        with pytest.raises(StorageError, match="a checkpoint failed its integrity check"):
            designer.history("thread-1")
    finally:
        designer.close()


async def test_a_wrong_or_missing_key_is_refused_at_start(settings: Settings, service: ChatService) -> None:
    await _turn(service, "keyed")
    with pytest.raises(ConfigError, match=r"^PD_ENCRYPTION_KEY does not open the checkpoints in "):
        Designer(settings.with_overrides(encryption_key=OLD_KEY), library=None)
    with pytest.raises(ConfigError, match=r" are encrypted; set PD_ENCRYPTION_KEY to the key they were written with"):
        Designer(settings.with_overrides(encryption_key=None), library=None)
    rotated = Designer(settings.with_overrides(encryption_key=f"{OLD_KEY},{KEY}"), library=None)
    try:
        assert [entry.role for entry in rotated.history("keyed")] == ["USER", "ASSISTANT"]
    finally:
        rotated.close()


def _files_text(*folders: Path) -> str:
    """Every byte of every file under ``folders`` (SQLite files, TOML, JSON, Chroma's store), as text."""
    files = [path for folder in folders for path in sorted(folder.rglob("*")) if path.is_file()]
    assert files
    return "\n".join(path.read_bytes().decode("latin-1") for path in files)


async def test_session_titles_and_added_templates_are_never_stored_in_the_clear(
        settings: Settings, library: TemplateLibrary) -> None:
    service = DesignService(Designer(settings, library=library))
    try:
        session = await service.create_session(f"{CANARY} onboarding", REQUIREMENTS)
        await service.send(session.session_id, "Change step 2 so that finance approves it first.", client_msg_id="m-2")
        assert service.session(session.session_id).title == f"{CANARY} onboarding"
        document = service.process(session.session_id).document.to_json()
        document.pop("markdown")
        template = ProcessTemplate.model_validate({
            "id": "canary-template", "title": f"{CANARY} subscription onboarding", "category": "customer",
            "business_domain": "SaaS", "tags": ["onboarding", CANARY], "document": document})
        service.add_template(template, override=True)  # saved as it is: secrecy is under test, not the gate
        found = service.search_templates(f"{CANARY} subscription onboarding", top=3)
        assert found[0].template.title == f"{CANARY} subscription onboarding"
    finally:
        service.close()

    stored = _files_text(settings.data_dir, library.user_templates_dir.parent)
    if settings.database_url is not None:
        stored += _stored_text(settings)
    assert stored.count(CANARY) == 0
    assert CANARY.encode().hex() not in stored
