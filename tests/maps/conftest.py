"""Shared by the map tests: a hand-built expense process (two decisions, a parallel branch, two ends) and Chromium."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from process_designer.domain.flow import FlowBuilder, ProcessFlow, Rule
from process_designer.domain.models import Overview, ProcessDocument, Step

CHROMIUM = "/usr/bin/chromium"  # Debian's package; scripts/ensure_chromium.sh installs it
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def make_step(number: int, name: str, role: str, *, depends_on: list[int] | None = None, code: str = "",
              duration: str = "15 minutes", validation: list[str] | None = None,
              systems: list[str] | None = None) -> Step:
    return Step(number=number, name=name, objective=f"{name} for the claim", responsible=role, duration=duration,
                actions=[f"{name} in the expense tool", "Record the outcome"],
                validation=validation if validation is not None else [f"{name} is recorded"],
                code=code, depends_on=depends_on if depends_on is not None else ([number - 1] if number > 1 else []),
                systems=systems or [])


def expense_flow() -> ProcessFlow:
    """1 submit → 2 check receipts → missing ? end "Claim rejected" : (amount > 250 ? 3 manager approval : –) ∥ 4 audit
    sample → 5 reimburse."""
    b = FlowBuilder()
    end = b.end()
    b.connect("start", b.task(1, "Submit claim", "Employee"))
    b.connect("step_1", b.task(2, "Check receipts", "Finance Clerk"))
    receipts = b.exclusive("Receipts complete?")
    b.connect("step_2", receipts)
    b.connect(receipts, b.end("Claim rejected"), condition="receipts missing",
              rules=[Rule(subject="receipts_missing", value=True)])
    split, join = b.parallel(), b.parallel()
    b.connect(receipts, split, default=True)
    amount = b.exclusive("Amount over 250 USD?")
    b.connect(split, amount)
    b.connect(split, b.task(4, "Audit sample", "Auditor"))
    b.connect(amount, b.task(3, "Manager approval", "Manager"), condition="amount over 250 USD",
              rules=[Rule(subject="amount", operator=">", value=250, unit="USD")])
    b.connect(amount, join, default=True)
    b.connect("step_3", join)
    b.connect("step_4", join)
    b.connect(join, b.task(5, "Reimburse employee", "Finance Clerk"))
    b.connect("step_5", end)
    return b.build()


def build_expense_document() -> ProcessDocument:
    """The expense claims process with its graph; ``depends_on`` as the graph gives it."""
    flow = expense_flow()
    preds = flow.step_predecessors()
    steps = [
        make_step(1, "Submit claim", "Employee", code="define SubmitClaim {\n  execute(claim) {\n    return claim\n  }\n}"),
        make_step(2, "Check receipts", "Finance Clerk", systems=["erp"]),
        make_step(3, "Manager approval", "Manager", duration="1 business day"),
        make_step(4, "Audit sample", "Auditor", duration="2 hours"),
        make_step(5, "Reimburse employee", "Finance Clerk", systems=["payroll"]),
    ]
    steps = [s.model_copy(update={"depends_on": preds[s.number]}) for s in steps]
    return ProcessDocument(
        title="Expense Claims", overview=Overview(purpose="Reimburse approved expenses", scope="All employees",
                                                 owner="Finance", last_updated="2026-03-02"),
        prerequisites=["Expense tool access"], steps=steps, error_handling=["Notify finance when payroll fails"],
        monitoring=["Claims reimbursed within 5 days"], related_documents=["Travel policy"], flow=flow)


@pytest.fixture
def expense_document() -> ProcessDocument:
    return build_expense_document()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium for the tests that draw what the maps export."""
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=ARGS,
                                                                headless=True)
        assert context.browser is not None
        try:
            yield context.browser
        finally:
            context.close()
