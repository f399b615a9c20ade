"""The quality reviewer: scores a document and its code and says what to fix."""

from __future__ import annotations

from process_designer.agents.reviewer.efficiency import analyse_efficiency
from process_designer.agents.reviewer.offline import findings_for, review_document

__all__ = ["analyse_efficiency", "findings_for", "review_document"]
