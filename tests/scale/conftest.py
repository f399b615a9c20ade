"""Fixtures of the scale-out tests: a real PostgreSQL cluster, a database per test, the template library."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from postgres_cluster import PostgresCluster, postgres_cluster

from process_designer.config import Settings
from process_designer.knowledge.library import TemplateLibrary


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    with postgres_cluster() as cluster:
        yield cluster


@pytest.fixture
def postgres_url(postgres: PostgresCluster) -> str:
    """An empty database on the shared cluster."""
    return postgres.new_database()


@pytest.fixture(scope="session")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TemplateLibrary]:
    """One indexed template library for the session (indexing takes seconds)."""
    shared = TemplateLibrary(Settings(data_dir=tmp_path_factory.mktemp("library")))
    shared.ensure_index()
    yield shared
    shared.close()
