"""Hands-on work: steps a connector cannot take over (physical work, meetings, work on site), from ``hands_on.toml``."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from process_designer.domain.models import Step

__all__ = ["HandsOn", "hands_on"]


@dataclass(frozen=True)
class HandsOn:
    """Why a step is hands-on: its ``kind`` of work, the ``reason`` in words, the ``phrase`` that said so."""

    kind: str
    reason: str
    phrase: str


def _word(word: str) -> str:
    """A word and its inflections: "pick" → picks, picked, picking; "ship" → shipped; "move" → moved."""
    stem = re.escape(word[:-1] if word.endswith("e") and len(word) > 3 else word)
    return rf"{stem}(?:e|es|s|ed|d|ing|{re.escape(word[-1])}(?:ed|ing))?"


def _pattern(phrase: str) -> re.Pattern[str]:
    words = re.split(r"[\s-]+", phrase.lower())
    gap = r"(?:[\s-]+[\w'-]+){0,2}[\s-]+"
    return re.compile(r"(?<![\w-])" + gap.join(_word(w) for w in words) + r"(?![\w-])", re.IGNORECASE)


@cache
def _kinds() -> list[tuple[str, str, list[tuple[str, re.Pattern[str]]]]]:
    data = tomllib.loads(resources.files("process_designer.maps").joinpath("hands_on.toml").read_text("utf-8"))
    return [(kind, entry["reason"], [(p, _pattern(p)) for p in entry["phrases"]]) for kind, entry in data.items()]


def hands_on(step: Step) -> HandsOn | None:
    """The hands-on work ``step``'s name or actions name, if any."""
    texts = [step.name, *step.actions]
    for kind, reason, patterns in _kinds():
        for phrase, pattern in patterns:
            if any(pattern.search(text) for text in texts):
                return HandsOn(kind, reason, phrase)
    return None
