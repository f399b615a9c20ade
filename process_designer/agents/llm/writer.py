"""The process writer on a chat model; its prose streams to listeners while it is generated."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from langchain_core.messages import HumanMessage, SystemMessage

from process_designer.agents.llm.prompts import writer as prompts
from process_designer.agents.llm.runtime import LLMRuntime
from process_designer.agents.llm.schemas import DocumentDraft, EditDraft, RevisionDraft
from process_designer.agents.llm.structured import message_text
from process_designer.agents.writer import EditResult, apply_edit, compose_document, revise_document
from process_designer.agents.writer.answers import answer_question
from process_designer.domain.models import (
    IntegrationSpec,
    Overview,
    ProcessDocument,
    Requirement,
    Step,
)
from process_designer.errors import EngineError, InputError
from process_designer.knowledge.template_model import ProcessTemplate

__all__ = ["LLMWriter", "document_from"]

AGENT = "process_writer"


def document_from(draft: DocumentDraft, base: ProcessDocument | None, *, last_updated: str,
                  templates_used: Sequence[str] = ()) -> ProcessDocument:
    """A ProcessDocument from a draft: steps renumbered 1..n, code kept for steps whose text is unchanged."""
    old_steps = {s.number: s for s in base.steps} if base else {}
    steps: list[Step] = []
    count = len(draft.steps)
    for number, s in enumerate(draft.steps, start=1):
        step = Step(number=number, name=s.name, objective=s.objective, responsible=s.responsible,
                    duration=s.duration, actions=s.actions, validation=s.validation,
                    depends_on=[d for d in s.depends_on if 1 <= d <= count and d != number],
                    decisions=s.decisions, systems=s.systems)
        old = old_steps.get(number)
        if old is not None and old.model_copy(update={"code": ""}) == step:
            step = old
        steps.append(step)
    integration = None
    if draft.integration is not None:
        kept = base.integration if base and base.integration else None
        integration = IntegrationSpec(
            systems=draft.integration.systems, data_flow=draft.integration.data_flow,
            frequency=draft.integration.frequency, data_mapping=draft.integration.data_mapping,
            authentication=kept.authentication if kept else "", error_recovery=kept.error_recovery if kept else "")
    overview = Overview(purpose=draft.overview.purpose, scope=draft.overview.scope, owner=draft.overview.owner,
                        last_updated=last_updated)
    update = {"title": draft.title, "kind": draft.kind, "overview": overview, "prerequisites": draft.prerequisites,
              "steps": steps, "error_handling": draft.error_handling, "monitoring": draft.monitoring,
              "related_documents": draft.related_documents, "integration": integration}
    if base is not None:
        return base.model_copy(update=update)
    return ProcessDocument(**update, templates_used=list(templates_used))


class LLMWriter:
    """Composes, edits, revises and answers with the model; prose streams as ``process_writer`` partials."""

    def __init__(self, runtime: LLMRuntime) -> None:
        self.runtime = runtime

    def compose(self, requirement: Requirement, templates: Sequence[ProcessTemplate], today: date) -> ProcessDocument:
        def attempt() -> ProcessDocument:
            draft = self.runtime.ask("writer", prompts.COMPOSE, prompts.compose_message(requirement, templates),
                                     DocumentDraft, stream_as=AGENT)
            document = document_from(draft, None, last_updated=today.isoformat(),
                                      templates_used=requirement.templates)
            return document.model_copy(update={"context": requirement.context})

        return self.runtime.or_offline("writer", attempt,
                                       lambda: compose_document(requirement, templates, today=today))

    def edit(self, document: ProcessDocument, request: str) -> EditResult:
        def attempt() -> EditResult:
            draft = self.runtime.ask("writer", prompts.EDIT, prompts.edit_message(document, request), EditDraft,
                                     stream_as=AGENT)
            if draft.document is None:
                raise InputError(draft.refusal or "the change request could not be applied to this process")
            edited = document_from(draft.document, document, last_updated=document.overview.last_updated)
            changed = {s.number for s in edited.steps if document.step(s.number) != s} | set(draft.changed_steps)
            summary = draft.summary or f"Edited '{edited.title}'."
            return EditResult(document=edited, summary=summary,
                              changed_steps=frozenset(n for n in changed if edited.step(n) is not None))

        return self.runtime.or_offline("writer", attempt, lambda: apply_edit(document, request))

    def revise(self, document: ProcessDocument, findings: Sequence[str]) -> tuple[ProcessDocument, list[str]]:
        if not findings:
            return document, []

        def attempt() -> tuple[ProcessDocument, list[str]]:
            draft = self.runtime.ask("writer", prompts.REVISE, prompts.revise_message(document, findings),
                                     RevisionDraft, stream_as=AGENT)
            revised = document_from(draft.document, document, last_updated=document.overview.last_updated)
            return revised, [line for line in draft.fixed if line.strip()]

        return self.runtime.or_offline("writer", attempt, lambda: revise_document(document))

    def answer(self, document: ProcessDocument, question: str) -> str:
        def attempt() -> str:
            messages = [SystemMessage(content=prompts.ANSWER),
                        HumanMessage(content=prompts.answer_message(document, question))]
            text = message_text(self.runtime.call("writer", messages, stream_as=AGENT)).strip()
            if not text:
                raise EngineError("the model answered the question with an empty message; ask again")
            return text

        return self.runtime.or_offline("writer", attempt, lambda: answer_question(document, question))
