"""Whether a design may become a template: the reviewer's findings that keep it out, and the user's override.

A template is copied into every design that matches it, so one whose step names are fragments or
whose performers were guessed would spread those defects. Such a design is saved only when the user
says so explicitly ("save it as a template anyway"); the refusal names each finding.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from process_designer.agents.reviewer.model_checks import TEMPLATE_BLOCKERS, soundness
from process_designer.domain.models import Finding, QualityReport

__all__ = ["TEMPLATE_MIN_SCORE", "min_score_with", "template_blockers", "template_refusal", "wants_override"]

TEMPLATE_MIN_SCORE = 0.9
_OVERRIDE = re.compile(r"\b(?:anyway|anyhow|regardless|even so|all the same|nevertheless|as it is|as is|"
                       r"despite (?:the|these|those|its) (?:findings|warnings|issues|problems)|override)\b",
                       re.IGNORECASE)


def template_blockers(report: QualityReport) -> list[Finding]:
    """The findings of ``report`` that keep a design out of the template library."""
    return [issue for issue in report.issues if issue.code in TEMPLATE_BLOCKERS]


def wants_override(text: str) -> bool:
    """Whether the user's message insists on saving despite the findings."""
    return bool(_OVERRIDE.search(text))


def template_refusal(title: str, blockers: Sequence[Finding]) -> str:
    """The answer that says why ``title`` was not saved, one finding a line, and how to save it anyway."""
    lines = [f"Not saved as a template: '{title}' has {len(blockers)} finding(s) a template must not carry:"]
    lines += [f"- {finding.text}" for finding in blockers]
    lines.append("Fix them (rename the steps, name who does them), or say 'save it as a template anyway' to save "
                 "it as it is.")
    return "\n".join(lines)


def min_score_with(accepted: Sequence[Finding], steps: int) -> float:
    """The review score a template must reach when the user accepted ``accepted``: those defects no longer count."""
    return round(TEMPLATE_MIN_SCORE * soundness(accepted, steps), 4)
