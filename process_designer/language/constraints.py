"""Time constraints stated in a requirement: service levels ("within 24 hours"), cut-off times ("cut off
3pm"), deadlines ("ready for day one", "before the audit") and how often a process runs ("every night",
"monthly")."""

from __future__ import annotations

import re
from functools import lru_cache

from process_designer.domain.models import Constraint
from process_designer.language.lexicon import data_file

__all__ = ["find_constraints"]

_CLOCK = r"\d{1,2}(?::\d{2})?\s*(?:am|pm)|\d{1,2}:\d{2}"
# "cut off 3pm", "cutoff at 14:00", "before the 16:00 cut-off": the time of day by which work must be in
_CUT_OFF = re.compile(
    rf"\bcut[- ]?off\b(?:\s+(?:is|at|time|of))*\s+(?P<after>{_CLOCK})\b|\b(?P<before>{_CLOCK})\s+cut[- ]?off\b",
    re.IGNORECASE,
)

_SLA = re.compile(
    r"\b(?:within|in under|in less than|no later than|inside|in)\s+(?P<num>\d+(?:\.\d+)?)\s*"
    r"(?P<unit>business days?|working days?|days?|hours?|hrs?|minutes?|mins?|weeks?)\b"
    r"(?:\s+(?:of|after|from)\s+(?:the|a|an|their|its|each)\s+[a-z-]+)?",  # "… of the request": what it counts from
    re.IGNORECASE,
)
_FREQUENCY = re.compile(
    r"\b(?P<freq>every (?:day|night|morning|hour|week|month|quarter|\d+ (?:minutes|hours|days))|daily|nightly|"
    r"hourly|weekly|monthly|quarterly|annually|real[- ]time)\b",
    re.IGNORECASE,
)


_DETERMINERS = r"(?:(?:the|their|his|her|its|our|your|each|every|a|an|next)\s+)?"


@lru_cache(maxsize=1)
def _deadline() -> re.Pattern[str]:
    """A deadline: a milestone (``data/deadlines.toml``) after "by", "before" and the like, or after a word of
    readiness and "for" ("ready for day one"), with up to two words that say which ("their first day")."""
    data = data_file("deadlines.toml")
    def either(words: list[str]) -> str:
        return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in sorted(words, key=len, reverse=True))
    lead = rf"(?:(?P<ready>(?:{either(data['readiness'])}))\s+(?:for|by|before)|by|before|ahead\s+of|in\s+time\s+for|" \
           r"no\s+later\s+than|prior\s+to)"
    return re.compile(rf"\b(?P<phrase>{lead}\s+{_DETERMINERS}(?:[a-z0-9-]+\s+){{0,2}}?(?:{either(data['milestones'])}))"
                      r"(?![\w-])", re.IGNORECASE)


def find_constraints(text: str) -> list[Constraint]:
    """SLAs ("within 24 hours"), cut-offs ("cutoff at 14:00"), deadlines ("by their first day") and
    frequencies ("every night") stated in ``text``."""
    found: list[Constraint] = []
    for match in _SLA.finditer(text):
        start = text.rfind(" ", 0, max(0, match.start() - 40))
        phrase = text[start + 1 if start >= 0 else 0: match.end()].strip(" ,;.")
        found.append(Constraint(text=phrase, kind="sla", value=float(match.group("num")),
                                unit=match.group("unit").lower()))
    for match in _CUT_OFF.finditer(text):
        time = re.sub(r"\s+", "", match.group("after") or match.group("before")).lower()
        found.append(Constraint(text=f"Cut-off {time}", kind="rule"))
    for match in _deadline().finditer(text):
        phrase = " ".join(match.group("phrase").split())
        state = phrase if match.group("ready") else f"done {phrase}"  # what a case is when it meets the deadline
        found.append(Constraint(text=f"Deadline: {phrase}", kind="deadline", unit=state.lower()))
    for match in _FREQUENCY.finditer(text):
        found.append(Constraint(text=f"Runs {match.group('freq').lower()}", kind="frequency",
                                unit=match.group("freq").lower()))
    return found
