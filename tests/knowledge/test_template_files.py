"""Every curated template file is a complete, well-formed process.

These checks run on the files themselves (no index, no embedder), so a broken or thin
template is caught by name before it ever reaches the store.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from process_designer.domain.durations import parse_duration
from process_designer.knowledge.template_model import ProcessTemplate, load_template

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "process_designer" / "knowledge" / "templates"
FILES = sorted(TEMPLATES_DIR.glob("*.toml"))
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
CATEGORIES = {
    "customer",
    "hr",
    "finance",
    "procurement",
    "it",
    "security",
    "support",
    "sales",
    "legal",
    "operations",
    "logistics",
    "compliance",
    "healthcare",
    "insurance",
    "banking",
    "integration",
    "data",
    "engineering",
    "agents",
    "quality",
}

# The topics the library must cover, each mapped to the template that covers it.
REQUIRED_TOPICS = {
    "employee offboarding": "employee-offboarding",
    "product returns / RMA": "product-return-rma",
    "invoice approval": "invoice-approval",
    "purchase requisition": "purchase-requisition",
    "expense reimbursement": "expense-reimbursement",
    "incident response": "incident-response",
    "change management": "change-management",
    "access request": "access-request",
    "access revocation": "access-revocation",
    "vendor onboarding": "vendor-onboarding",
    "KYC/KYB": "kyc-kyb-verification",
    "order fulfilment": "order-fulfilment",
    "shipping exceptions": "shipping-exception",
    "support escalation": "support-escalation",
    "complaint handling": "complaint-handling",
    "contract review and approval": "contract-review-approval",
    "backup and restore": "backup-restore",
    "data synchronisation": "data-synchronisation",
    "scheduled report generation": "scheduled-report-generation",
    "release deployment": "release-deployment",
    "vulnerability triage": "vulnerability-triage",
    "patient intake": "patient-intake",
    "insurance claim": "insurance-claim",
    "loan application": "loan-application",
    "content moderation": "content-moderation",
    "quality inspection": "quality-inspection",
    "recruiting": "recruiting",
    "month-end close": "month-end-close",
    "payroll": "payroll-run",
    "multi-agent system setup": "multi-agent-system-setup",
    "agent deployment": "agent-deployment",
    "subscription cancellation": "subscription-cancellation",
    "password reset": "password-reset",
    "lead qualification": "lead-qualification",
    "travel request": "travel-request",
    "asset disposal": "asset-disposal",
    "grant application": "grant-application",
    "data subject request": "data-subject-request",
    "inventory cycle count": "inventory-cycle-count",
}
# Written alongside the store and search code; counted once they are present.
STORE_TEMPLATES = {
    "standard-process",
    "system-integration",
    "customer-onboarding",
    "refund-request",
    "employee-onboarding",
}


def _load(path: Path) -> ProcessTemplate:
    return load_template(path)


@pytest.fixture(scope="module")
def templates() -> dict[str, ProcessTemplate]:
    return {path.stem: _load(path) for path in FILES}


def test_the_library_is_large_enough() -> None:
    ids = {path.stem for path in FILES}
    curated_here = ids - STORE_TEMPLATES
    assert len(curated_here) >= 37, sorted(curated_here)
    assert ids >= STORE_TEMPLATES, sorted(STORE_TEMPLATES - ids)
    assert len(ids) >= 40, sorted(ids)


def test_required_topics_are_covered() -> None:
    ids = {path.stem for path in FILES}
    missing = {topic: tid for topic, tid in REQUIRED_TOPICS.items() if tid not in ids}
    assert not missing, missing


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_template_file_is_complete(path: Path) -> None:
    template = _load(path)
    doc = template.document
    name = path.name

    assert template.id == path.stem, f"{name}: id {template.id!r} differs from the file name"
    assert template.title and doc.title == template.title, name
    assert template.category in CATEGORIES, f"{name}: unknown category {template.category!r}"
    assert template.business_domain, name
    assert 4 <= len(template.tags) <= 8, f"{name}: {len(template.tags)} tags"
    assert template.integrations, f"{name}: no integrations"
    for connector in template.integrations:
        assert SNAKE.match(connector), f"{name}: connector {connector!r} is not snake_case"
    assert template.roles, f"{name}: no roles"
    assert template.description, f"{name}: no description"

    assert doc.overview.purpose and doc.overview.scope and doc.overview.owner, name
    assert 2 <= len(doc.prerequisites) <= 5, f"{name}: {len(doc.prerequisites)} prerequisites"
    assert 5 <= len(doc.steps) <= 9, f"{name}: {len(doc.steps)} steps"
    assert 3 <= len(doc.error_handling) <= 6, f"{name}: {len(doc.error_handling)} error lines"
    assert 3 <= len(doc.monitoring) <= 5, f"{name}: {len(doc.monitoring)} monitoring lines"
    assert 2 <= len(doc.related_documents) <= 4, name
    for line in doc.monitoring:
        assert re.search(r"\d", line), f"{name}: monitoring line without a target: {line!r}"

    step_names = set()
    for step in doc.steps:
        where = f"{name} step {step.number} ({step.name})"
        assert step.name not in step_names, f"{where}: duplicate step name"
        step_names.add(step.name)
        assert step.objective and step.responsible, where
        assert len(step.actions) >= 2, f"{where}: fewer than two actions"
        assert len(step.validation) >= 1, f"{where}: no validation"
        minutes = parse_duration(step.duration)
        assert minutes is not None and minutes > 0, f"{where}: duration {step.duration!r}"
        for dep in step.depends_on:
            assert 1 <= dep < step.number, f"{where}: depends on step {dep}"
        assert step.systems, f"{where}: names no system"
        for system in step.systems:
            assert system in template.integrations, f"{where}: {system!r} not in integrations"
        for decision in step.decisions:
            assert decision.text, where
            assert SNAKE.match(decision.subject), f"{where}: decision subject {decision.subject!r}"
            assert decision.operator, where
            assert decision.value is not None, f"{where}: decision without a value"
            assert decision.if_true and decision.if_false, (
                f"{where}: decision without both branches"
            )

    if doc.kind == "integration":
        assert doc.integration is not None, f"{name}: integration kind without [integration]"
        assert doc.integration.data_mapping, f"{name}: integration without a data mapping"
        for system in doc.integration.systems:
            assert system in template.integrations, f"{name}: {system!r} not in integrations"


def test_template_ids_and_titles_are_unique(templates: dict[str, ProcessTemplate]) -> None:
    ids = [t.id for t in templates.values()]
    titles = [t.title for t in templates.values()]
    assert len(ids) == len(set(ids))
    assert len(titles) == len(set(titles))


def test_no_placeholders() -> None:
    for path in FILES:
        text = path.read_text(encoding="utf-8")
        for marker in ("TBD", "TODO", "…", "[Step Name]", "lorem ipsum"):
            assert marker not in text, f"{path.name}: contains {marker!r}"


def test_every_integration_is_used_by_some_step(templates: dict[str, ProcessTemplate]) -> None:
    for template in templates.values():
        used = {system for step in template.document.steps for system in step.systems}
        unused = set(template.integrations) - used
        assert not unused, f"{template.id}: integrations no step calls: {sorted(unused)}"
