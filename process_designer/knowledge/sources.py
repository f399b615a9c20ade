"""Reads template files from the curated and user folders; bad files become one-line reports."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from process_designer.errors import TemplateError
from process_designer.knowledge.template_model import ProcessTemplate, template_from_toml

__all__ = ["TemplateSource", "read_sources"]

_ID_LINE = re.compile(r"^\s*id\s*=", re.MULTILINE)


@dataclass(frozen=True)
class TemplateSource:
    """One parsed template file: where it came from and the hash of its bytes."""

    path: Path
    origin: str  # "curated" or "user"
    content_hash: str
    template: ProcessTemplate


def _id_line(text: str) -> int:
    match = _ID_LINE.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def read_sources(
    folders: Sequence[tuple[Path, str]],
    parsed_before: dict[Path, tuple[str, ProcessTemplate]],
    report: Callable[[str], None],
) -> tuple[dict[str, TemplateSource], list[str], dict[Path, tuple[str, ProcessTemplate]]]:
    """Every valid template in ``folders`` (``(folder, origin)``, earlier folders win an id).

    Returns the sources by id, one line per skipped file (``file:line: why``), and the parse
    cache for the next call: files whose bytes did not change are not parsed again.
    """
    sources: dict[str, TemplateSource] = {}
    skipped: list[str] = []
    parsed: dict[Path, tuple[str, ProcessTemplate]] = {}

    def skip(line: str) -> None:
        skipped.append(line)
        report(f"skipped {line}")

    for folder, origin in folders:
        for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
            try:
                raw = path.read_bytes()
                text = raw.decode("utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                skip(f"{path}: cannot read the template: {exc}")
                continue
            content_hash = hashlib.sha256(raw).hexdigest()
            cached = parsed_before.get(path)
            if cached is not None and cached[0] == content_hash:
                template = cached[1]
            else:
                try:
                    template = template_from_toml(text, str(path))
                except TemplateError as exc:
                    skip(str(exc))
                    continue
            parsed[path] = (content_hash, template)
            other = sources.get(template.id)
            if other is not None:
                skip(
                    f"{path}:{_id_line(text)}: id {template.id!r} is already used by "
                    f"{other.path}; give this template another id"
                )
                continue
            sources[template.id] = TemplateSource(path, origin, content_hash, template)
    return sources, skipped, parsed
