"""What the graph's nodes need from outside: settings, the template library and a clock."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from process_designer.agents.engines import AgentEngines, offline_engines
from process_designer.config import Settings, load_settings
from process_designer.errors import ProcessDesignerError
from process_designer.knowledge.template_model import ProcessTemplate

__all__ = ["DesignerDeps"]

log = logging.getLogger(__name__)


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class DesignerDeps:
    """Dependencies of the nodes; the template library is opened on first use."""

    settings: Settings = field(default_factory=lambda: load_settings(dotenv=None))
    clock: Callable[[], datetime] = _utc_now
    library: object | None = None  # a TemplateLibrary; typed loosely so tests can pass a real one of any path
    engines: AgentEngines = field(default_factory=offline_engines)
    _opened: bool = False

    def templates_for(self, text: str, top: int = 3) -> list[ProcessTemplate]:
        """Templates most relevant to ``text``; empty when the library cannot be used."""
        library = self._library()
        if library is None:
            return []
        hits = library.search(text, top=top)  # type: ignore[attr-defined]
        chosen = [hit.template for hit in hits if hit.score >= 0.35]
        if chosen:
            library.record_use([chosen[0].id])  # type: ignore[attr-defined]
        return chosen

    def _library(self) -> object | None:
        if self.library is None and not self._opened:
            self._opened = True
            try:
                from process_designer.knowledge.library import TemplateLibrary

                self.library = TemplateLibrary(self.settings)
            except ProcessDesignerError as exc:
                log.warning("template library unavailable: %s", exc)
        return self.library

    def now_iso(self) -> str:
        return self.clock().isoformat(timespec="seconds")
