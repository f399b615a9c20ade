"""The Integration Process Pattern carries the user's integration: its steps are the run, its code the stated auth."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from process_designer.agents.analyst.offline import analyze_requirements
from process_designer.agents.coder import compile_document
from process_designer.agents.writer import compose_document
from process_designer.domain.markdown import render_markdown
from process_designer.domain.models import ProcessDocument
from process_designer.evals.cases import load_cases
from process_designer.evals.integrations import score_integration
from tests.integrations.test_reading import ISSUE, SHOPIFY


def _design(text: str) -> ProcessDocument:
    requirement = analyze_requirements(text)
    return compile_document(compose_document(requirement, today=date(2026, 1, 1)))


def test_the_issue_example_gives_the_run_and_the_user_mapping() -> None:
    document = _design(ISSUE)
    markdown = render_markdown(document)
    assert document.kind == "integration"
    assert [s.name for s in document.steps] == [
        "Extract opportunities from Salesforce", "Transform opportunities into sales orders",
        "Load sales orders into NetSuite", "Sync order status back to Salesforce", "Reconcile record counts"]
    assert document.overview.purpose.startswith(
        "Keep opportunities and order status consistent between Salesforce and NetSuite (two-way, every 15 minutes)")
    assert not any(s.name.startswith("Map Account") for s in document.steps)
    assert "- **Systems**: Salesforce, NetSuite" in markdown
    assert "| Account.Name | customer.companyName | trim |" in markdown
    assert "| CloseDate | tranDate | date |" in markdown
    assert "customer_id" not in markdown and "external_api_key" not in markdown
    assert "- **Salesforce**: OAuth 2.0 JWT bearer flow" in markdown
    assert 'get_secret("salesforce_jwt_private_key")' in document.spy.program
    assert 'get_secret("netsuite_token_secret")' in document.spy.program
    assert document.spy.tests_failed == 0 and document.spy.tests_passed > 0
    assert not [d for d in document.spy.diagnostics if ": E" in d]


def test_the_reviewer_of_the_queue_performs_the_review_step() -> None:
    document = _design(SHOPIFY)
    review = document.steps[-1]
    assert (review.name, review.responsible) == ("Review dead-letter queue", "Finance Analyst")
    assert "- **Failed records**: go to the dead-letter queue" in render_markdown(document)
    assert 'QUEUE = "dead-letter queue"' in document.spy.program


def test_sample_rows_and_code_appear_only_as_marked_examples() -> None:
    document = _design("Integrate the CRM with the ERP so customers sync every hour.")
    markdown = render_markdown(document)
    assert document.integration is not None
    assert all(row.example for row in document.integration.data_mapping)
    assert "| customer_id | external_id | string (example) |" in markdown
    assert "Example rows: no field mapping was given" in markdown
    assert "# Example: no authentication was stated" in document.spy.program
    assert document.spy.tests_failed == 0


def test_the_integration_score_counts_each_stated_field(tmp_path: Path) -> None:
    case = {"id": "one", "kind": "integration", "domain": "integration", "style": "medium", "requirements": ISSUE,
            "gold_steps": [{"name": "Extract opportunities"}],
            "integration": {"systems": ["Salesforce", "NetSuite"], "direction": "two-way",
                            "mapping": [{"source": "Account.Name", "target": "customer.companyName",
                                         "transformation": "trim"},
                                        {"source": "CloseDate", "target": "tranDate", "transformation": "string"}],
                            "auth": {"Salesforce": "oauth2_jwt_bearer", "NetSuite": "api_key"}}}
    suite = tmp_path / "one.jsonl"
    suite.write_text(json.dumps(case) + "\n", encoding="utf-8")
    figures = score_integration(load_cases(suite)[0], _design(ISSUE))
    assert figures["integration_mapping_exact"] == 0.5  # CloseDate → tranDate is a date, not a string
    assert figures["integration_auth_exact"] == 0.5  # NetSuite uses token-based authentication
    assert figures["integration_direction_exact"] == 1.0
    assert figures["integration_field_exact"] == 4 / 6
    assert "integration_frequency_exact" not in figures  # the case states no trigger


def test_fields_listed_without_targets_are_rows_and_the_users_own_steps_stay() -> None:
    requirement = analyze_requirements(
        "Sync new customers from Salesforce into SAP every 15 minutes. Map the account name, billing address and "
        "VAT number. Records that fail validation go to an error queue and the data steward sends a daily summary.")
    assert requirement.integration is not None
    assert [(m.source, m.target) for m in requirement.integration.data_mapping] == [
        ("account name", ""), ("billing address", ""), ("VAT number", "")]
    names = [s.name for s in requirement.steps]
    assert names[:4] == ["Extract new customers from Salesforce", "Transform new customers fields",
                         "Validate mapped records", "Load new customers into SAP"]
    assert "Send daily summary" in names and not any(n.startswith("Map the") for n in names)
    assert names[-1] == "Review error queue" and requirement.steps[-1].performer_source == "assumed"


def test_a_pipeline_the_user_lays_out_keeps_its_steps() -> None:
    requirement = analyze_requirements(
        "Stripe sends webhooks to our billing database, which syncs to Salesforce. Verify the signature, "
        "ignore duplicate events, update the subscription status and email the customer when a payment failed.")
    names = [s.name for s in requirement.steps]
    assert requirement.kind == "integration"
    assert "Verify signature" in names and "Update subscription status" in names
    assert not any(n.startswith(("Extract", "Reconcile")) for n in names)


TERSE = ("need SFDC opps -> NetSuite sales orders every 15 min, order status comes back from netsuite into "
         "salesforce (bidirectional). map Account.Name to customer.companyName, Opportunity.Amount to total, "
         "CloseDate to tranDate. auth: salesforce = oauth 2.0 jwt bearer, netsuite = TBA token based")


def test_an_integration_written_as_terse_notes_is_designed_not_refused() -> None:
    requirement = analyze_requirements(TERSE)
    assert not requirement.questions
    assert requirement.kind == "integration" and requirement.integration is not None
    assert requirement.title == "Salesforce and NetSuite Integration"
    assert [(r.source, r.target) for r in requirement.integration.data_mapping][:3] == [
        ("Account.Name", "customer.companyName"), ("Opportunity.Amount", "total"), ("CloseDate", "tranDate")]
    assert len(requirement.steps) >= 3

