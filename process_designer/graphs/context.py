"""What the graph's nodes need from outside: settings, the template library, a clock and the tenant's feedback."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from process_designer.agents.engines import AgentEngines, offline_engines
from process_designer.config import Settings, load_settings
from process_designer.domain.models import DesignContext
from process_designer.errors import ProcessDesignerError
from process_designer.feedback import FeedbackProfile, FeedbackStore
from process_designer.knowledge.template_model import ProcessTemplate

__all__ = ["DesignerDeps"]

log = logging.getLogger(__name__)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _local_tenant() -> str:
    return "local"


@dataclass
class DesignerDeps:
    """Dependencies of the nodes; the template library is opened on first use."""

    settings: Settings = field(default_factory=lambda: load_settings(dotenv=None))
    clock: Callable[[], datetime] = _utc_now
    library: object | None = None  # a TemplateLibrary; typed loosely so tests can pass a real one of any path
    engines: AgentEngines = field(default_factory=offline_engines)
    feedback: FeedbackStore | None = None  # what tenants rated, edited and dismissed; no learning without it
    tenant: Callable[[], str] = _local_tenant  # the tenant of the turn being run
    _opened: bool = False

    def templates_for(self, text: str, top: int = 3) -> list[ProcessTemplate]:
        """Templates most relevant to ``text``; empty when the library cannot be used."""
        library = self._library()
        if library is None:
            return []
        hits = library.search(text, top=top)  # type: ignore[attr-defined]
        # Below 0.40 a template is only loosely related ("data breach" scores 0.39 against data
        # subject requests), and a short request would take on its steps wholesale.
        relevant = [hit for hit in hits if hit.score >= 0.40]
        profile = self.feedback_profile()
        if profile is not None:  # the tenant's accepted templates first, repeatedly rejected ones last
            relevant.sort(key=lambda hit: hit.score + profile.template_adjustment(hit.template.id), reverse=True)
        chosen = [hit.template for hit in relevant]
        if chosen:
            library.record_use([chosen[0].id])  # type: ignore[attr-defined]
        return chosen

    def feedback_profile(self) -> FeedbackProfile | None:
        """What the current tenant's feedback taught, or ``None`` without a feedback store."""
        return self.feedback.profile(self.tenant()) if self.feedback is not None else None

    def with_preferences(self, context: DesignContext) -> DesignContext:
        """``context`` with the tenant's preferred owner when the user named none."""
        profile = self.feedback_profile()
        if context.owner or profile is None or profile.preferred_owner is None:
            return context
        return context.model_copy(update={"owner": profile.preferred_owner})

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
