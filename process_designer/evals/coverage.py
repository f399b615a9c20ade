"""Keyword and number coverage over a document's text: case-insensitive, ``$1,000`` ≈ ``$1000`` ≈ ``1000``."""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["contains_all", "coverage", "normalise_text"]

_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_CURRENCY = re.compile(r"[$€£]")
_SPACES = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Lower-case, drop currency signs and thousands separators, collapse white space."""
    text = _CURRENCY.sub("", text.lower())
    text = _THOUSANDS.sub("", text)
    return _SPACES.sub(" ", text).strip()


def _pattern(keyword: str) -> re.Pattern[str]:
    needle = normalise_text(keyword)
    # A keyword must start at a word boundary ("manager" finds "managers", not "submanager");
    # a number must also end at one, so "500" never matches inside "1500" or "5000".
    tail = r"(?!\.?\d)" if needle[-1:].isdigit() else ""
    return re.compile(r"(?<![a-z0-9])" + re.escape(needle) + tail)


def contains_all(text: str, keywords: Sequence[str]) -> bool:
    """Whether every keyword occurs in ``text`` (both normalised with :func:`normalise_text`)."""
    haystack = normalise_text(text)
    return all(_pattern(word).search(haystack) for word in keywords if word.strip())


def coverage(text: str, expectations: Sequence[Sequence[str]]) -> float | None:
    """Share of expectations (each a list of keywords that must all occur) found in ``text``.

    ``None`` when there is nothing to expect, so empty expectations never inflate an average.
    """
    if not expectations:
        return None
    found = sum(1 for keywords in expectations if contains_all(text, keywords))
    return found / len(expectations)
