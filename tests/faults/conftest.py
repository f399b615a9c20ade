"""Fault-test fixtures: one indexed template library shared by every server process of the session."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from process_designer.config import Settings
from process_designer.designer import Designer
from process_designer.knowledge.library import TemplateLibrary
from process_designer.server.chat_service import ChatService
from process_designer.server.grpc_server import create_server


@pytest.fixture(scope="session")
def library_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A template index built once and closed, so that child server processes can open it in turn."""
    path = tmp_path_factory.mktemp("library")
    library = TemplateLibrary(Settings(data_dir=path))
    library.ensure_index()
    library.close()
    return path


@pytest.fixture(scope="session")
def library(library_dir: Path) -> Iterator[TemplateLibrary]:
    """The shared index opened in this process, for in-process servers (after the kill tests' children)."""
    opened = TemplateLibrary(Settings(data_dir=library_dir))
    yield opened
    opened.close()


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
