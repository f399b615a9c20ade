"""The process writer on a chat model; its prose streams to listeners while it is generated."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from langchain_core.messages import HumanMessage, SystemMessage

from process_designer.agents.llm.prompts import writer as prompts
from process_designer.agents.llm.runtime import LLMRuntime
from process_designer.agents.llm.schemas import DocumentDraft, EditDraft, RevisionDraft
from process_designer.agents.llm.structured import message_text
from process_designer.agents.writer import EditResult, apply_edit, compose_document, revise_document
from process_designer.agents.writer.answers import answer_question
from process_designer.domain.flow import ProcessFlow
from process_designer.domain.models import (
    IntegrationSpec,
    Overview,
    ProcessDocument,
    Requirement,
    Step,
)
from process_designer.errors import EngineError, InputError
from process_designer.knowledge.template_model import ProcessTemplate
from process_designer.tools.functions import graph_check

__all__ = ["LLMWriter", "document_from", "document_problems"]

AGENT = "process_writer"


def document_problems(draft: Any) -> list[str]:
    """What makes a document draft unusable: no steps, steps without actions or checks, a graph that does
    not fit the steps."""
    if not draft.steps:
        return ["steps: give at least one step"]
    problems = [f"steps.{i}: give at least one action and one validation check"
                for i, s in enumerate(draft.steps) if not s.actions or not s.validation]
    if draft.flow.nodes:
        problems += [f"flow: {p}" for p in graph_check(draft.flow, range(1, len(draft.steps) + 1))]
    return problems


def _edit_problems(draft: Any) -> list[str]:
    return document_problems(draft.document) if draft.document is not None else []


def _revision_problems(draft: Any) -> list[str]:
    return document_problems(draft.document)


def document_from(draft: Any, base: ProcessDocument | None, *, last_updated: str,
                  templates_used: Sequence[str] = (), flow: ProcessFlow | None = None) -> ProcessDocument:
    """A ProcessDocument from a draft: steps renumbered 1..n, code kept for steps whose text is unchanged.

    The draft's process graph is used when it has one; else ``flow``, else the base document's.
    """
    old_steps = {s.number: s for s in base.steps} if base else {}
    steps: list[Step] = []
    count = len(draft.steps)
    for number, s in enumerate(draft.steps, start=1):
        fields = {**s.model_dump(), "number": number,
                  "depends_on": [d for d in s.depends_on if 1 <= d <= count and d != number]}
        step = Step(**fields)
        old = old_steps.get(number)
        if old is not None and old.model_copy(update={"code": "", "performer_source": step.performer_source}) == step:
            step = old
        steps.append(step)
    integration = None
    if draft.integration is not None:
        kept = base.integration if base and base.integration else None
        integration = IntegrationSpec(**draft.integration.model_dump(),
                                      authentication=kept.authentication if kept else "",
                                      error_recovery=kept.error_recovery if kept else "")
    overview = Overview(**draft.overview.model_dump(), last_updated=last_updated)
    chosen_flow = draft.flow if draft.flow.nodes else flow or (base.flow if base else ProcessFlow())
    update = {**draft.model_dump(include={"title", "kind", "prerequisites", "error_handling", "monitoring",
                                          "related_documents"}),
              "overview": overview, "steps": steps, "integration": integration, "flow": chosen_flow}
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
                                     DocumentDraft, stream_as=AGENT, check=document_problems)
            document = document_from(draft, None, last_updated=today.isoformat(),
                                     templates_used=requirement.templates, flow=requirement.flow)
            return document.model_copy(update={"context": requirement.context})

        return self.runtime.or_offline("writer", attempt,
                                       lambda: compose_document(requirement, templates, today=today))

    def edit(self, document: ProcessDocument, request: str) -> EditResult:
        def attempt() -> EditResult:
            draft = self.runtime.ask("writer", prompts.EDIT, prompts.edit_message(document, request), EditDraft,
                                     stream_as=AGENT, check=_edit_problems)
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
                                     RevisionDraft, stream_as=AGENT, check=_revision_problems)
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
