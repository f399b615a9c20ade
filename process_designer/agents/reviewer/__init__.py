"""The quality reviewer: scores a document and its code and says what to fix."""

from __future__ import annotations

from process_designer.agents.reviewer.efficiency import analyse_efficiency
from process_designer.agents.reviewer.grounding import ReviewSource
from process_designer.agents.reviewer.offline import findings_for, review_document, revisable_score
from process_designer.agents.reviewer.template_gate import (
    Admission,
    admit_template,
    min_score_with,
    template_blockers,
    template_refusal,
    wants_override,
)

__all__ = ["Admission", "ReviewSource", "admit_template", "analyse_efficiency", "findings_for", "min_score_with",
           "review_document", "revisable_score", "template_blockers", "template_refusal", "wants_override"]
