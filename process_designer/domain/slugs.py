"""The one file-name form of a title, for exports, ``design --out`` files and template ids."""

from __future__ import annotations

import re

__all__ = ["slug"]

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def slug(title: str) -> str:
    """``title`` in lower case, runs of other characters as one ``-``, at most 60 characters; ``process`` if empty."""
    return _NOT_WORD.sub("-", title.lower()).strip("-")[:60] or "process"
