"""Saved templates read back exactly: `template_to_toml` is the inverse of `template_from_toml`."""

from __future__ import annotations

from pathlib import Path

import pytest

from process_designer.knowledge import CURATED_TEMPLATES_DIR, load_template, template_from_toml
from process_designer.knowledge.template_writer import template_to_toml
from tests.graph_documents import CLAIM, ONBOARDING, PURCHASE


@pytest.mark.parametrize("path", sorted(CURATED_TEMPLATES_DIR.glob("*.toml")), ids=lambda p: p.stem)
def test_every_curated_template_round_trips(path: Path) -> None:
    template = load_template(path)
    assert template_from_toml(template_to_toml(template), "saved.toml") == template


def test_strings_with_quotes_backslashes_and_newlines_survive() -> None:
    template = load_template(CURATED_TEMPLATES_DIR / "standard-process.toml")
    tricky = 'Say "done" \\ then\nnext line\ttab — ünïcode'
    changed = template.model_copy(update={"description": tricky})
    text = template_to_toml(changed)
    assert template_from_toml(text, "saved.toml").description == tricky


@pytest.mark.parametrize("source", [PURCHASE, CLAIM, ONBOARDING], ids=["decisions", "loop", "parallel"])
def test_a_template_with_a_graph_saves_its_decisions_loops_and_ends(source: str) -> None:
    template = template_from_toml(source, "graph.toml")
    text = template_to_toml(template)
    back = template_from_toml(text, "saved.toml")
    assert back.document.flow == template.document.flow
    assert back == template
    if source is PURCHASE:
        assert 'rule = "amount > 10000"' in text and 'label = "Request rejected"' in text


def test_an_integration_as_the_user_stated_it_round_trips() -> None:
    from process_designer.domain.models import (
        DataFlow,
        IntegrationTrigger,
        RecoveryPolicy,
        SystemAuth,
    )

    template = load_template(CURATED_TEMPLATES_DIR / "system-integration.toml")
    assert template.document.integration is not None
    spec = template.document.integration.model_copy(update={
        "direction": "two-way",
        "flows": [DataFlow(objects="opportunities", source="Salesforce", target="NetSuite", target_objects="orders")],
        "trigger": IntegrationTrigger(kind="schedule", text="every 15 minutes"),
        "auth": [SystemAuth(system="Salesforce", method="oauth2_jwt_bearer", label="OAuth 2.0 JWT bearer flow")],
        "recovery": RecoveryPolicy(retries=3, queue="dead-letter queue", reviewer="RevOps Analyst"),
    })
    changed = template.model_copy(update={"document": template.document.model_copy(update={"integration": spec})})
    assert template_from_toml(template_to_toml(changed), "saved.toml") == changed
