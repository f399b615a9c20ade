"""Per-template usage counts (the seed's *Popular Templates*), kept in a JSON file under the data dir."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path

from process_designer.errors import StorageError

__all__ = ["UsageCounter"]


class UsageCounter:
    """Counts how often each template was used; thread-safe, written atomically on every change."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._counts: dict[str, int] | None = None

    def _load(self) -> dict[str, int]:
        if self._counts is None:
            try:
                raw = (
                    json.loads(self._path.read_text(encoding="utf-8"))
                    if self._path.exists()
                    else {}
                )
            except (OSError, ValueError) as exc:
                raise StorageError(
                    f"{self._path}: cannot read template usage counts ({exc}); fix or delete the file"
                ) from exc
            if not isinstance(raw, dict):
                raise StorageError(
                    f"{self._path}: expected a JSON object of counts; fix or delete the file"
                )
            self._counts = {str(k): int(v) for k, v in raw.items() if isinstance(v, int)}
        return self._counts

    def record(self, template_ids: Sequence[str]) -> None:
        """Add one use to each id (an id listed twice counts twice)."""
        if not template_ids:
            return
        with self._lock:
            counts = self._load()
            for template_id in template_ids:
                counts[template_id] = counts.get(template_id, 0) + 1
            self._write(counts)

    def counts(self) -> dict[str, int]:
        """All counts, most used first, ties by id."""
        with self._lock:
            counts = self._load()
            return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def _write(self, counts: dict[str, int]) -> None:
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self._path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps(counts, indent=2, sort_keys=True), encoding="utf-8")
            os.replace(temporary, self._path)
        except OSError as exc:
            raise StorageError(f"{self._path}: cannot save template usage counts: {exc}") from exc
