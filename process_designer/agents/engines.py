"""The interface every engine of the four agents implements, and the offline engine behind it.

The graph's nodes call agents only through :class:`AgentEngines`; ``PD_MODEL`` decides which
engine fills it (``offline`` by default).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from process_designer.agents.analyst.offline import analyze_requirements
from process_designer.agents.coder import compile_document
from process_designer.agents.reviewer import ReviewSource, findings_for, review_document
from process_designer.agents.writer import EditResult, apply_edit, compose_document, revise_document
from process_designer.agents.writer.answers import answer_question
from process_designer.config import Settings
from process_designer.domain.models import (
    DesignContext,
    ProcessDocument,
    QualityReport,
    Requirement,
)
from process_designer.knowledge.template_model import ProcessTemplate

__all__ = ["AgentEngines", "Analyst", "Coder", "Reviewer", "Writer", "engines_for", "offline_engines"]


class Analyst(Protocol):
    def analyze(self, text: str, context: DesignContext, templates: Sequence[ProcessTemplate],
                title: str | None) -> Requirement: ...


class Writer(Protocol):
    def compose(self, requirement: Requirement, templates: Sequence[ProcessTemplate], today: date) -> ProcessDocument: ...

    def edit(self, document: ProcessDocument, request: str) -> EditResult: ...

    def revise(self, document: ProcessDocument, findings: Sequence[str]) -> tuple[ProcessDocument, list[str]]: ...

    def answer(self, document: ProcessDocument, question: str) -> str: ...


class Coder(Protocol):
    def compile(self, document: ProcessDocument, only_steps: set[int] | None) -> ProcessDocument: ...


class Reviewer(Protocol):
    def review(self, document: ProcessDocument, revisions: int,
               dismissed: Collection[str] = (), source: ReviewSource | None = None) -> QualityReport: ...

    def findings_for(self, report: QualityReport, document: ProcessDocument, target: str) -> list[str]: ...


class OfflineAnalyst:
    def analyze(self, text: str, context: DesignContext, templates: Sequence[ProcessTemplate],
                title: str | None) -> Requirement:
        return analyze_requirements(text, context, templates, title=title)


class OfflineWriter:
    def compose(self, requirement: Requirement, templates: Sequence[ProcessTemplate], today: date) -> ProcessDocument:
        return compose_document(requirement, templates, today=today)

    def edit(self, document: ProcessDocument, request: str) -> EditResult:
        return apply_edit(document, request)

    def revise(self, document: ProcessDocument, findings: Sequence[str]) -> tuple[ProcessDocument, list[str]]:
        del findings  # the offline writer re-derives every gap itself
        return revise_document(document)

    def answer(self, document: ProcessDocument, question: str) -> str:
        return answer_question(document, question)


class OfflineCoder:
    def compile(self, document: ProcessDocument, only_steps: set[int] | None) -> ProcessDocument:
        return compile_document(document, only_steps=only_steps)


class OfflineReviewer:
    def review(self, document: ProcessDocument, revisions: int, dismissed: Collection[str] = (),
               source: ReviewSource | None = None) -> QualityReport:
        return review_document(document, revisions=revisions, dismissed=dismissed, source=source)

    def findings_for(self, report: QualityReport, document: ProcessDocument, target: str) -> list[str]:
        return findings_for(report, document, target)


@dataclass(frozen=True)
class AgentEngines:
    """One engine per agent; any of them may be replaced independently."""

    analyst: Analyst
    writer: Writer
    coder: Coder
    reviewer: Reviewer


def offline_engines() -> AgentEngines:
    """The deterministic, network-free engines (the default)."""
    return AgentEngines(OfflineAnalyst(), OfflineWriter(), OfflineCoder(), OfflineReviewer())


def engines_for(settings: Settings) -> AgentEngines:
    """The engines ``settings.model`` asks for."""
    if settings.offline:
        return offline_engines()
    from process_designer.agents.llm import build_engines

    return build_engines(settings)
