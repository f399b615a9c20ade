"""Fixtures for adaptive learning: one real template library and designer per session, fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from process_designer.config import Settings, load_settings
from process_designer.designer import Designer
from process_designer.knowledge.library import TemplateLibrary
from process_designer.server.auth import LOCAL, acting_as

FIXED_NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="session")
def feedback_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    data_dir: Path = tmp_path_factory.mktemp("feedback-data")
    return load_settings(environ={}, dotenv=None).with_overrides(data_dir=data_dir)


@pytest.fixture(scope="session")
def feedback_library(feedback_settings: Settings) -> Iterator[TemplateLibrary]:
    library = TemplateLibrary(feedback_settings)
    library.ensure_index()
    yield library
    library.close()


@pytest.fixture(scope="session")
def feedback_designer(feedback_settings: Settings, feedback_library: TemplateLibrary) -> Iterator[Designer]:
    designer = Designer(feedback_settings, library=feedback_library)
    designer.deps.clock = lambda: FIXED_NOW
    yield designer
    designer.close()


@pytest.fixture(autouse=True)
def local_principal() -> Iterator[None]:
    """Tests that act as a tenant hand the caller back to the local user."""
    yield
    acting_as(LOCAL)
