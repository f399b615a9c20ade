"""The systems a process text names (SPy connectors), from ``data/systems.toml``."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["SYSTEM_LABELS", "detect_systems", "system_phrases"]


@lru_cache(maxsize=1)
def _data() -> dict[str, dict[str, Any]]:
    text = resources.files("process_designer.language").joinpath("data/systems.toml").read_text("utf-8")
    return tomllib.loads(text)


def system_phrases() -> dict[str, tuple[str, ...]]:
    """Connector name → the phrases that name it."""
    return {name: tuple(phrases) for name, phrases in _data()["phrases"].items()}


SYSTEM_LABELS: dict[str, str] = {name: str(label) for name, label in _data()["labels"].items()}


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    return {name: re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(p) for p in phrases) + r")(?![\w-])", re.IGNORECASE)
            for name, phrases in system_phrases().items()}


def detect_systems(text: str) -> list[str]:
    """Connector names mentioned in ``text``, in order of first mention."""
    found = sorted((match.start(), name) for name, pattern in _patterns().items()
                   if (match := pattern.search(text)))
    names = [name for _, name in found]
    # "accounts payable" is finance, not identity
    if "identity" in names and re.search(r"accounts? (payable|receivable)", text, re.IGNORECASE):
        names.remove("identity")
    return names
