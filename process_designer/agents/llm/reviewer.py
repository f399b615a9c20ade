"""The quality reviewer on a chat model: deterministic scores, plus the model's own findings (it may run
the graph checks first)."""

from __future__ import annotations

from collections.abc import Collection

from process_designer.agents.llm.prompts import reviewer as prompts
from process_designer.agents.llm.runtime import LLMRuntime
from process_designer.agents.llm.schemas import ReviewDraft
from process_designer.agents.reviewer import ReviewSource, findings_for, review_document
from process_designer.domain.models import ProcessDocument, QualityReport
from process_designer.tools.agent_tools import reviewer_tools

__all__ = ["MODEL_FINDING", "LLMReviewer"]

MODEL_FINDING = "Model review: "


class LLMReviewer:
    """Scores come from the offline reviewer; the model may only add findings (marked ``Model review:``)."""

    def __init__(self, runtime: LLMRuntime) -> None:
        self.runtime = runtime

    def review(self, document: ProcessDocument, revisions: int, dismissed: Collection[str] = (),
               source: ReviewSource | None = None) -> QualityReport:
        report = review_document(document, revisions=revisions, dismissed=dismissed, source=source)

        def attempt() -> QualityReport:
            draft = self.runtime.ask("reviewer", prompts.SYSTEM, prompts.user_message(document, report), ReviewDraft,
                                     tools=reviewer_tools(document))
            extra = [MODEL_FINDING + f.strip() for f in draft.findings if f.strip() and f.strip() not in report.findings]
            return report.model_copy(update={"findings": [*report.findings, *extra]})

        return self.runtime.or_offline("reviewer", attempt, lambda: report)

    def findings_for(self, report: QualityReport, document: ProcessDocument, target: str) -> list[str]:
        # Routing back to the writer or the coder stays deterministic, as the scores are.
        return findings_for(report, document, target)
