"""The requirement analyst on a chat model; it may search the template library first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from process_designer.agents.analyst.offline import analyze_requirements
from process_designer.agents.llm.prompts import analyst as prompts
from process_designer.agents.llm.runtime import LLMRuntime
from process_designer.agents.llm.schemas import RequirementDraft
from process_designer.domain.models import DesignContext, Requirement, RequirementStep
from process_designer.knowledge.template_model import ProcessTemplate
from process_designer.tools.agent_tools import analyst_tools
from process_designer.tools.functions import TemplateSearch, graph_check

__all__ = ["LLMAnalyst", "requirement_from", "requirement_problems"]


def requirement_problems(draft: Any) -> list[str]:
    """What makes a reading unusable: no steps, or a process graph that does not fit the steps."""
    if not draft.steps:
        return ["steps: give at least one step"]
    if not draft.flow.nodes:
        return []
    return [f"flow: {p}" for p in graph_check(draft.flow, range(1, len(draft.steps) + 1))]


def requirement_from(draft: Any, text: str, context: DesignContext,
                     templates: Sequence[ProcessTemplate], title: str | None) -> Requirement:
    """The domain Requirement for a draft; template ids the model invented are dropped."""
    known = {t.id for t in templates}
    count = len(draft.steps)
    steps = [RequirementStep(**{**s.model_dump(), "depends_on": [d for d in s.depends_on if 1 <= d <= count]})
             for s in draft.steps]
    fields = draft.model_dump(exclude={"steps", "templates", "title", "owner"})
    return Requirement(**fields, text=text, title=title or draft.title, owner=draft.owner or context.owner or "",
                       steps=steps, context=context, templates=[t for t in draft.templates if t in known])


def _among(templates: Sequence[ProcessTemplate]) -> TemplateSearch:
    """A search over the templates already retrieved, when no library search is attached."""
    def search(query: str, top: int) -> list[ProcessTemplate]:
        words = set(query.lower().split())
        return sorted(templates, key=lambda t: -len(words & set(f"{t.title} {t.description}".lower().split())))[:top]
    return search


class LLMAnalyst:
    """Reads requirements with the model; the answer is validated into a Requirement."""

    def __init__(self, runtime: LLMRuntime) -> None:
        self.runtime = runtime

    def analyze(self, text: str, context: DesignContext, templates: Sequence[ProcessTemplate],
                title: str | None) -> Requirement:
        def attempt() -> Requirement:
            found: dict[str, ProcessTemplate] = {t.id: t for t in templates}
            library = self.runtime.template_search or _among(templates)

            def search(query: str, top: int) -> list[ProcessTemplate]:
                hits = list(library(query, top))
                found.update((t.id, t) for t in hits)
                return hits

            draft = self.runtime.ask("analyst", prompts.SYSTEM, prompts.user_message(text, context, templates, title),
                                     RequirementDraft, tools=analyst_tools(search), check=requirement_problems)
            return requirement_from(draft, text, context, list(found.values()), title)

        return self.runtime.or_offline(
            "analyst", attempt, lambda: analyze_requirements(text, context, templates, title=title))
