"""The requirement analyst on a chat model."""

from __future__ import annotations

from collections.abc import Sequence

from process_designer.agents.analyst.offline import analyze_requirements
from process_designer.agents.llm.prompts import analyst as prompts
from process_designer.agents.llm.runtime import LLMRuntime
from process_designer.agents.llm.schemas import RequirementDraft
from process_designer.domain.models import DesignContext, Requirement, RequirementStep
from process_designer.knowledge.template_model import ProcessTemplate

__all__ = ["LLMAnalyst", "requirement_from"]


def requirement_from(draft: RequirementDraft, text: str, context: DesignContext,
                     templates: Sequence[ProcessTemplate], title: str | None) -> Requirement:
    """The domain Requirement for a draft; template ids the model invented are dropped."""
    known = {t.id for t in templates}
    count = len(draft.steps)
    steps = [RequirementStep(name=s.name, description=s.description, actor=s.actor, systems=s.systems,
                             depends_on=[d for d in s.depends_on if 1 <= d <= count], decisions=s.decisions)
             for s in draft.steps]
    return Requirement(
        text=text, title=title or draft.title, kind=draft.kind, purpose=draft.purpose, scope=draft.scope,
        owner=draft.owner or context.owner or "", trigger=draft.trigger, actors=draft.actors,
        systems=draft.systems, steps=steps, decisions=draft.decisions, constraints=draft.constraints,
        error_cases=draft.error_cases, kpis=draft.kpis, context=context, questions=draft.questions,
        templates=[t for t in draft.templates if t in known],
    )


class LLMAnalyst:
    """Reads requirements with the model; the answer is validated into a Requirement."""

    def __init__(self, runtime: LLMRuntime) -> None:
        self.runtime = runtime

    def analyze(self, text: str, context: DesignContext, templates: Sequence[ProcessTemplate],
                title: str | None) -> Requirement:
        def attempt() -> Requirement:
            draft = self.runtime.ask("analyst", prompts.SYSTEM,
                                     prompts.user_message(text, context, templates, title), RequirementDraft)
            return requirement_from(draft, text, context, templates, title)

        return self.runtime.or_offline(
            "analyst", attempt, lambda: analyze_requirements(text, context, templates, title=title))
