"""Fixtures of the HTTP tests: one real server for the run, one process designed through it, and a
second server that asks for a token (HS256 JWTs and an API key)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from http_harness import (
    API_KEY,
    CONTEXT,
    JWT_SECRET,
    REQUIREMENTS,
    TURN_TIMEOUT,
    Designed,
    Running,
    read_turn,
    running_server,
)
from websockets.sync.client import connect

from process_designer.config import Settings
from process_designer.server.auth import hash_api_key


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(data_dir=tmp_path_factory.mktemp("http") / "data", max_message_bytes=2048)


@pytest.fixture(scope="session")
def server(settings: Settings) -> Iterator[Running]:
    with running_server(settings) as running:
        yield running


@pytest.fixture(scope="session")
def secured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """A server with authentication on: JWTs signed with :data:`JWT_SECRET` and :data:`API_KEY`."""
    root = tmp_path_factory.mktemp("secured")
    keys = root / "api-keys"
    keys.write_text(f"globex:robot:{hash_api_key(API_KEY)}\n")
    settings = Settings(data_dir=root / "data", max_message_bytes=2048, jwt_secret=JWT_SECRET, api_keys_file=keys)
    with running_server(settings) as running:
        yield running


@pytest.fixture
def client(server: Running) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.api, timeout=TURN_TIMEOUT) as http:
        yield http


@pytest.fixture(scope="session")
def designed(server: Running) -> Designed:
    created = httpx.post(f"{server.api}/sessions", timeout=TURN_TIMEOUT, json={
        "title": "Customer Onboarding Process", "requirements": REQUIREMENTS, "context": CONTEXT,
    })
    assert created.status_code == 201, created.text
    body = created.json()
    with connect(body["websocket_url"]) as ws:
        frames = read_turn(ws)
    return Designed(body["session_id"], body["thread_id"], body, frames)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    path = Path(__file__).resolve().parents[2] / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path
