"""Fault-test fixtures: one indexed template library shared by every server process of the session."""

from __future__ import annotations

from pathlib import Path

import pytest

from process_designer.config import Settings
from process_designer.knowledge.library import TemplateLibrary


@pytest.fixture(scope="session")
def library_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A template index built once and closed, so that child server processes can open it in turn."""
    path = tmp_path_factory.mktemp("library")
    library = TemplateLibrary(Settings(data_dir=path))
    library.ensure_index()
    library.close()
    return path
