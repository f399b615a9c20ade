"""Fixtures of the gRPC tests: settings in a temporary data directory and a running server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from grpc_harness import Running, running_server

from process_designer.config import Settings
from process_designer.knowledge.library import TemplateLibrary


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", max_message_bytes=2048)


@pytest.fixture(scope="session")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TemplateLibrary]:
    """One indexed template library for the whole session (indexing takes seconds)."""
    shared = TemplateLibrary(Settings(data_dir=tmp_path_factory.mktemp("library")))
    shared.ensure_index()
    yield shared
    shared.close()


@pytest.fixture
async def running(settings: Settings, library: TemplateLibrary) -> AsyncIterator[Running]:
    async with running_server(settings, library) as started:
        yield started


