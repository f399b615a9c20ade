"""An in-process gRPC server over a real ChatService, for fault tests that need one (also in child processes)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from process_designer.config import Settings
from process_designer.designer import Designer
from process_designer.knowledge.library import TemplateLibrary
from process_designer.server.chat_service import ChatService
from process_designer.server.grpc_server import create_server


@contextlib.asynccontextmanager
async def in_process_server(data_dir: Path, library: TemplateLibrary) -> AsyncIterator[tuple[ChatService, str]]:
    """A real ChatService behind a real gRPC server on 127.0.0.1:0; stopped on exit."""
    service = ChatService(Designer(Settings(data_dir=data_dir), library=library), Settings(data_dir=data_dir))
    server, port = create_server(service, "127.0.0.1:0")
    await server.start()
    try:
        yield service, f"127.0.0.1:{port}"
    finally:
        await server.stop(1)
        service.close()
