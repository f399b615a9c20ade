"""Fixtures for the designer: one template library and designer per session, fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from process_designer.config import Settings, load_settings
from process_designer.designer import Designer
from process_designer.knowledge.library import TemplateLibrary

FIXED_NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="session")
def designer_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    data_dir: Path = tmp_path_factory.mktemp("designer-data")
    return load_settings(environ={}, dotenv=None).with_overrides(data_dir=data_dir)


@pytest.fixture(scope="session")
def library(designer_settings: Settings) -> Iterator[TemplateLibrary]:
    lib = TemplateLibrary(designer_settings)
    lib.ensure_index()
    yield lib
    lib.close()


@pytest.fixture(scope="session")
def designer(designer_settings: Settings, library: TemplateLibrary) -> Iterator[Designer]:
    instance = Designer(designer_settings, library=library)
    instance.deps.clock = lambda: FIXED_NOW
    yield instance
    instance.close()
