"""Optimisation suggestions on hand-built processes: each rule, its limits, its effect, and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from process_designer.cli.main import main
from process_designer.domain.flow import FlowBuilder, ProcessFlow, Rule
from process_designer.domain.models import (
    DesignContext,
    IntegrationSpec,
    Overview,
    ProcessDocument,
    Step,
)
from process_designer.maps.optimise import describe, suggest
from tests.graph_documents import onboarding
from tests.maps.conftest import build_expense_document, make_step

OVERVIEW = Overview(purpose="Refund customers", scope="Web shop", owner="Finance", last_updated="2026-03-02")


def sequence(steps: list[Step], decide_after: int | None = None) -> ProcessFlow:
    """The steps one after the other; ``decide_after`` leads into "Approved?", whose "no" ends the case."""
    b = FlowBuilder()
    end = b.end()
    previous = "start"
    for step in steps:
        node = b.task(step.number, step.name, step.responsible)
        b.connect(previous, node)
        previous = node
        if step.number == decide_after:
            gate = b.exclusive("Approved?")
            b.connect(node, gate)
            b.connect(gate, b.end("Refused"), condition="refused", rules=[Rule(subject="approved", value=False)])
            previous = gate
    b.connect(previous, end)
    flow = b.build()
    return ProcessFlow(nodes=flow.nodes, edges=[e.model_copy(update={"default": True}) if e.source == "decision_1"
                                                and e.target != "end_1" else e for e in flow.edges])


def refunds(integrations: list[str] | None = None, steps: list[Step] | None = None,
            decide_after: int = 4) -> ProcessDocument:
    steps = steps or [
        make_step(1, "Receive refund request", "Support Agent", systems=["crm"], duration="10 minutes"),
        make_step(2, "Check order", "Support Agent", systems=["crm"], duration="20 minutes"),
        make_step(3, "Verify payment", "Finance Clerk", systems=["billing"], duration="30 minutes"),
        make_step(4, "Approve refund", "Manager", duration="1 hour"),
        make_step(5, "Issue refund", "Finance Clerk", systems=["billing"], duration="15 minutes"),
        make_step(6, "Notify customer", "Support Agent", systems=["email"], duration="10 minutes"),
        make_step(7, "Update ticket", "Finance Clerk", systems=["crm"], duration="5 minutes"),
        make_step(8, "Close ticket", "Support Agent", systems=["crm"], duration="5 minutes"),
    ]
    return ProcessDocument(title="Refunds", overview=OVERVIEW, steps=steps, flow=sequence(steps, decide_after),
                           context=DesignContext(integrations=integrations or []))


def effects(document: ProcessDocument) -> list[tuple[str, list[int], float, float, float, float, int, int]]:
    return [(o.kind, o.steps, o.total_minutes_before, o.total_minutes_after, o.critical_path_minutes_before,
             o.critical_path_minutes_after, o.handoffs_before, o.handoffs_after) for o in suggest(document)]


def test_parallel_steps_and_ping_pong_handoffs_with_their_effect() -> None:
    assert effects(refunds()) == [
        ("parallelise", [2, 3], 155.0, 155.0, 155.0, 135.0, 6, 7),  # step 4 now waits for both checks
        ("parallelise", [6, 7], 155.0, 155.0, 155.0, 145.0, 6, 5),
        ("handoff", [5, 6, 7], 155.0, 155.0, 155.0, 155.0, 6, 4),
        ("handoff", [6, 7, 8], 155.0, 155.0, 155.0, 155.0, 6, 4),
    ]


def test_manual_steps_on_declared_integrations_are_automated() -> None:
    assert effects(refunds(["billing", "email"]))[4:] == [
        ("automate", [3], 155.0, 126.0, 155.0, 126.0, 6, 6),
        ("automate", [5], 155.0, 141.0, 155.0, 141.0, 6, 6),
        ("automate", [6], 155.0, 146.0, 155.0, 146.0, 6, 6),
    ]
    spec = IntegrationSpec(systems=["Billing"], data_flow="refunds", frequency="on demand")
    document = refunds().model_copy(update={"integration": spec})
    assert [(o.kind, o.steps) for o in suggest(document) if o.kind == "automate"] == [("automate", [3]),
                                                                                     ("automate", [5])]


def test_rules_stay_conservative() -> None:
    steps = refunds().steps
    steps[5] = steps[5].model_copy(update={"name": "Issue credit note"})  # no longer a notification
    steps[6] = steps[6].model_copy(update={"name": "Review ticket"})  # a review in the middle is on purpose
    steps[2] = steps[2].model_copy(update={"responsible": "Billing Service"})  # already automated
    # a decision on the first check gates the second
    document = refunds(["billing", "crm", "email"], steps, decide_after=2)
    assert [(o.kind, o.steps) for o in suggest(document)] == [
        ("handoff", [5, 6, 7]), ("handoff", [7, 8]),  # review and close share the CRM
        ("automate", [1]), ("automate", [2]), ("automate", [5]), ("automate", [6]), ("automate", [8])]
    # the approval (step 4) has no systems and the review (step 7) needs a person: neither is automated


def test_hands_on_work_is_never_automated() -> None:
    steps = [make_step(1, "Receive goods", "Warehouse Operator", systems=["warehouse"], duration="30 minutes"),
             make_step(2, "Put the pallets away", "Warehouse Operator", systems=["warehouse"], duration="1 hour"),
             make_step(3, "Hold handover meeting", "Shift Lead", systems=["calendar"], duration="30 minutes"),
             make_step(4, "Inspect the goods on site", "Quality Inspector", systems=["warehouse"]),
             make_step(5, "Update stock levels", "Warehouse Operator", systems=["warehouse"], duration="10 minutes")]
    document = ProcessDocument(title="Goods In", overview=OVERVIEW, steps=steps,
                               context=DesignContext(integrations=["warehouse", "calendar"]))
    assert [(o.kind, o.steps) for o in suggest(document) if o.kind == "automate"] == [("automate", [1]),
                                                                                     ("automate", [5])]


def test_a_parallel_suggestion_is_measured_on_the_graph_with_calendar_waits_honest() -> None:
    steps = [make_step(1, "Sign contract", "HR Partner", systems=["hris"], duration="30 minutes"),
             make_step(2, "Email welcome pack", "HR Partner", systems=["email"], duration="15 minutes"),
             make_step(3, "Wait for background check", "HR Partner", duration="14 days"),
             make_step(4, "Set up laptop", "IT Administrator", duration="30 minutes")]
    document = ProcessDocument(title="Start", overview=OVERVIEW, steps=steps)
    [aside] = [o for o in suggest(document) if o.kind == "parallelise"]
    assert aside.steps == [2, 3]
    # 14 calendar days are the 10 business days (4,800 working minutes) that pass meanwhile, not 14 × 24 hours
    assert (aside.critical_path_minutes_before, aside.critical_path_minutes_after) == (4875.0, 4860.0)
    assert onboarding().effective_flow().problems() == []


def test_consecutive_roles_on_the_same_system_merge() -> None:
    steps = [make_step(1, "Enter invoice", "Clerk", systems=["erp"], duration="20 minutes"),
             make_step(2, "Code invoice", "Accountant", systems=["erp"], duration="10 minutes"),
             make_step(3, "Pay invoice", "Treasurer", systems=["bank"], duration="5 minutes")]
    document = ProcessDocument(title="Invoices", overview=OVERVIEW, steps=steps)
    [merge] = suggest(document)
    assert (merge.kind, merge.steps, merge.total_minutes_after, merge.critical_path_minutes_after,
            merge.handoffs_before, merge.handoffs_after) == ("handoff", [1, 2], 35.0, 35.0, 2, 1)
    assert describe(merge) == (
        "Merge step 2 'Code invoice' into step 1 'Enter invoice', done by Clerk — consecutive steps on the same "
        "systems (erp) by Clerk and Accountant. Critical path 35 minutes (unchanged); total 35 minutes "
        "(unchanged); hand-offs 2 → 1")


def test_no_suggestions_for_the_expense_process() -> None:
    assert suggest(build_expense_document()) == []  # its decisions and parallel branch leave no plain sequence
    assert suggest(ProcessDocument(title="Empty", overview=OVERVIEW, steps=list[Step]())) == []


def test_optimise_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "refunds.json"
    path.write_text(json.dumps(refunds(["billing"]).to_json()), encoding="utf-8")
    assert main(["optimise", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Optimisations: Refunds"
    assert lines[1] == ("  - Run step 2 'Check order' and step 3 'Verify payment' at the same time — independent "
                        "checks on different systems (crm and billing). Critical path 2 h 35 min → 2 h 15 min "
                        "(-20 minutes); total 2 h 35 min (unchanged); hand-offs 6 → 7")
    assert lines[-1] == ("  - Automate step 5 'Issue refund' through the billing integration — Finance Clerk does "
                         "it by hand in a system the process already has a connector for. Critical path 2 h 35 min "
                         "→ 2 h 21 min (-14 minutes); total 2 h 35 min → 2 h 21 min (-14 minutes); hand-offs 6 → 6")
    assert len(lines) == 7
    assert main(["optimise", str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(o["kind"], o["steps"]) for o in data] == [
        ("parallelise", [2, 3]), ("parallelise", [6, 7]), ("handoff", [5, 6, 7]), ("handoff", [6, 7, 8]),
        ("automate", [3]), ("automate", [5])]


def test_optimise_command_on_a_process_without_suggestions(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "expense.json"
    path.write_text(json.dumps(build_expense_document().to_json()), encoding="utf-8")
    assert main(["optimise", str(path)]) == 0
    assert capsys.readouterr().out == "Expense Claims: no optimisations found\n"
    assert main(["optimise", str(tmp_path / "missing.json")]) == 1
    assert capsys.readouterr().err.strip().endswith("missing.json: no such file")


def test_hands_on_work_is_not_handed_to_another_role() -> None:
    steps = [make_step(1, "Record goods receipt", "Stock Clerk", systems=["warehouse"], duration="10 minutes"),
             make_step(2, "Put the pallets away", "Warehouse Operator", systems=["warehouse"], duration="1 hour"),
             make_step(3, "Update stock levels", "Stock Clerk", systems=["warehouse"], duration="10 minutes"),
             make_step(4, "Hold handover meeting", "Shift Lead", systems=["warehouse"], duration="30 minutes")]
    document = ProcessDocument(title="Goods In", overview=OVERVIEW, steps=steps)
    assert [(o.kind, o.steps) for o in suggest(document) if o.kind == "handoff"] == []
    desk_work = [steps[0], make_step(2, "Book the delivery slot", "Warehouse Operator", systems=["warehouse"]),
                 steps[2]]
    assert [(o.kind, o.steps) for o in suggest(document.model_copy(update={"steps": desk_work}))
            if o.kind == "handoff"] == [("handoff", [1, 2, 3])]
