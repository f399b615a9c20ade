"""Fault-test fixtures: one indexed template library shared by every server process of the session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from process_designer.config import Settings
from process_designer.knowledge.library import TemplateLibrary
from tests.scale.postgres_cluster import PostgresCluster, postgres_cluster


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    """A throwaway PostgreSQL cluster, started only for the tests that ask for it."""
    with postgres_cluster() as cluster:
        yield cluster


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
