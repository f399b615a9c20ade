"""Classifies a chat turn so the graph can send it to the agents it needs."""

from __future__ import annotations

import re
from typing import Literal

from process_designer.agents.writer.edits import looks_like_edit

__all__ = ["Intent", "classify_turn"]

Intent = Literal["context", "design", "revise", "code", "review", "question", "clarify", "compare", "save_template"]

_QUESTION = re.compile(r"\?\s*$|^\s*(?:what|why|how|who|when|which|where|is|are|does|do|can|could|will|would|"
                       r"should|explain|tell me|describe)\b", re.IGNORECASE)
_CODE_ONLY = re.compile(r"\b(?:only|just)\s+(?:the\s+)?(?:spy\s+)?code\b|\b(?:regenerate|rewrite|redo|recompile)\s+"
                        r"(?:the\s+)?(?:spy\s+)?(?:code|tests)\b", re.IGNORECASE)
_REVIEW_ONLY = re.compile(r"^\s*(?:please\s+)?(?:review|score|check|assess|grade)\s+(?:it|this|the\s+"
                          r"(?:process|document|quality))\b|\bquality report\b", re.IGNORECASE)
_SAVE_TEMPLATE = re.compile(r"\b(?:save|store|keep|publish)\s+(?:this|it|the (?:process|document|design))?\s*as\s+(?:an?\s+)?"
                            r"(?:new\s+)?template\b", re.IGNORECASE)
_COMPARE = re.compile(r"\b(?:compare (?:this|it|that|the (?:design|document|process))? ?(?:with|to|against)|gap analysis|"
                      r"(?:our|the) current process (?:is|looks like|:)|as-is process)", re.IGNORECASE)
_NEW_PROCESS = re.compile(r"\b(?:new process|another process|start over|from scratch|instead design|"
                          r"design a process|create (?:a )?process|process for)\b", re.IGNORECASE)


def classify_turn(text: str, role: str, has_document: bool) -> Intent:
    """What the user wants from this turn."""
    if role == "SYSTEM":
        return "context"
    if not text.strip():
        return "clarify"
    if not has_document:
        return "design"
    if _SAVE_TEMPLATE.search(text):
        return "save_template"
    if _COMPARE.search(text):
        return "compare"
    if _NEW_PROCESS.search(text):
        return "design"
    if _CODE_ONLY.search(text):
        return "code"
    if _REVIEW_ONLY.search(text):
        return "review"
    if _QUESTION.search(text) and not re.match(r"^\s*(?:can|could|would|will) you\s+(?:add|rename|remove|"
                                               r"change|make|move|set|insert)", text, re.I):
        return "question"
    if looks_like_edit(text) or len(text.split()) <= 60:
        return "revise"  # with a document on the table, short messages amend it
    return "design"
