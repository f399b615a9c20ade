"""Fixtures of the HTTP tests: one real server for the run and one process designed through it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from http_harness import Running, running_server
from websockets.sync.client import ClientConnection, connect

from process_designer.config import Settings

# The first design turn in a fresh data directory loads the embedder and indexes the templates.
TURN_TIMEOUT = 180.0
REQUIREMENTS = "Create process for automated customer onboarding process"
CONTEXT = {"business_domain": "SaaS", "complexity": "medium", "integrations": ["crm", "email", "billing"]}


def read_turn(ws: ClientConnection) -> list[dict[str, Any]]:
    """Frames up to and including the final answer (or an error frame)."""
    frames: list[dict[str, Any]] = []
    while True:
        frame = json.loads(ws.recv(timeout=TURN_TIMEOUT))
        frames.append(frame)
        if frame.get("final") or "error" in frame:
            return frames


@dataclass(frozen=True)
class Designed:
    """A session whose first turn ran from its requirements; ``frames`` are what the chat streamed."""

    session_id: str
    thread_id: str
    created: dict[str, Any]
    frames: list[dict[str, Any]]


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(data_dir=tmp_path_factory.mktemp("http") / "data", max_message_bytes=2048)


@pytest.fixture(scope="session")
def server(settings: Settings) -> Iterator[Running]:
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
