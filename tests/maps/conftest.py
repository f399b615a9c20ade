"""A hand-built expense process with two decisions and one parallel branch, shared by the map tests."""

from __future__ import annotations

import pytest

from process_designer.domain.models import Decision, Overview, ProcessDocument, Step


def make_step(number: int, name: str, role: str, *, depends_on: list[int] | None = None,
              decisions: list[Decision] | None = None, code: str = "", duration: str = "15 minutes",
              validation: list[str] | None = None, systems: list[str] | None = None) -> Step:
    return Step(number=number, name=name, objective=f"{name} for the claim", responsible=role, duration=duration,
                actions=[f"{name} in the expense tool", "Record the outcome"],
                validation=validation if validation is not None else [f"{name} is recorded"],
                code=code, depends_on=depends_on if depends_on is not None else ([number - 1] if number > 1 else []),
                decisions=decisions or [], systems=systems or [])


AMOUNT = Decision(text="If the amount is over 250 USD", subject="amount", operator=">", value=250, unit="USD",
                  if_true="route to the Manager for approval", if_false="approve automatically and continue")
RECEIPTS = Decision(text="If the receipts are missing", subject="receipts_missing", operator="is", value=True,
                    if_true="reject the claim", if_false="continue")


def build_expense_document() -> ProcessDocument:
    """Submit → check receipts → (manager approval ∥ audit sample) → reimburse."""
    steps = [
        make_step(1, "Submit claim", "Employee", code="define SubmitClaim {\n  execute(claim) {\n    return claim\n  }\n}"),
        make_step(2, "Check receipts", "Finance Clerk", decisions=[RECEIPTS], systems=["erp"]),
        make_step(3, "Manager approval", "Manager", decisions=[AMOUNT], duration="1 business day"),
        make_step(4, "Audit sample", "Auditor", depends_on=[2], duration="2 hours"),
        make_step(5, "Reimburse employee", "Finance Clerk", depends_on=[3, 4], systems=["payroll"]),
    ]
    return ProcessDocument(
        title="Expense Claims", overview=Overview(purpose="Reimburse approved expenses", scope="All employees",
                                                 owner="Finance", last_updated="2026-03-02"),
        prerequisites=["Expense tool access"], steps=steps, error_handling=["Notify finance when payroll fails"],
        monitoring=["Claims reimbursed within 5 days"], related_documents=["Travel policy"])


@pytest.fixture
def expense_document() -> ProcessDocument:
    return build_expense_document()
