"""Integration eval cases: the spec the user stated, checked field by field against the document's ``integration``.

A suite line with ``"kind": "integration"`` carries ``integration`` (see evals/README.md). Each
stated field is one check — the systems, the direction, the trigger, every mapping row (source,
target and transformation kind together), each system's authentication method, every flow,
every rate limit, and the error queue, retries and reviewer — and a figure is the share of its
checks that are exact.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from process_designer.domain.models import IntegrationSpec, ProcessDocument
from process_designer.evals.cases import EvalCase, _Strict, register_case_kind
from process_designer.evals.metrics import CASE_SCORERS
from process_designer.language.pipeline import noun_lemma

__all__ = ["GoldIntegration", "IntegrationCase", "score_integration"]


class GoldMapping(_Strict):
    source: str
    target: str
    transformation: str


class GoldTrigger(_Strict):
    kind: Literal["schedule", "event", "webhook", "manual"]
    text: str  # must occur in the predicted trigger's text (case and spacing aside)


class GoldRecovery(_Strict):
    queue: str = ""
    retries: int | None = None
    reviewer: str = ""


class GoldIntegration(_Strict):
    systems: list[str] = Field(min_length=2)
    direction: Literal["one-way", "two-way"]
    flows: list[tuple[str, str, str]] = Field(default_factory=list)  # (objects, source, target)
    trigger: GoldTrigger | None = None
    mapping: list[GoldMapping] = Field(default_factory=list)
    auth: dict[str, str] = Field(default_factory=dict)  # system → method id of integration/data/auth.toml
    rate_limits: dict[str, str] = Field(default_factory=dict)  # system → "500 requests per minute"
    recovery: GoldRecovery | None = None


class IntegrationCase(EvalCase):
    """An eval case whose document must carry the stated integration."""

    integration: GoldIntegration


def _same(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


def _last_lemma(text: str) -> str:
    words = text.lower().split()
    return noun_lemma(words[-1]) if words else ""


def _checks(gold: GoldIntegration, spec: IntegrationSpec | None) -> dict[str, list[bool]]:
    """Per group of fields, whether each stated field came out exactly."""
    if spec is None:
        spec = IntegrationSpec(systems=[], data_flow="", frequency="")
    checks: dict[str, list[bool]] = {
        "systems": [sorted(s.lower() for s in gold.systems) == sorted(s.lower() for s in spec.systems)],
        "direction": [gold.direction == spec.direction],
        "flows": [any(_same(f.source, src) and _same(f.target, dst) and _last_lemma(f.objects) == _last_lemma(obj)
                      for f in spec.flows) for obj, src, dst in gold.flows],
        "mapping": [any(_same(m.source, row.source) and _same(m.target, row.target)
                        and m.transformation.split()[0].lower() == row.transformation.lower() and not m.example
                        for m in spec.data_mapping if m.transformation) for row in gold.mapping],
        "auth": [any(_same(a.system, system) and a.method == method for a in spec.auth)
                 for system, method in gold.auth.items()],
        "rate_limits": [any(_same(r.system, system) and _same(r.limit, limit) for r in spec.rate_limits)
                        for system, limit in gold.rate_limits.items()],
    }
    if gold.trigger is not None:
        trigger = spec.trigger
        checks["frequency"] = [trigger is not None and trigger.kind == gold.trigger.kind
                               and " ".join(gold.trigger.text.lower().split()) in " ".join(trigger.text.lower().split())]
    if gold.recovery is not None:
        policy = spec.recovery
        recovery = []
        if gold.recovery.queue:
            recovery.append(policy is not None and _same(policy.queue, gold.recovery.queue))
        if gold.recovery.retries is not None:
            recovery.append(policy is not None and policy.retries == gold.recovery.retries)
        if gold.recovery.reviewer:
            recovery.append(policy is not None and _same(policy.reviewer, gold.recovery.reviewer))
        checks["recovery"] = recovery
    return checks


def score_integration(case: EvalCase, document: ProcessDocument) -> dict[str, float | None]:
    """``integration_<group>_exact`` per group of stated fields and ``integration_field_exact`` over all of them."""
    if not isinstance(case, IntegrationCase):
        return {}
    checks = _checks(case.integration, document.integration)
    figures: dict[str, float | None] = {
        f"integration_{group}_exact": (sum(found) / len(found) if found else None) for group, found in checks.items()
    }
    every = [ok for found in checks.values() for ok in found]
    figures["integration_field_exact"] = sum(every) / len(every) if every else None
    return figures


register_case_kind("integration", IntegrationCase)
CASE_SCORERS["integration"] = score_integration
