"""Reading and writing step durations such as ``"15 minutes"`` or ``"2 business days"``."""

from __future__ import annotations

import re

__all__ = ["format_minutes", "parse_duration"]

_UNIT_MINUTES = {
    "second": 1 / 60,
    "sec": 1 / 60,
    "minute": 1.0,
    "min": 1.0,
    "hour": 60.0,
    "hr": 60.0,
    "h": 60.0,
    "business day": 8 * 60.0,
    "working day": 8 * 60.0,
    "day": 24 * 60.0,
    "week": 5 * 8 * 60.0,
    "month": 21 * 8 * 60.0,
}
_DURATION = re.compile(
    r"(?P<low>\d+(?:\.\d+)?)\s*(?:(?:-|–|to)\s*(?P<high>\d+(?:\.\d+)?)\s*)?"
    r"(?P<unit>business days?|working days?|seconds?|secs?|minutes?|mins?|hours?|hrs?|h|days?|weeks?|months?)\b",
    re.IGNORECASE,
)


def parse_duration(text: str) -> float | None:
    """Minutes in ``text`` (the upper bound of a range), or ``None`` when it names no duration."""
    match = _DURATION.search(text or "")
    if not match:
        return None
    amount = float(match.group("high") or match.group("low"))
    unit = match.group("unit").lower()
    for name, minutes in _UNIT_MINUTES.items():
        if unit == name or unit == name + "s" or (name == "h" and unit == "h"):
            return amount * minutes
    return None


def format_minutes(minutes: float) -> str:
    """A short human duration to one decimal: ``90`` → ``"1.5 hours"``, ``915`` → ``"1.9 business days"``."""
    if minutes < 60:
        amount, unit = minutes, "minute"
    elif minutes < 8 * 60:
        amount, unit = minutes / 60, "hour"
    else:
        amount, unit = minutes / (8 * 60), "business day"
    shown = f"{round(amount, 1):g}"
    return f"{shown} {unit}" if shown == "1" else f"{shown} {unit}s"
