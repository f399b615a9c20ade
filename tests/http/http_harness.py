"""A real HTTP server (uvicorn on port 0) over a real DesignService and Designer, in its own thread,
the credentials a secured one accepts, and reading a chat turn.

The tests import these from here, not from ``conftest``: another test folder's ``conftest`` may be
the one of that name when several folders run together.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import jwt
from websockets.sync.client import ClientConnection

from process_designer.config import Settings
from process_designer.knowledge.library import TemplateLibrary
from process_designer.server.http_listener import HttpListener, start_http
from process_designer.service import DesignService

API = "/api/v1/process-designer"

# The first design turn in a fresh data directory loads the embedder and indexes the templates.
TURN_TIMEOUT = 180.0
REQUIREMENTS = "Create process for automated customer onboarding process"
CONTEXT = {"business_domain": "SaaS", "complexity": "medium", "integrations": ["crm", "email", "billing"]}
JWT_SECRET = "http-test-secret-of-32-bytes-or-more-0123456789"
API_KEY = "pdk-globex-robot-" + "7" * 24  # tenant globex, subject robot


def hs256(tenant: str, subject: str = "alice", expires_in: float = 300) -> str:
    """A JWT the secured server accepts (or has expired, with a negative ``expires_in``)."""
    claims = {"sub": subject, "tenant": tenant, "exp": int(time.time() + expires_in)}
    return jwt.encode(claims, JWT_SECRET, algorithm="HS256")


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


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


@dataclass
class Running:
    """Where the server listens."""

    port: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api(self) -> str:
        return self.base + API

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}{API}"


@contextmanager
def running_server(settings: Settings, **listener: float) -> Iterator[Running]:
    """Serve the app until the block ends; the service and designer are closed afterwards.

    ``listener`` passes options (ping interval and timeout) to ``start_http``."""
    loop = asyncio.new_event_loop()
    started = threading.Event()
    stop: list[asyncio.Event] = []
    holder: list[HttpListener | BaseException] = []

    async def main() -> None:
        library = TemplateLibrary(settings)
        service = DesignService.open(settings, library=library)
        try:
            http = await start_http(service, settings.with_overrides(http_port=0), **listener)
        except BaseException as exc:
            holder.append(exc)
            started.set()
            service.close()
            raise
        stop.append(asyncio.Event())
        holder.append(http)
        started.set()
        try:
            await stop[0].wait()
        finally:
            await http.stop(5)
            service.close()

    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
    thread.start()
    started.wait(60)
    result = holder[0]
    if isinstance(result, BaseException):
        raise result
    try:
        yield Running(result.port)
    finally:
        loop.call_soon_threadsafe(stop[0].set)
        thread.join(30)
        loop.close()
