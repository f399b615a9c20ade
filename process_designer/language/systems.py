"""The systems a process text names (SPy connectors), from ``data/systems.toml``."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from process_designer.language.lexicon import data_file

__all__ = ["SYSTEM_LABELS", "detect_systems", "system_phrases"]


@lru_cache(maxsize=1)
def _data() -> dict[str, dict[str, Any]]:
    return data_file("systems.toml")


def system_phrases() -> dict[str, tuple[str, ...]]:
    """Connector name → the phrases that name it."""
    return {name: tuple(phrases) for name, phrases in _data()["phrases"].items()}


SYSTEM_LABELS: dict[str, str] = {name: str(label) for name, label in _data()["labels"].items()}


def _pattern(phrases: list[str] | tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(p) for p in phrases) + r")(?![\w-])", re.IGNORECASE)


@lru_cache(maxsize=1)
def _patterns() -> dict[str, tuple[re.Pattern[str], re.Pattern[str] | None]]:
    """Each connector's pattern, and the pattern of the phrases in which its words name something else."""
    exclusions: dict[str, list[str]] = _data().get("exclusions", {})
    return {name: (_pattern(phrases), _pattern(exclusions[name]) if exclusions.get(name) else None)
            for name, phrases in system_phrases().items()}


def _first_mention(text: str, pattern: re.Pattern[str], excluded: re.Pattern[str] | None) -> int | None:
    """Where ``pattern`` first names its connector in ``text``, outside the phrases ``excluded`` matches."""
    if excluded is not None:  # blanked, not removed, so that positions stay those of the text
        text = excluded.sub(lambda match: " " * len(match.group()), text)
    match = pattern.search(text)
    return match.start() if match else None


def detect_systems(text: str) -> list[str]:
    """Connector names mentioned in ``text``, in order of first mention."""
    found = sorted((start, name) for name, (pattern, excluded) in _patterns().items()
                   if (start := _first_mention(text, pattern, excluded)) is not None)
    return [name for _, name in found]
