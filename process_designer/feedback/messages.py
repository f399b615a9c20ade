"""The chat form of feedback: a SYSTEM message ``feedback: up|down [comment]`` or ``feedback: dismiss FINDING``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from process_designer.errors import InputError

__all__ = ["FeedbackMessage", "parse_feedback_message"]

_PREFIX = re.compile(r"^\s*feedback\s*:\s*", re.IGNORECASE)


@dataclass(frozen=True)
class FeedbackMessage:
    """A rating of the thread's current document, or a finding the user dismisses."""

    action: Literal["up", "down", "dismiss"]
    text: str  # the comment of a rating, the finding of a dismissal


def parse_feedback_message(text: str) -> FeedbackMessage | None:
    """The feedback in ``text``; ``None`` when it is not a feedback message, :class:`InputError` when malformed."""
    match = _PREFIX.match(text)
    if match is None:
        return None
    rest = text[match.end():].strip()
    action, _, remainder = rest.partition(" ")
    action = action.lower()
    if action in ("up", "down"):
        return FeedbackMessage(action, remainder.strip())  # type: ignore[arg-type]
    if action == "dismiss" and remainder.strip():
        return FeedbackMessage("dismiss", remainder.strip())
    raise InputError(f"feedback {rest!r} is not understood; send 'feedback: up [comment]', "
                     "'feedback: down [comment]' or 'feedback: dismiss FINDING'")
