"""A real HTTP server (uvicorn on port 0) over a real ChatService and Designer, in its own thread."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from process_designer.config import Settings
from process_designer.designer import Designer
from process_designer.knowledge.library import TemplateLibrary
from process_designer.server.chat_service import ChatService
from process_designer.server.http_listener import HttpListener, start_http

API = "/api/v1/process-designer"


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
def running_server(settings: Settings) -> Iterator[Running]:
    """Serve the app until the block ends; the service and designer are closed afterwards."""
    loop = asyncio.new_event_loop()
    started = threading.Event()
    stop: list[asyncio.Event] = []
    holder: list[HttpListener | BaseException] = []

    async def main() -> None:
        library = TemplateLibrary(settings)
        designer = Designer(settings, library=library)
        service = ChatService(designer, settings)
        try:
            listener = await start_http(service, settings.with_overrides(http_port=0), designer, library)
        except BaseException as exc:
            holder.append(exc)
            started.set()
            service.close()
            raise
        stop.append(asyncio.Event())
        holder.append(listener)
        started.set()
        try:
            await stop[0].wait()
        finally:
            await listener.stop(5)
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
