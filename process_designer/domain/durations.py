"""Reading and writing step durations: working time ("75 minutes", "2 business days") and calendar waits ("14 days").

A duration is one of two things, and the two are never confused:

- **working time** — minutes, hours, business or working days and weeks: effort done in working
  hours (a business day is 8 working hours, a business week 5 business days);
- **calendar time** — days, weeks and months as the calendar counts them: a wait ("14 days" for a
  background check, "2 weeks" of notice) that runs day and night, weekends included.

Where one figure must rank both (a critical path through work and waits), calendar time is turned
into the working time that passes meanwhile: 7 calendar days hold 5 business days. A calendar day
is never counted as 24 hours of work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["BUSINESS_DAY_MINUTES", "Span", "format_minutes", "format_span", "parse_duration", "parse_span"]

BUSINESS_DAY_MINUTES = 8 * 60.0
BUSINESS_DAYS_PER_CALENDAR_DAY = 5 / 7

_WORK_MINUTES = {
    "second": 1 / 60, "sec": 1 / 60, "minute": 1.0, "min": 1.0, "hour": 60.0, "hr": 60.0, "h": 60.0,
    "business day": BUSINESS_DAY_MINUTES, "working day": BUSINESS_DAY_MINUTES, "work day": BUSINESS_DAY_MINUTES,
    "business week": 5 * BUSINESS_DAY_MINUTES, "working week": 5 * BUSINESS_DAY_MINUTES,
}
_CALENDAR_DAYS = {"calendar day": 1.0, "day": 1.0, "week": 7.0, "month": 30.0}
_DURATION = re.compile(
    r"(?P<low>\d+(?:\.\d+)?)\s*(?:(?:-|–|to)\s*(?P<high>\d+(?:\.\d+)?)\s*)?"
    r"(?P<unit>(?:business|working|work|calendar)\s+(?:days?|weeks?)|seconds?|secs?|minutes?|mins?|hours?|hrs?|h"
    r"|days?|weeks?|months?)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Span:
    """Working minutes plus calendar days: what a step, a path or a whole process takes."""

    work_minutes: float = 0.0
    calendar_days: float = 0.0

    def __add__(self, other: Span) -> Span:
        return Span(self.work_minutes + other.work_minutes, self.calendar_days + other.calendar_days)

    @property
    def minutes(self) -> float:
        """Elapsed time in working minutes: the work, plus the working time that passes during the waits."""
        return self.work_minutes + self.calendar_days * BUSINESS_DAYS_PER_CALENDAR_DAY * BUSINESS_DAY_MINUTES

    @property
    def business_days(self) -> float:
        return self.minutes / BUSINESS_DAY_MINUTES


def _unit(text: str) -> str:
    """``"Business  Days"`` → ``"business day"``, ``"hrs"`` → ``"hr"``."""
    unit = " ".join(text.lower().split())
    return unit[:-1] if unit.endswith("s") else unit


def parse_span(text: str) -> Span | None:
    """The working time or calendar wait ``text`` names (the upper bound of a range), or ``None``."""
    match = _DURATION.search(text or "")
    if not match:
        return None
    amount = float(match.group("high") or match.group("low"))
    unit = _unit(match.group("unit"))
    if unit in _WORK_MINUTES:
        return Span(work_minutes=amount * _WORK_MINUTES[unit])
    if unit in _CALENDAR_DAYS:
        return Span(calendar_days=amount * _CALENDAR_DAYS[unit])
    return None


def parse_duration(text: str) -> float | None:
    """Elapsed working minutes in ``text`` (see :class:`Span`), or ``None`` when it names no duration.

    ``"2 business days"`` is 960 minutes of work; ``"14 days"`` is a calendar wait during which
    10 business days (4,800 working minutes) pass.
    """
    span = parse_span(text)
    return span.minutes if span is not None else None


def _shown(amount: float) -> str:
    return f"{round(amount, 1):g}"


def format_minutes(minutes: float) -> str:
    """A short human duration to one decimal: ``90`` → ``"1.5 hours"``, ``915`` → ``"1.9 business days"``."""
    if minutes < 60:
        amount, unit = minutes, "minute"
    elif minutes < BUSINESS_DAY_MINUTES:
        amount, unit = minutes / 60, "hour"
    else:
        amount, unit = minutes / BUSINESS_DAY_MINUTES, "business day"
    shown = _shown(amount)
    return f"{shown} {unit}" if shown == "1" else f"{shown} {unit}s"


def format_span(span: Span) -> str:
    """``"14 calendar days and 1.3 hours of work"``, ``"1.3 hours"``, ``"14 calendar days"``: each unit as it is."""
    days = _shown(span.calendar_days)
    wait = f"{days} calendar day{'' if days == '1' else 's'}"
    if not span.calendar_days:
        return format_minutes(span.work_minutes)
    if not span.work_minutes:
        return wait
    return f"{wait} and {format_minutes(span.work_minutes)} of work"
