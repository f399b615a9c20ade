"""Time constraints stated in a requirement: service levels ("within 24 hours"), cut-off times ("cut off
3pm") and how often a process runs ("every night", "monthly")."""

from __future__ import annotations

import re

from process_designer.domain.models import Constraint

__all__ = ["find_constraints"]

_CLOCK = r"\d{1,2}(?::\d{2})?\s*(?:am|pm)|\d{1,2}:\d{2}"
# "cut off 3pm", "cutoff at 14:00", "before the 16:00 cut-off": the time of day by which work must be in
_CUT_OFF = re.compile(
    rf"\bcut[- ]?off\b(?:\s+(?:is|at|time|of))*\s+(?P<after>{_CLOCK})\b|\b(?P<before>{_CLOCK})\s+cut[- ]?off\b",
    re.IGNORECASE,
)

_SLA = re.compile(
    r"\b(?:within|in under|in less than|no later than|inside|in)\s+(?P<num>\d+(?:\.\d+)?)\s*"
    r"(?P<unit>business days?|working days?|days?|hours?|hrs?|minutes?|mins?|weeks?)\b",
    re.IGNORECASE,
)
_FREQUENCY = re.compile(
    r"\b(?P<freq>every (?:day|night|morning|hour|week|month|quarter|\d+ (?:minutes|hours|days))|daily|nightly|"
    r"hourly|weekly|monthly|quarterly|annually|real[- ]time)\b",
    re.IGNORECASE,
)


def find_constraints(text: str) -> list[Constraint]:
    """SLAs ("within 24 hours"), cut-offs ("cutoff at 14:00") and frequencies ("every night") stated in ``text``."""
    found: list[Constraint] = []
    for match in _SLA.finditer(text):
        start = text.rfind(" ", 0, max(0, match.start() - 40))
        phrase = text[start + 1 if start >= 0 else 0: match.end()].strip(" ,;.")
        found.append(Constraint(text=phrase, kind="sla", value=float(match.group("num")),
                                unit=match.group("unit").lower()))
    for match in _CUT_OFF.finditer(text):
        time = re.sub(r"\s+", "", match.group("after") or match.group("before")).lower()
        found.append(Constraint(text=f"Cut-off {time}", kind="rule"))
    for match in _FREQUENCY.finditer(text):
        found.append(Constraint(text=f"Runs {match.group('freq').lower()}", kind="frequency",
                                unit=match.group("freq").lower()))
    return found
