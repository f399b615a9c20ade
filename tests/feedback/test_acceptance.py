"""Issue 13's acceptance: a tenant's ratings re-rank its templates and leave other tenants alone."""

from __future__ import annotations

from process_designer.designer import Designer
from process_designer.server.auth import Principal, acting_as

EMPLOYEE = "Onboard a new employee: create accounts, ship a laptop, manager approval"
CUSTOMER = "Onboard a new customer with CRM and billing"


def _design(designer: Designer, thread_id: str, text: str) -> list[str]:
    final = designer.run_turn(thread_id, text)[-1]
    assert final.document is not None, final.content
    return final.document.templates_used


def test_rejected_twice_and_another_accepted_is_preferred_for_that_tenant_only(feedback_designer: Designer) -> None:
    acting_as(Principal(subject="ana", tenant="acme"))
    assert _design(feedback_designer, "acme-1", EMPLOYEE) == ["employee-onboarding"]
    feedback_designer.run_turn("acme-1", "feedback: down not how we onboard", role="SYSTEM")
    assert _design(feedback_designer, "acme-2", EMPLOYEE) == ["employee-onboarding"]
    assert feedback_designer.rate("acme-2", "down", "still wrong").number == 1
    assert _design(feedback_designer, "acme-3", CUSTOMER) == ["customer-onboarding"]
    reply = feedback_designer.run_turn("acme-3", "feedback: up", role="SYSTEM")[-1].content
    assert reply == "Thanks: version 1 rated up; templates accepted: customer-onboarding."

    profile = feedback_designer.feedback.profile("acme")
    assert profile.ratings == {"up": 1, "down": 2}
    assert {k: (v.accepted, v.rejected) for k, v in profile.templates.items()} == {
        "employee-onboarding": (0, 2), "customer-onboarding": (1, 0)}

    assert _design(feedback_designer, "acme-4", EMPLOYEE) == ["customer-onboarding"]

    acting_as(Principal(subject="bo", tenant="globex"))
    assert _design(feedback_designer, "globex-1", EMPLOYEE) == ["employee-onboarding"]
    assert feedback_designer.feedback.profile("globex").empty
