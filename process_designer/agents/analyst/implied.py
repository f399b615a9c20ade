"""Steps the requirements imply without stating: the selection a schedule needs, the fulfilment an approval needs.

Each rule adds at most one step and only when the user's own steps leave the gap, so a described process
keeps the user's shape; inventing steps the user did not imply is as wrong as missing one.
"""

from __future__ import annotations

import re

from process_designer.agents.analyst.naming import is_verb
from process_designer.agents.vocabulary import classify_action
from process_designer.domain.models import RequirementStep

__all__ = ["add_implied_steps"]

_NUMBER = r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|twelve)"
# "30 days before policy expiry", "90 days before they auto-renew": items must be found before they lapse
_BEFORE_EXPIRY = re.compile(
    rf"\b{_NUMBER}\s*(?:days?|weeks?|months?)\s+before\s+(?:the\s+|their\s+|its\s+)?(?P<what>[a-z][\w-]*\w(?:\s+[a-z][\w-]*\w)?)?"
    r"\s*(?:expiry|expires?|expiration|auto-?renews?|renews?|renewal|ends?|lapses?)\b",
    re.IGNORECASE,
)
# "every 6 months", "every 15,000 km", "older than 4 years": items come due by age or interval
_INTERVAL = re.compile(rf"\bevery\s+{_NUMBER}\s*(?:days?|weeks?|months?|years?|km|kilometres?|miles|hours|cycles)\b|"
                       rf"\bolder\s+th[ae]n\s+{_NUMBER}", re.IGNORECASE)
_SELECTING = re.compile(r"^(?:identify|list|find|select|pull|export|extract|check|scan|review the list|track|monitor)\b",
                        re.IGNORECASE)
_PRONOUNS = {"they", "it", "them", "their", "its"}
# What carrying out an approved request means for the thing requested.
_FULFIL_VERBS = (
    (r"^(?:access|permissions?|roles?|licen[cs]es?|rights?)$", "Grant"),
    (r"^(?:refunds?|payments?|credits?|reimbursements?|payouts?|loans?|funds?|bonus(?:es)?|commissions?|advances?)$",
     "Issue"),
    (r"^(?:orders?|accounts?|vendors?|users?|records?|POs?)$", "Create"),
    (r"^(?:budgets?|schedules?|calendars?|plans?|limits?|prices?|forecasts?)$", "Update"),
)


def _plural(noun: str) -> str:
    if noun.endswith("y") and not noun.endswith(("ay", "ey", "oy")):
        return noun[:-1] + "ies"
    return noun if noun.endswith("s") else f"{noun}s"


def _object_of(name: str) -> str:
    """"Calibrate measuring gauges" → "measuring gauges"."""
    words = name.split()[1:]
    return " ".join(w.lower() if not w.isupper() else w for w in words)


def _selection_step(steps: list[RequirementStep]) -> RequirementStep | None:
    first = steps[0]
    if _SELECTING.match(first.name) or classify_action(first.name).name == "intake" or len(first.name.split()) < 2 \
            or not is_verb(first.name.split()[0]):
        return None
    expiry = _BEFORE_EXPIRY.search(first.description)
    if expiry:
        what = (expiry.group("what") or "").lower()
        items = _plural(what.split()[-1]) if what and what.split()[-1] not in _PRONOUNS else _object_of(first.name)
        return RequirementStep(name=f"Identify expiring {items}",
                               description=f"List the {items} that reach the date stated in the requirements",
                               source="inferred")
    if _INTERVAL.search(first.description):
        items = _object_of(first.name)
        return RequirementStep(name=f"Identify {items} due",
                               description=f"List the {items} whose interval or age makes them due",
                               source="inferred")
    return None


def _is_decision(step: RequirementStep) -> bool:
    return classify_action(step.name).name == "approve" or bool(
        re.search(r"\b(?:approval|decision|sign-off)$|^(?:decide|approve|escalate)\b", step.name, re.IGNORECASE))


def _fulfilment_step(steps: list[RequirementStep]) -> RequirementStep | None:
    first, last = steps[0], steps[-1]
    if len(steps) < 2 or not _is_decision(last) or classify_action(first.name).name != "intake":
        return None
    words = [w for w in _object_of(first.name).split() if w.lower() not in ("request", "requests", "extra", "new")]
    if not words:
        return None
    noun = words[-1]
    noun = noun[:-1] if noun.endswith("s") and not noun.endswith("ss") and not noun.isupper() else noun
    verb = next((verb for pattern, verb in _FULFIL_VERBS if re.search(pattern, noun, re.IGNORECASE)), "Complete")
    return RequirementStep(name=f"{verb} {noun}",
                           description=f"Carry out the approved {noun} request and confirm the outcome to the requester",
                           source="inferred")


def add_implied_steps(steps: list[RequirementStep]) -> list[RequirementStep]:
    """``steps`` with the selection step a scheduled process needs and the fulfilment an approval chain needs."""
    if not steps or any(step.source != "user" for step in steps):
        return steps
    result = list(steps)
    selection = _selection_step(result)
    if selection is not None:
        result.insert(0, selection)
    fulfilment = _fulfilment_step(result)
    if fulfilment is not None:
        result.append(fulfilment)
    return result
