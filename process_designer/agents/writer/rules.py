"""Keeps every rule the user stated: a condition, number or deadline in the text stays in the document."""

from __future__ import annotations

import re

from process_designer.domain.markdown import render_markdown
from process_designer.domain.models import ProcessDocument, Step

__all__ = ["keep_stated_rules"]

_RULE = re.compile(
    r"\d|\b(?:if|unless|otherwise|only|optional|except|when|whenever|within|before|after|every|daily|weekly|"
    r"monthly|nightly|monday|tuesday|wednesday|thursday|friday|saturday|sunday|first day|last day|deadline|"
    r"no later than|at least|at most|never|always|must)\b",
    re.IGNORECASE,
)
_STOP = {"the", "and", "for", "with", "that", "this", "then", "they", "them", "from", "into", "have", "has", "are",
         "was", "will", "should", "must", "also", "any", "all", "our", "their", "its", "it's", "is", "be", "if",
         "when", "only", "pls", "please"}


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in re.findall(r"[a-z0-9$€£%:]{3,}", text.lower())} - _STOP


# The part of a rule that must survive word for word: a number with its unit, a named day or a deadline.
_LIMIT = re.compile(r"\d[\d:.,%]*(?:\s*(?:business|working)?\s*[a-z]+)?|\b(?:first|last)\s+(?:day|week|month)\b|"
                    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|\bno later than\b",
                    re.IGNORECASE)


def _lost_limit(fragment: str, markdown: str) -> bool:
    """Whether a limit the fragment states ("first day", "17:00", "7 years") appears nowhere in the document."""
    return any(match.group(0).lower() not in markdown for match in _LIMIT.finditer(fragment))


def _fragments(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?;])\s+|\n+|,\s+(?=(?:if|unless|otherwise|only|except|but)\b)", text)
    return [p.strip(" .;,-") for p in parts if len(p.split()) >= 3 and _RULE.search(p)]


def keep_stated_rules(document: ProcessDocument, text: str) -> ProcessDocument:
    """Attach each stated rule the document does not yet carry to the step it concerns."""
    if not document.steps:
        return document
    markdown = render_markdown(document).lower()
    present = _words(markdown)
    steps = list(document.steps)
    for fragment in _fragments(text)[:20]:
        words = _words(fragment)
        if not words or (len(words - present) <= len(words) // 4 and not _lost_limit(fragment, markdown)):
            continue
        best: tuple[int, int] = (0, -1)
        for index, step in enumerate(steps):
            overlap = len(words & _words(" ".join([step.name, step.responsible, *step.actions])))
            if overlap > best[0]:
                best = (overlap, index)
        index = best[1] if best[1] >= 0 else 0
        rule = f"Rule stated in the requirements: {fragment[:1].upper()}{fragment[1:240]}"
        target: Step = steps[index]
        steps[index] = target.model_copy(update={"actions": [*target.actions, rule]})
        present |= words
    return document.model_copy(update={"steps": steps})
