"""How the offline writer words steps: objectives, actions and validation per kind of action."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from process_designer.agents.vocabulary import ActionKind, system_label
from process_designer.domain.models import Decision
from process_designer.language.lexicon import lexicon

__all__ = ["Sequel", "complete_sentence", "describe_decision", "domain_role", "object_phrase", "step_actions",
           "step_objective", "step_validation", "value_text"]

@lru_cache(maxsize=1)
def _domains() -> list[tuple[re.Pattern[str], str, str]]:
    """(words, operator role, owning team) of each domain (``domains.toml``)."""
    text = resources.files("process_designer.agents.writer").joinpath("domains.toml").read_text("utf-8")
    return [(re.compile(rf"\b(?:{d['words']})", re.IGNORECASE), d["role"], d["team"])
            for d in tomllib.loads(text)["domains"]]


@lru_cache(maxsize=64)  # asked once per step of the same requirement
def domain_role(text: str, title: str = "") -> tuple[str, str]:
    """(operator role, owning team) of the domain ``title`` and ``text`` speak of most.

    Every mention counts, the title's three times: one incidental word ("the request is returned")
    does not make an access request a customer-support process.
    """
    best: tuple[int, str, str] = (0, "Operations Specialist", "Business Operations")
    for words, role, team in _domains():
        score = 3 * len(words.findall(title)) + len(words.findall(text))
        if score > best[0]:
            best = (score, role, team)
    return best[1], best[2]


_SYSTEM_TAIL = re.compile(
    r"\s+(?:in|into|from|via|using|through|on|with|to)\s+(?:the\s+)?[\w/-]+(?:\s+(?:system|tool|platform|portal))?$",
    re.IGNORECASE,
)


# A name whose verb takes no direct object ("Order from vendor", "Approve as CFO") acts on the case.
_PREPOSITION_FIRST = re.compile(r"^(?:as|at|by|for|from|in|into|of|on|to|via|with|within|without|about|after|before)\b",
                                re.IGNORECASE)


def object_phrase(name: str) -> str:
    """"Look up order in CRM" → "the order"; "Manager approval" → "the manager approval"; "Order from vendor" → "the case"."""
    words = name.split()
    body = " ".join(words[1:]) if len(words) > 1 else name
    if _PREPOSITION_FIRST.match(body) and not re.search(r"approval$", name, re.IGNORECASE):
        return "the case"
    if len(words) > 2 and " ".join(words[:2]).lower() in lexicon().phrasal:  # "Hand over parcel": the parcel
        body = " ".join(words[2:])
    body = _SYSTEM_TAIL.sub("", body).strip() or body
    if re.search(r"approval$", name, re.IGNORECASE):
        body = name
    body = body[:1].lower() + body[1:] if not body[:2].isupper() else body
    return body if body.startswith(("the ", "a ", "an ")) else f"the {body}"


def value_text(decision: Decision) -> str:
    value = decision.value
    unit = decision.unit or ""
    if isinstance(value, bool) or value is None:
        return str(value).lower()
    if unit.upper() in ("USD", "EUR", "GBP"):
        symbol = {"USD": "$", "EUR": "€", "GBP": "£"}[unit.upper()]
        return f"{symbol}{value:,}" if isinstance(value, int) else f"{symbol}{value:,.2f}"
    return f"{value}%" if unit == "%" else f"{value} {unit}".strip()


_OPERATOR_WORDS = {">": "is over", ">=": "is at least", "<": "is under", "<=": "is at most",
                   "==": "equals", "!=": "differs from", "is": "is", "is_not": "is not"}


def describe_decision(decision: Decision) -> str:
    """"If amount is over $500: route to the Manager for approval; otherwise approve automatically"."""
    subject = decision.subject.replace("_", " ")
    if decision.operator in ("is", "is_not") and isinstance(decision.value, bool):
        negate = (decision.operator == "is_not") == decision.value
        condition = f"{subject} is {'not ' if negate else ''}confirmed"
    else:
        condition = f"{subject} {_OPERATOR_WORDS[decision.operator]} {value_text(decision)}"
    return f"If {condition}: {decision.if_true}; otherwise {decision.if_false}"


@dataclass(frozen=True)
class Sequel:
    """What follows a step in the process graph, so its actions can say how the work moves on."""

    decision: str = ""  # the label of the exclusive gateway right after the step
    decision_data: tuple[str, ...] = ()  # what that decision reads, as words: "the amount", "whether approved"
    next_steps: tuple[tuple[int, str, str], ...] = ()  # (number, name, role) of the steps it hands to
    parallel: bool = False  # the next steps start at the same time


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _what_bare(what: str) -> str:
    return re.sub(r"^(?:the|a|an) ", "", what)


def complete_sentence(description: str) -> bool:
    """Whether the analyst's description reads as a whole sentence, not a clause cut short."""
    words = description.strip().rstrip(".").split()
    return len(words) >= 3 and words[-1].lower() not in _BREAK_WORDS and "  " not in description


_BREAK_WORDS = frozenset({"and", "or", "but", "then", "the", "a", "an", "to", "of", "for", "with", "by", "in", "on",
                          "from", "that", "which", "who", "if", "when", "as", "at", "into"})


def step_objective(kind: ActionKind, name: str, systems: list[str]) -> str:
    what = object_phrase(name)
    if kind.name == "verify" and re.match(r"^(?:look up|lookup|find|fetch|retrieve|pull|get)\b", name, re.I):
        where = f" from the {system_label(systems[0])}" if systems else ""
        return f"Retrieve {what}{where} so that every later decision uses current, verified data"
    return kind.objective.format(what=what)


def _where(systems: list[str]) -> str:
    return f" in the {system_label(systems[0])}" if systems else ""


@lru_cache(maxsize=1)
def _step_details() -> dict[str, list[str]]:
    """The detail lines per kind of action (``step_details.toml``)."""
    text = resources.files("process_designer.agents.writer").joinpath("step_details.toml").read_text("utf-8")
    kinds: dict[str, list[str]] = tomllib.loads(text)["kinds"]
    return kinds


def _detail(kind: str, what: str, where: str, role: str) -> list[str]:
    """What doing a step of ``kind`` well involves, said of this step's object and system."""
    bare = _what_bare(what)
    for_what = "" if what == "the case" else f" for {what}"
    lines = _step_details()
    return [line.format(what=what, bare=bare, where=where, for_what=for_what, role=role)
            for line in lines.get(kind, lines["prepare"])]


def sequel_action(what: str, sequel: Sequel | None, role: str) -> str | None:
    """How the work moves on after the step, from the graph: the data a decision needs, or the hand-over."""
    if sequel is None:
        return None
    if sequel.decision:
        needed = " and ".join(sequel.decision_data) or "what it depends on"
        return f"Record {needed} on the case for the decision '{sequel.decision}'"
    if sequel.parallel and len(sequel.next_steps) > 1:
        started = " and ".join(f"Step {n} ({name})" for n, name, _ in sequel.next_steps)
        return f"Start {started} at the same time"
    others = [(n, name, r) for n, name, r in sequel.next_steps if r and r != role]
    if len(others) == 1:
        number, name, receiver = others[0]
        return f"Hand {what} over to the {receiver} for Step {number} ({name})"
    return None


def step_actions(kind: ActionKind, name: str, description: str, systems: list[str], role: str,
                 sequel: Sequel | None = None) -> list[str]:
    """Two to three actions written from the step: what is done to what, where, and how the work moves on."""
    what = object_phrase(name)
    sentence = description.strip().rstrip(".")
    conditional = bool(re.match(r"^(?:if|when|unless|whenever)\b[^:]*:", sentence, re.IGNORECASE))
    where = _where(systems)
    first = _sentence(sentence) if complete_sentence(sentence) and not conditional else f"{name}{where}"
    detail = _detail(kind.name, what, where, role)
    moving_on = sequel_action(what, sequel, role)
    return [first, detail[0], moving_on] if moving_on else [first, *detail]


def step_validation(kind: ActionKind, name: str, systems: list[str], role: str,
                    sequel: Sequel | None = None) -> list[str]:
    what = object_phrase(name)
    where = _where(systems)
    checks: dict[str, str] = {
        "approve": f"Approval or rejection of {what} recorded by an authorised {role} with a reason and time stamp",
        "notify": f"Delivery of the message about {what} confirmed{where} with no bounce or failure",
        "transact": f"Transaction reference for {what} present{where} and the amount matches the approved value",
        "verify": f"Result of checking {what} recorded{where} with the evidence used",
        "create": f"Record for {what} exists{where} with a unique identifier",
        "intake": f"{_sentence(_what_bare(what))} registered with a case reference and every mandatory field filled",
        "record": f"Updated values of {what} visible{where} and matching the source",
        "close": f"{_sentence(_what_bare(what))} closed{where} with a resolution summary",
        "fulfil": f"Proof of completion for {what} captured and its status updated",
        "investigate": f"Cause and remedy for {what} documented and accepted by the process owner",
        "prepare": f"{_sentence(_what_bare(what))} checked against the request{where}",
        "coordinate": f"{_sentence(_what_bare(what))} confirmed by every participant",
        "deploy": f"Post-change health checks for {what} pass and the outcome is recorded",
        "data": f"Source and target record counts for {what} match and the run is logged",
        "revoke": f"No remaining access or activity for {what}{where}",
    }
    found = [checks.get(kind.name, f"{name} completed and recorded")]
    if sequel is not None and sequel.decision:
        found.append(f"The case holds what the decision '{sequel.decision}' reads before it is taken")
    return found
