"""Adaptive learning: per-tenant feedback (ratings, edits, dismissed findings) and what the designer learns from it."""

from __future__ import annotations

from process_designer.feedback.messages import FeedbackMessage, parse_feedback_message
from process_designer.feedback.profile import FeedbackProfile, TemplateVotes, finding_key
from process_designer.feedback.store import FeedbackStore, Rating

__all__ = [
    "FeedbackMessage",
    "FeedbackProfile",
    "FeedbackStore",
    "Rating",
    "TemplateVotes",
    "finding_key",
    "parse_feedback_message",
]
