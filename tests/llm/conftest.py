"""Fixtures for the LLM engine: a scripted OpenAI-compatible server and settings pointing at it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from process_designer.config import Settings, load_settings

from .fake_openai import FakeOpenAI


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


def settings_for(server: FakeOpenAI, data_dir: Path, **env: str) -> Settings:
    """Settings on ``server`` with fast back-off; ``env`` adds or overrides variables."""
    base = {"PD_MODEL": "openai:test-model", "OPENAI_BASE_URL": server.url, "OPENAI_API_KEY": "sk-test",
            "PD_LLM_BACKOFF": "0.01", "PD_LLM_TIMEOUT": "5", "PD_DATA_DIR": str(data_dir)}
    return load_settings(environ={**base, **env}, dotenv=None)


@pytest.fixture
def settings(fake: FakeOpenAI, tmp_path: Path) -> Settings:
    return settings_for(fake, tmp_path)
