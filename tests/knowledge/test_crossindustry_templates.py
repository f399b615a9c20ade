"""The cross-industry areas of a process classification framework each have templates, written in the flow format."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from process_designer.knowledge.template_model import load_template

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "process_designer" / "knowledge" / "templates"

# Area of the framework → templates that cover it (earlier templates included where they fit).
AREAS: dict[str, list[str]] = {
    "strategy": ["strategic-planning", "okr-setting", "annual-budgeting", "capex-request"],
    "product development": ["feature-request-intake", "design-review", "product-launch", "product-sunset"],
    "marketing and sales": ["campaign-approval", "lead-qualification", "quote-approval", "discount-approval",
                            "contract-renewal", "rfp-response", "trade-show-event"],
    "delivery and logistics": ["order-fulfilment", "product-return-rma", "goods-receiving", "shipping-exception"],
    "customer service": ["complaint-handling", "support-escalation", "warranty-claim", "customer-feedback-loop"],
    "human resources": ["equipment-loan", "performance-review", "leave-request", "headcount-requisition",
                        "employee-offboarding", "training-enrolment", "expense-reimbursement", "visitor-sign-in",
                        "employee-grievance", "exit-interview"],
    "information technology": ["software-licence-request", "password-reset", "hardware-provisioning",
                               "patch-management", "incident-response", "it-service-request", "user-access-review",
                               "backup-restore", "mobile-device-enrolment"],
    "finance": ["month-end-close", "supplier-payment-run", "petty-cash", "credit-note", "budget-variance-review",
                "fixed-asset-capitalisation", "bank-reconciliation", "customer-credit-review",
                "collections-dunning"],
    "assets and facilities": ["maintenance-work-order", "room-booking", "fleet-vehicle-booking", "space-move",
                              "key-badge-issuance"],
    "risk and compliance": ["policy-exception", "internal-audit", "risk-assessment", "whistleblower-report",
                            "third-party-due-diligence", "data-subject-request", "conflict-of-interest-declaration",
                            "records-retention-disposal", "business-continuity-test", "workplace-safety-incident"],
    "external relations": ["press-enquiry", "investor-relations-request", "sponsorship-request"],
    "capability development": ["mentoring-programme", "certification-tracking"],
}
EARLIER = {"lead-qualification", "order-fulfilment", "product-return-rma", "shipping-exception", "complaint-handling",
           "support-escalation", "employee-offboarding", "expense-reimbursement", "password-reset",
           "incident-response", "backup-restore", "month-end-close", "data-subject-request"}
FLOW_TEMPLATES = sorted({tid for ids in AREAS.values() for tid in ids} - EARLIER)
# Words that name who acts; a step name says what is done, the `responsible` field says who does it.
_ROLE_WORD = re.compile(r"\b(?:as|by) (?:the )?[a-z]+ (?:manager|director|officer|owner|executive|committee)\b"
                        r"|\b(?:manager|director|officer|clerk|analyst|coordinator|specialist)\b", re.IGNORECASE)


def test_every_area_has_its_templates() -> None:
    missing = {area: [t for t in ids if not (TEMPLATES_DIR / f"{t}.toml").is_file()] for area, ids in AREAS.items()}
    assert {area: ids for area, ids in missing.items() if ids} == {}
    assert len(FLOW_TEMPLATES) >= 53


@pytest.mark.parametrize("template_id", FLOW_TEMPLATES)
def test_template_uses_the_flow_format_and_cites_its_sources(template_id: str) -> None:
    path = TEMPLATES_DIR / f"{template_id}.toml"
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    template = load_template(path)
    assert template.sources, f"{template_id}: no sources"
    assert raw.get("gateways"), f"{template_id}: no [[gateways]]"
    assert not any(step.get("decisions") for step in raw["steps"]), f"{template_id}: uses [[steps.decisions]]"
    for step in template.document.steps:
        assert not _ROLE_WORD.search(step.name), f"{template_id}: step name {step.name!r} names its performer"
        assert step.name.split()[0][0].isupper(), f"{template_id}: step name {step.name!r}"
    roles = {step.responsible for step in template.document.steps}
    assert len(roles) >= 2, f"{template_id}: one role performs every step"
    assert set(roles) <= set(template.roles), f"{template_id}: roles {sorted(roles - set(template.roles))} not listed"


@pytest.mark.parametrize("template_id", FLOW_TEMPLATES)
def test_exclusive_gateways_route_on_rules(template_id: str) -> None:
    raw = tomllib.loads((TEMPLATES_DIR / f"{template_id}.toml").read_text(encoding="utf-8"))
    for gateway in raw["gateways"]:
        if gateway["kind"] != "exclusive":
            continue
        ruled = [b for b in gateway["branches"] if not b.get("default")]
        assert ruled and all(b.get("rule") and b.get("condition") for b in ruled), (
            f"{template_id}: gateway {gateway['id']} has a branch without a rule or condition")
