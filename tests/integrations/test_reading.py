"""An integration read from the user's words: systems as named, direction, trigger, mapping, auth, limits, recovery."""

from __future__ import annotations

import pytest

from process_designer.integration import is_mapping_sentence, read_integration
from process_designer.integration.mapping import mapping_rows, transformation_for

ISSUE = (
    "Sync Salesforce opportunities to NetSuite sales orders every 15 minutes; order status flows back from "
    "NetSuite to Salesforce, so it is two-way. Map Account.Name to customer.companyName, Opportunity.Amount to "
    "total and CloseDate to tranDate. Authenticate to Salesforce with the OAuth 2.0 JWT bearer flow and to "
    "NetSuite with token-based authentication."
)
SHOPIFY = (
    "When an order is paid in Shopify, a webhook pushes it to QuickBooks Online as a sales receipt. "
    "Map order.id to DocNumber and customer.email to BillEmail. Shopify signs each webhook with HMAC and we "
    "authenticate to QuickBooks with the OAuth 2.0 authorization code flow. QuickBooks allows 500 requests per "
    "minute. Orders that still fail after 3 retries go to a dead-letter queue, which the finance analyst "
    "reviews every morning."
)


def test_the_issue_example_reads_as_stated() -> None:
    spec = read_integration(ISSUE)
    assert spec is not None
    assert spec.systems == ["Salesforce", "NetSuite"]
    assert spec.direction == "two-way"
    assert [(f.objects, f.source, f.target, f.target_objects) for f in spec.flows] == [
        ("opportunities", "Salesforce", "NetSuite", "sales orders"),
        ("order status", "NetSuite", "Salesforce", ""),
    ]
    assert spec.trigger is not None and (spec.trigger.kind, spec.trigger.text) == ("schedule", "every 15 minutes")
    assert [(m.source, m.target, m.transformation) for m in spec.data_mapping] == [
        ("Account.Name", "customer.companyName", "trim"),
        ("Opportunity.Amount", "total", "decimal"),
        ("CloseDate", "tranDate", "date"),
    ]
    assert [(a.system, a.method) for a in spec.auth] == [("Salesforce", "oauth2_jwt_bearer"),
                                                          ("NetSuite", "token_based")]
    assert not any(m.example for m in spec.data_mapping)


def test_webhook_limits_and_recovery_are_read() -> None:
    spec = read_integration(SHOPIFY)
    assert spec is not None
    assert spec.direction == "one-way"
    assert spec.trigger is not None and spec.trigger.kind == "webhook"
    assert [(f.source, f.target) for f in spec.flows] == [("Shopify", "QuickBooks")]
    assert [(a.system, a.method) for a in spec.auth] == [("Shopify", "hmac_signature"),
                                                          ("QuickBooks", "oauth2_authorization_code")]
    assert [(r.system, r.limit) for r in spec.rate_limits] == [("QuickBooks", "500 requests per minute")]
    assert spec.recovery is not None
    assert (spec.recovery.retries, spec.recovery.queue, spec.recovery.reviewer) == (3, "dead-letter queue",
                                                                                   "Finance Analyst")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Workday: mTLS client certificate. Okta: API key. Workday -> Okta nightly at 02:00.",
         [("Workday", "mtls"), ("Okta", "api_key")]),
        ("Use an API token for Okta and mutual TLS for Workday; push workers from Workday to Okta.",
         [("Workday", "mtls"), ("Okta", "api_key")]),
    ],
)
def test_auth_pairs_with_its_system_whichever_comes_first(text: str, expected: list[tuple[str, str]]) -> None:
    spec = read_integration(text)
    assert spec is not None
    assert sorted((a.system, a.method) for a in spec.auth) == sorted(expected)


@pytest.mark.parametrize(
    "text",
    [
        "The support agent checks the order in Salesforce and emails the customer.",
        "Managers approve expenses over $500 and finance pays them.",
        "",
    ],
)
def test_text_without_an_integration_reads_as_none(text: str) -> None:
    assert read_integration(text) is None


@pytest.mark.parametrize(
    ("sentence", "mapping"),
    [
        ("Map Account.Name to customer.companyName", True),
        ("Worker_ID -> employeeNumber, Email_Address -> login (lowercase)", True),
        ("order.total_price to TotalAmt", True),
        ("Account.Name maps to companyName", True),
        ("Map out the approval chain with the finance team", False),
        ("Sync Salesforce opportunities to NetSuite", False),
        ("Send the invoice to the customer", False),
    ],
)
def test_mapping_sentences_are_told_apart_from_steps(sentence: str, mapping: bool) -> None:
    assert is_mapping_sentence(sentence) is mapping


def test_a_stated_transformation_wins_over_the_field_names() -> None:
    rows = mapping_rows("Map Email_Address to login in lowercase and Legal_Name to displayName")
    assert [(r.source, r.target, r.transformation) for r in rows] == [
        ("Email_Address", "login", "lowercase"), ("Legal_Name", "displayName", "trim")]


@pytest.mark.parametrize(
    ("source", "target", "kind"),
    [("CloseDate", "tranDate", "date"), ("order.total_price", "TotalAmt", "decimal"),
     ("customer.email", "BillEmail", "lowercase"), ("Worker_ID", "employeeNumber", "string"),
     ("Opportunity.StageName", "status", "value_map"), ("Notes", "memo", "copy")],
)
def test_field_names_imply_the_transformation(source: str, target: str, kind: str) -> None:
    assert transformation_for(source, target) == kind
