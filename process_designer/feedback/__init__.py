"""Adaptive learning: per-tenant feedback (ratings, edits, dismissed findings) and what the designer learns from it.

Names load on first use (PEP 562): the reviewer reads profiles without opening the store's database
code, so commands that only review or export a document stay light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from process_designer.lazy import exports

if TYPE_CHECKING:
    from process_designer.feedback.messages import FeedbackMessage, parse_feedback_message
    from process_designer.feedback.profile import FeedbackProfile, TemplateVotes, finding_key
    from process_designer.feedback.store import FeedbackStore, Rating

_EXPORTS = {
    "FeedbackMessage": "process_designer.feedback.messages",
    "parse_feedback_message": "process_designer.feedback.messages",
    "FeedbackProfile": "process_designer.feedback.profile",
    "TemplateVotes": "process_designer.feedback.profile",
    "finding_key": "process_designer.feedback.profile",
    "FeedbackStore": "process_designer.feedback.store",
    "Rating": "process_designer.feedback.store",
}

__all__ = [
    "FeedbackMessage",
    "FeedbackProfile",
    "FeedbackStore",
    "Rating",
    "TemplateVotes",
    "finding_key",
    "parse_feedback_message",
]


__getattr__ = exports(__name__, _EXPORTS)
