"""Parsed curated templates kept between runs, so a command starts without re-reading 150 TOML files.

The cache holds only the curated library shipped with the package (never a user's templates). It is
keyed by the code that defines a parsed template: when any module of ``knowledge`` or ``domain``
changes, the whole cache is ignored and rebuilt. Each entry also carries the sha256 of its file, so a
changed template is parsed again like before. A cache that cannot be read or written is ignored:
it only ever saves time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path

from process_designer import __version__
from process_designer.knowledge.template_model import ProcessTemplate

Parsed = dict[Path, tuple[str, ProcessTemplate]]

_PACKAGE = Path(__file__).resolve().parent.parent
_CODE_DIRS = ("knowledge", "domain")


@lru_cache(maxsize=1)
def code_key() -> str:
    """A digest of the package version and of every module a parsed template's classes come from."""
    digest = hashlib.sha256(__version__.encode())
    for folder in _CODE_DIRS:
        for module in sorted((_PACKAGE / folder).glob("*.py")):
            digest.update(module.name.encode())
            digest.update(module.read_bytes())
    return digest.hexdigest()


def load(path: Path, folder: Path) -> Parsed:
    """The cached parses of templates in ``folder``; empty when the cache is missing, stale or unreadable."""
    try:
        with path.open("rb") as handle:
            key, entries = pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError, TypeError):
        return {}
    if key != code_key() or not isinstance(entries, dict):
        return {}
    return {p: entry for p, entry in entries.items() if isinstance(p, Path) and p.parent == folder}


def save(path: Path, parsed: Parsed, folder: Path) -> None:
    """Keep the parses of ``folder``'s templates in ``path`` (atomically; a failure is ignored)."""
    entries = {p: entry for p, entry in parsed.items() if p.parent == folder}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump((code_key(), entries), out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except (OSError, pickle.PicklingError):
        Path(temporary).unlink(missing_ok=True)
