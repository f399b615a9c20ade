"""What the SPy of a step must do, derived from the step and the process graph: inputs, calls and its record.

A step handler no longer decides anything — decisions are gateways of the graph, run by the
``ProcessRunner``. A handler checks the case data it needs (its own and what the decision right
after it reads), calls the step's systems, and records on its result what its action did
("claim_examined"), who did it and when.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from process_designer.agents.coder.spy_source import identifier
from process_designer.agents.vocabulary import PROCESS_VERBS, classify_action
from process_designer.domain.flow import ProcessFlow, RuleValue
from process_designer.domain.models import Step

__all__ = ["IntegrationCall", "StepPlan", "past_participle", "plan_step", "record_field"]

_VERB_OPS = {
    "notify": "send", "verify": "get", "approve": "request_approval", "transact": "create_transaction",
    "create": "create", "intake": "register", "record": "update", "close": "close", "fulfil": "dispatch",
    "investigate": "open_investigation", "prepare": "publish", "coordinate": "schedule", "deploy": "deploy",
    "data": "sync", "revoke": "revoke",
}
_PARTICLES = {"up", "out", "off", "over", "down", "back", "away"}  # "look up", "hand over", "put away"
_PREPOSITIONS = {"in", "to", "from", "with", "for", "via", "on", "into", "at", "by", "of", "against", "through",
                 "within", "after", "before", "under", "per"}
_ARTICLES = {"the", "a", "an", "its", "their", "his", "her", "our", "your", "any", "each", "every", "all"}
# Participles the suffix rules below get wrong. The engine's word forms (lemminflect) can replace this table.
_IRREGULAR = {
    "send": "sent", "pay": "paid", "make": "made", "do": "done", "build": "built", "hold": "held", "take": "taken",
    "give": "given", "write": "written", "draw": "drawn", "choose": "chosen", "sell": "sold", "buy": "bought",
    "keep": "kept", "tell": "told", "find": "found", "bring": "brought", "put": "put", "set": "set", "run": "run",
    "read": "read", "shut": "shut", "meet": "met", "lead": "led", "get": "obtained", "go": "gone", "see": "seen",
    "lay": "laid", "leave": "left", "hand": "handed", "withdraw": "withdrawn", "undertake": "undertaken",
}
_DOUBLED = {"ship", "plan", "scan", "tag", "log", "flag", "stop", "drop", "swap", "scrap", "map", "refer", "key",
            "submit", "admit", "transfer", "permit", "commit", "rerun", "rescan", "prep", "slot", "pin", "chip"}


@dataclass(frozen=True)
class IntegrationCall:
    system: str
    operation: str

    @property
    def qualified(self) -> str:
        return f"{self.system}.{self.operation}"


@dataclass
class StepPlan:
    """The define ``Step{N}Handler``: the case fields it checks, the systems it calls, and what it records."""

    step: Step
    handler: str
    required: list[str] = field(default_factory=list)
    samples: dict[str, RuleValue] = field(default_factory=dict)  # a value for each required decision field
    calls: list[IntegrationCall] = field(default_factory=list)
    record: str = ""  # the result field that says what the action did: "claim_examined"


def past_participle(verb: str) -> str:
    """``examine`` → ``examined``, ``ship`` → ``shipped``, ``send`` → ``sent``, ``verify`` → ``verified``."""
    if verb in _IRREGULAR:
        return _IRREGULAR[verb]
    if verb in _DOUBLED:
        return verb + verb[-1] + "ed"
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        return verb[:-1] + "ied"
    return verb + "ed"


def record_field(name: str) -> str:
    """The result field a step with this name sets: its object and what was done to it.

    "Examine claim" → ``claim_examined``; "Order from vendor" → ``ordered_from_vendor``; an approval
    records that the decision was taken, not its outcome ("Approve request" → ``request_decision_recorded``);
    a name without a leading verb ("Manager approval") → ``manager_approval_completed``.
    """
    words = re.findall(r"[a-z0-9]+", name.lower().replace("-", " "))
    if not words or words[0] not in PROCESS_VERBS:
        return identifier("_".join(words[:4]) + "_completed")
    verb, rest = words[0], words[1:]
    if rest and rest[0] in _PARTICLES:
        verb, rest = f"{verb}_{rest[0]}", rest[1:]
    objects: list[str] = []
    for word in rest:
        if word in _PREPOSITIONS:
            break
        if word not in _ARTICLES:
            objects.append(word)
    objects = objects[-3:]
    head, _, particle = verb.partition("_")
    done = past_participle(head) + (f"_{particle}" if particle else "")
    if classify_action(name).name == "approve" and objects:
        return identifier("_".join([*objects, "decision_recorded"]))
    if objects:
        return identifier("_".join([*objects, done]))
    tail = [w for w in rest if w not in _ARTICLES][:3]
    return identifier("_".join([done, *tail]))


def _operation(step: Step, system: str) -> str:
    if system == "email":
        return "send"
    kind = classify_action(step.name)
    words = [w for w in re.findall(r"[a-z]+", step.name.lower()) if w not in {"the", "a", "an", "in", "to", "from",
                                                                               "into", "via", "for", "of", "and", "with"}]
    system_words = set(system.split("_")) | {"crm", "billing", "email", "ticket", "system", "erp", "hris"}
    words = [w for w in words if w not in system_words]
    if len(words) >= 2:
        if words[0] == "look" and words[1] == "up":
            words = ["get", *words[2:]]
        op = identifier("_".join(words[:3]))
    else:
        op = _VERB_OPS.get(kind.name, "execute")
    return op


def _decision_fields(flow: ProcessFlow | None, step: Step) -> dict[str, RuleValue]:
    """The case fields the decision right after ``step`` always reads, each with a value from its rules."""
    if flow is None:
        return {}
    gateway = flow.gateway_after(step.number)
    if gateway is None or gateway.kind != "exclusive":
        return {}
    # Only the first branch's fields are read on every pass; later branches are read only when it fails.
    first = next((e for e in flow.outgoing(gateway.id) if e.rules and not e.default), None)
    return {rule.subject: rule.value for rule in first.rules} if first is not None else {}


def plan_step(step: Step, flow: ProcessFlow | None = None, case_field: str = "case_id") -> StepPlan:
    """The plan of ``Step{N}Handler``; with the process ``flow``, it also checks what the next decision reads."""
    decision_fields = _decision_fields(flow, step)
    plan = StepPlan(step=step, handler=f"Step{step.number}Handler",
                    required=[case_field, *(f for f in decision_fields if f != case_field)],
                    samples=decision_fields, record=record_field(step.name))
    for system in dict.fromkeys(step.systems):
        plan.calls.append(IntegrationCall(system=identifier(system), operation=_operation(step, system)))
    return plan
