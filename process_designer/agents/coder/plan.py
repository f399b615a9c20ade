"""What the SPy of a step must do, derived from the step: inputs, decisions and integration calls."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from process_designer.agents.coder.spy_source import identifier
from process_designer.agents.vocabulary import classify_action
from process_designer.domain.models import Decision, Step

__all__ = ["DecisionPlan", "IntegrationCall", "StepPlan", "plan_step", "sample_values"]

_TERMINAL = re.compile(r"\b(?:reject|deny|decline|refuse|cancel|stop|block|abort|discard|end the process|"
                       r"close the request|not refundable|ineligible)\w*", re.IGNORECASE)
_ESCALATE = re.compile(r"\bescalat\w*|\bhold\b|\bpark\b|\bmanual review\b|\bfreeze\b", re.IGNORECASE)
_VERB_OPS = {
    "notify": "send", "verify": "get", "approve": "request_approval", "transact": "create_transaction",
    "create": "create", "intake": "register", "record": "update", "close": "close", "fulfil": "dispatch",
    "investigate": "open_investigation", "prepare": "publish", "coordinate": "schedule", "deploy": "deploy",
    "data": "sync", "revoke": "revoke",
}


@dataclass(frozen=True)
class DecisionPlan:
    decision: Decision
    field: str
    outcome: str  # "rejected" | "escalated" | "route"

    @property
    def terminal(self) -> bool:
        return self.outcome in ("rejected", "escalated")


@dataclass(frozen=True)
class IntegrationCall:
    system: str
    operation: str

    @property
    def qualified(self) -> str:
        return f"{self.system}.{self.operation}"


@dataclass
class StepPlan:
    step: Step
    handler: str
    required: list[str] = field(default_factory=list)
    decisions: list[DecisionPlan] = field(default_factory=list)
    calls: list[IntegrationCall] = field(default_factory=list)


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


def plan_step(step: Step, case_field: str = "case_id") -> StepPlan:
    """The define ``Step{N}Handler`` with its inputs, decisions and calls."""
    plan = StepPlan(step=step, handler=f"Step{step.number}Handler", required=[case_field])
    for decision in step.decisions:
        name = identifier(decision.subject or "value")
        if name not in plan.required:
            plan.required.append(name)
        outcome = ("rejected" if _TERMINAL.search(decision.if_true) else
                   "escalated" if _ESCALATE.search(decision.if_true) else "route")
        plan.decisions.append(DecisionPlan(decision=decision, field=name, outcome=outcome))
    for system in dict.fromkeys(step.systems):
        plan.calls.append(IntegrationCall(system=identifier(system), operation=_operation(step, system)))
    return plan


def _compare(value: object, operator: str, threshold: object) -> bool:
    if operator in ("is", "=="):
        return value == threshold
    if operator in ("is_not", "!="):
        return value != threshold
    try:
        if operator == ">":
            return value > threshold  # type: ignore[operator]
        if operator == ">=":
            return value >= threshold  # type: ignore[operator]
        if operator == "<":
            return value < threshold  # type: ignore[operator]
        if operator == "<=":
            return value <= threshold  # type: ignore[operator]
    except TypeError:
        return False
    return False


def _candidates(threshold: object) -> list[object]:
    if isinstance(threshold, bool):
        return [threshold, not threshold]
    if isinstance(threshold, int | float):
        step = 1 if isinstance(threshold, int) or float(threshold).is_integer() else 0.5
        base = int(threshold) if isinstance(threshold, float) and threshold.is_integer() else threshold
        return [base + step, base, base - step, 0]
    if threshold is None:
        return [None, "present"]
    return [threshold, f"not {threshold}"]


def sample_values(decisions: list[DecisionPlan], branch: bool) -> dict[str, object] | None:
    """Input values that make every decision take ``branch`` (``None`` when impossible)."""
    by_field: dict[str, list[DecisionPlan]] = {}
    for plan in decisions:
        by_field.setdefault(plan.field, []).append(plan)
    values: dict[str, object] = {}
    for name, plans in by_field.items():
        options = [c for p in plans for c in _candidates(p.decision.value)]
        chosen = next((c for c in options
                       if all(_compare(c, p.decision.operator, p.decision.value) == branch for p in plans)), _MISSING)
        if chosen is _MISSING:
            return None
        values[name] = chosen
    return values


_MISSING = object()
