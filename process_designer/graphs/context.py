"""What the graph's nodes need from outside: settings, the template library, a clock and the tenant's feedback."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from process_designer.agents.engines import AgentEngines, offline_engines
from process_designer.config import Settings
from process_designer.domain.models import DesignContext, ProcessDocument, QualityReport
from process_designer.errors import InputError, ProcessDesignerError
from process_designer.feedback import FeedbackProfile, FeedbackStore
from process_designer.knowledge.template_model import ProcessTemplate

if TYPE_CHECKING:
    from process_designer.knowledge.library import TemplateHit

__all__ = ["DesignerDeps", "TemplateSource", "open_library"]

log = logging.getLogger(__name__)

# A template is relevant to a request from this score; below it, one from _NEAR is only the nearest.
_RELEVANT = 0.40
_NEAR = 0.30


class TemplateSource(Protocol):
    """What the graph asks of a template library; :class:`~process_designer.knowledge.library.TemplateLibrary` is one."""

    def search(self, query: str, *, top: int = ...) -> list[TemplateHit]: ...

    def get(self, template_id: str) -> ProcessTemplate: ...

    def add(self, template: ProcessTemplate, *,
            review: Callable[[ProcessDocument], QualityReport] | None = ...,
            min_score: float = ...) -> ProcessTemplate: ...

    def record_use(self, template_ids: Sequence[str]) -> None: ...

    def close(self) -> None: ...


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _local_tenant() -> str:
    return "local"


def open_library(settings: Settings) -> TemplateSource | None:
    """The template library of ``settings``, or ``None`` (logged) when it cannot be opened."""
    try:
        from process_designer.knowledge.library import TemplateLibrary

        return TemplateLibrary(settings)
    except ProcessDesignerError as exc:
        log.warning("template library unavailable: %s", exc)
        return None


@dataclass
class DesignerDeps:
    """Dependencies of the nodes, built where the graph is built; without a ``library`` one is opened on first use."""

    settings: Settings
    clock: Callable[[], datetime] = _utc_now
    library: TemplateSource | None = None
    engines: AgentEngines = field(default_factory=offline_engines)
    feedback: FeedbackStore | None = None  # what tenants rated, edited and dismissed; no learning without it
    tenant: Callable[[], str] = _local_tenant  # the tenant of the turn being run
    _opened: bool = field(default=False, repr=False)

    def templates(self) -> TemplateSource | None:
        """The template library, opened on the first call; ``None`` when it cannot be used."""
        if self.library is None and not self._opened:
            self._opened = True
            self.library = open_library(self.settings)
        return self.library

    def template(self, template_id: str) -> ProcessTemplate | None:
        """The template ``template_id``, or ``None`` when it is gone or the library cannot be used."""
        library = self.templates()
        if library is None:
            return None
        try:
            return library.get(template_id)
        except InputError:  # a template since removed
            return None

    def templates_for(self, text: str, top: int = 3, alternates: Sequence[str] = ()) -> list[ProcessTemplate]:
        """Templates most relevant to ``text`` or to any of its ``alternates`` (other readings of the
        same request), each scored by its best match; empty when the library cannot be used."""
        hits = self._hits(text, top, alternates)
        # Below 0.40 a template is only loosely related ("data breach" scores 0.39 against data
        # subject requests), and a short request would take on its steps wholesale.
        relevant = [hit for hit in hits if hit.score >= _RELEVANT]
        profile = self.feedback_profile()
        if profile is not None:  # the tenant's accepted templates first, repeatedly rejected ones last
            relevant.sort(key=lambda hit: hit.score + profile.template_adjustment(hit.template.id), reverse=True)
        chosen = [hit.template for hit in relevant]
        library = self.templates()
        if chosen and library is not None:
            library.record_use([chosen[0].id])
        return chosen

    def nearest_template(self, text: str, alternates: Sequence[str] = (), *,
                         skip: str = "", floor: float = _NEAR) -> ProcessTemplate | None:
        """The closest template to ``text`` (other than ``skip``) when none is relevant but one is near
        (from 0.30: "code of conduct attestation" → policy-review at 0.37; "the annual chess tournament"
        finds strategic planning at 0.29 by the word "annual" alone). A lower ``floor`` takes the closest
        at any score: for a query that names the kind of work alone ("organise tournament")."""
        near = [hit for hit in self._hits(text, 3, alternates) if hit.score >= floor and hit.template.id != skip]
        return near[0].template if near else None

    def _hits(self, text: str, top: int, alternates: Sequence[str]) -> list[TemplateHit]:
        """The ``top`` templates by their best score for ``text`` or any of its ``alternates``."""
        library = self.templates()
        if library is None:
            return []
        best: dict[str, TemplateHit] = {}
        for query in [text, *alternates]:
            for hit in library.search(query, top=top):
                if hit.template.id not in best or hit.score > best[hit.template.id].score:
                    best[hit.template.id] = hit
        return sorted(best.values(), key=lambda hit: -hit.score)[:top]

    def feedback_profile(self) -> FeedbackProfile | None:
        """What the current tenant's feedback taught, or ``None`` without a feedback store."""
        return self.feedback.profile(self.tenant()) if self.feedback is not None else None

    def with_preferences(self, context: DesignContext) -> DesignContext:
        """``context`` with the tenant's preferred owner when the user named none."""
        profile = self.feedback_profile()
        if context.owner or profile is None or profile.preferred_owner is None:
            return context
        return context.model_copy(update={"owner": profile.preferred_owner})

    def now_iso(self) -> str:
        return self.clock().isoformat(timespec="seconds")

    def close(self) -> None:
        """Close the template library, when one was opened or given."""
        if self.library is not None:
            self.library.close()
