"""Fixtures of the scale-out tests: a real PostgreSQL cluster and a database per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from postgres_cluster import PostgresCluster, postgres_cluster


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    with postgres_cluster() as cluster:
        yield cluster


@pytest.fixture
def postgres_url(postgres: PostgresCluster) -> str:
    """An empty database on the shared cluster."""
    return postgres.new_database()
