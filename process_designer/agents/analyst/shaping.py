"""Shaping the steps once read: what arrives first is received, a requester's intent is a request,
approvals precede what they release, and a verb left without an object borrows the process's noun."""

from __future__ import annotations

import re

from process_designer.agents.analyst.naming import is_verb, step_name
from process_designer.agents.analyst.parsing import looks_like_action
from process_designer.domain.models import RequirementStep

__all__ = ["gate_before_release", "lend_process_object", "name_first_receipt", "name_requests_by_intent"]

_GENERIC_TITLE_WORDS = {"process", "processing", "workflow", "procedure", "flow", "management", "handling", "new",
                        "automated", "the", "a", "an", "of", "for", "and", "our", "request", "requests", "approval",
                        "approvals", "setup", "intake", "pls", "please", "plz", "need", "needs"}


# Words after a verb that leave it without an object: "Book online", "Call from …".
_OBJECTLESS = {"online", "from", "in", "via", "to", "with", "by", "directly", "first", "again", "back", "manually",
               "it", "them", "up", "out", "off", "on", "immediately", "now", "later"}


# Verbs that let something go out of the organisation's hands: an approval of that thing must come first.
_RELEASE_VERBS = {"send", "issue", "pay", "publish", "sign", "release", "disburse", "ship", "execute", "grant",
                  "refund", "reimburse", "place", "submit", "deliver", "make", "award"}


def _stems(text: str) -> set[str]:
    return {_singular(w) for w in re.findall(r"[a-z]{4,}", text.lower())} - {"approval", "approve", "manager", "with",
                                                                           "that", "this", "from", "need", "needs"}


def gate_before_release(steps: list[RequirementStep]) -> list[RequirementStep]:
    """Move an approval stated after the step that releases what it approves in front of that step.

    "we send an offer; offers above the band need VP approval" means the VP approves before the offer goes out.
    """
    ordered = list(steps)
    for step in list(ordered):
        if step.source != "user" or not step.decisions or not re.search(r"\bapproval$", step.name, re.IGNORECASE):
            continue
        index = ordered.index(step)
        subject = _stems(" ".join([step.description, *(d.subject.replace("_", " ") for d in step.decisions)]))
        for earlier in range(index):
            words = ordered[earlier].name.split()
            if words and words[0].lower() in _RELEASE_VERBS and _stems(" ".join(words[1:])) & subject:
                ordered.insert(earlier, ordered.pop(index))
                break
    return ordered


_PLACE_WORDS = {"in", "into", "via", "through", "using", "inside"}
_PHRASAL_IN = {"fill", "log", "check", "hand", "key", "plug", "opt", "type", "write"}  # "fill in the form"


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith(("ss", "us", "is")) else word


def _head_noun(title: str, text: str) -> str:
    """The noun the process is about: of the title's words, the one the requirements repeat most
    ("Contracts r Stuck in Legal" over a text about contracts → "contract"); ties go to a plural, then the last."""
    words = [w for w in re.findall(r"[A-Za-z][\w-]*", title)
             if w.lower() not in _GENERIC_TITLE_WORDS | _OBJECTLESS and not w.lower().endswith("ing")
             and not looks_like_action(w.lower()) and len(w) >= 3]
    if not words:
        return ""
    lowered = text.lower()
    counts = [len(re.findall(rf"\b{re.escape(_singular(w.lower()))}", lowered)) for w in words]
    plural = [w.lower() != _singular(w.lower()) for w in words]  # a plural title word names the things handled
    best = max(range(len(words)), key=lambda i: (counts[i], plural[i], i))
    head = words[best]
    return head if head.isupper() else _singular(head.lower())


def name_first_receipt(steps: list[RequirementStep]) -> list[RequirementStep]:
    """"inbound leads from website forms": a first step without a verb names what arrives, so it is received."""
    if steps and steps[0].source == "user" and not is_verb(steps[0].name.split()[0]):
        source = re.match(r"^(?P<what>[A-Za-z][\w\s-]{2,40}?)\s+from\s+\S", steps[0].description)
        if source and not looks_like_action(source.group("what")):
            what = source.group("what")
            steps[0].name = step_name(f"receive {what if what[:2].isupper() else what[:1].lower() + what[1:]}")
    return steps


def lend_process_object(steps: list[RequirementStep], title: str, text: str) -> None:
    """"Call" alone says less than "Call lead", "Schedule in MES" says where but not what: lend such steps
    the process's own object."""
    head = _head_noun(title, text)
    for step in steps:
        words = step.name.split()
        placed = len(words) > 2 and words[1].lower() in _PLACE_WORDS and words[0].lower() not in _PHRASAL_IN
        objectless = len(words) == 1 or (len(words) == 2 and words[1].lower() in _OBJECTLESS) or placed
        if head and objectless and looks_like_action(words[0]) and head.lower() not in step.name.lower():
            where = words[1:] if len(words) > 1 and words[1].lower() in _PLACE_WORDS else []
            step.name = " ".join([words[0], head, *where][:5])


# "customer wants to cancel the policy": a requester's intent is the request the process receives
_INTENT = re.compile(
    r"^(?:the\s+|a\s+)?(?:customers?|clients?|employees?|users?|patients?|members?|tenants?|suppliers?|vendors?|"
    r"cardholders?|policyholders?|applicants?|students?|someone|people)\s+(?:wants?|wishes|asks?|would like|calls?|"
    r"writes?|e-?mails?|requests?)\s+to\s+(?P<verb>[a-z]+)\b",
    re.IGNORECASE,
)
_NOMINALS = {"cancel": "cancellation", "renew": "renewal", "close": "closure", "apply": "application",
             "book": "booking", "register": "registration", "enrol": "enrolment", "enroll": "enrollment",
             "withdraw": "withdrawal", "terminate": "termination", "open": "opening", "join": "joining",
             "leave": "leave", "return": "return", "change": "change", "transfer": "transfer", "refund": "refund",
             "upgrade": "upgrade", "downgrade": "downgrade", "order": "order", "claim": "claim", "report": "report"}


def name_requests_by_intent(steps: list[RequirementStep]) -> list[RequirementStep]:
    """"customer wants to cancel the policy" → "Receive cancellation request"."""
    for step in steps:
        intent = _INTENT.match(step.description) if step.source == "user" else None
        if intent and intent.group("verb").lower() in _NOMINALS:
            step.name = f"Receive {_NOMINALS[intent.group('verb').lower()]} request"
    return steps
