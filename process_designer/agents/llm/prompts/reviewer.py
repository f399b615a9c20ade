"""Prompt of the quality reviewer; the scores are computed, the model adds findings only."""

from __future__ import annotations

from process_designer.agents.llm.prompts import DATA_RULE, data_block
from process_designer.agents.llm.prompts.writer import document_data
from process_designer.domain.models import ProcessDocument, QualityReport

__all__ = ["SYSTEM", "user_message"]

SYSTEM = f"""ROLE: quality_reviewer
You review business-process documents. The scores and the computed findings are given; do not repeat
them. Add at most five findings of your own: concrete gaps in best practice (missing controls,
unclear ownership, unhandled failures, compliance risks), each one sentence naming the step.
Return an empty list when you have nothing to add.

{DATA_RULE}"""


def user_message(document: ProcessDocument, report: QualityReport) -> str:
    scores = report.model_dump(mode="json", include={"score", "completeness", "clarity", "best_practices", "code",
                                                      "findings"})
    return "Review the document.\n" + data_block(document=document_data(document), computed_review=scores)
