"""Mermaid export: drawn from the process graph — lanes, decisions with their conditions, parallel work, loops."""

from __future__ import annotations

from process_designer.domain.flow import FlowBuilder, Rule
from process_designer.domain.models import Decision, Overview, ProcessDocument
from process_designer.maps.mermaid import to_mermaid
from tests.graph_documents import claim
from tests.maps.conftest import make_step

OVERVIEW = Overview(purpose="p", scope="s", owner="o", last_updated="d")


def refund_document() -> ProcessDocument:
    """1 receive → older than 30 days ? 2 reject → end "Request rejected" : 3 approve → 4 pay."""
    b = FlowBuilder()
    end = b.end()
    b.connect("start", b.task(1, "Receive request", "Agent"))
    age = b.exclusive('Order older than "30" days?')
    b.connect("step_1", age)
    b.connect(age, b.task(2, "Reject the request", "Agent"), condition="older than 30 days",
              rules=[Rule(subject="order_age_days", operator=">", value=30)])
    b.connect(age, b.task(3, "Approve refund", "Manager"), default=True)
    b.connect("step_2", b.end("Request rejected"))
    b.connect("step_3", b.task(4, "Pay refund", "Finance"))
    b.connect("step_4", end)
    return ProcessDocument(title="Refunds", overview=OVERVIEW, flow=b.build(), error_handling=["Retry the payment"],
                           steps=[make_step(1, "Receive request", "Agent"), make_step(2, "Reject the request", "Agent"),
                                  make_step(3, "Approve refund", "Manager", depends_on=[1]),
                                  make_step(4, "Pay refund", "Finance")])


def test_small_document_exact_flowchart() -> None:
    assert to_mermaid(refund_document()) == """flowchart TD
    subgraph lane_1["Agent"]
        start_event(["Start"])
        step_1["1. Receive request"]
        decision_1{"Order older than #quot;30#quot; days?"}
        step_2["2. Reject the request"]
        end_event_1(["Request rejected"])
    end
    subgraph lane_2["Manager"]
        step_3["3. Approve refund"]
    end
    subgraph lane_3["Finance"]
        step_4["4. Pay refund"]
        end_event(["End"])
    end
    start_event --> step_1
    step_1 --> decision_1
    decision_1 -->|older than 30 days| step_2
    decision_1 -->|otherwise| step_3
    step_2 --> end_event_1
    step_3 --> step_4
    step_4 --> end_event
    errors[/"Error handling: Retry the payment"/]
    failed(["Failed"])
    step_1 -.->|error| errors
    step_2 -.->|error| errors
    step_3 -.->|error| errors
    step_4 -.->|error| errors
    errors --> failed
    classDef decision fill:#fff4d6,stroke:#b7791f
    classDef parallel fill:#e6f0ff,stroke:#2b6cb0
    classDef error fill:#fde2e1,stroke:#c53030
    class decision_1 decision
    class errors,failed error
"""


def test_a_rejection_branch_ends_the_case_and_never_reaches_the_approval() -> None:
    edges = [line.strip() for line in to_mermaid(refund_document()).splitlines() if "-->" in line]
    assert [e for e in edges if e.startswith("step_2 ")] == ["step_2 --> end_event_1"]
    assert not any(e.endswith("step_3") and "older than" in e for e in edges)


def test_parallel_work_splits_and_joins(expense_document: ProcessDocument) -> None:
    text = to_mermaid(expense_document)
    edges = [line.strip() for line in text.splitlines() if "-->" in line and "-.->" not in line]
    assert edges == [
        "start_event --> step_1",
        "step_1 --> step_2",
        "step_2 --> decision_1",
        "decision_1 -->|receipts missing| end_event_1",
        "decision_1 -->|otherwise| parallel_1",
        "parallel_1 --> decision_2",
        "parallel_1 --> step_4",
        "decision_2 -->|amount over 250 USD| step_3",
        "decision_2 -->|otherwise| parallel_2",
        "step_3 --> parallel_2",
        "step_4 --> parallel_2",
        "parallel_2 --> step_5",
        "step_5 --> end_event",
        "errors --> failed",
    ]
    assert '        parallel_1{{"in parallel"}}' in text.splitlines()
    assert '        parallel_2{{"all done"}}' in text.splitlines()


def test_a_loop_is_a_dashed_edge_back() -> None:
    text = to_mermaid(claim())
    assert "    decision_1 -.->|marked Not OK, again| step_2" in text.splitlines()
    assert "    decision_1 -->|otherwise| step_4" in text.splitlines()


def test_step_decisions_of_a_flowless_document_draw_no_branches() -> None:
    decision = Decision(text="If the amount is over 500", subject="amount", operator=">", value=500,
                        if_true="reject the request", if_false="continue")
    document = ProcessDocument(title="Old", overview=OVERVIEW, steps=[
        make_step(1, "Receive request", "Agent"), make_step(2, "Check amount", "Agent").model_copy(
            update={"decisions": [decision]}), make_step(3, "Approve refund", "Manager")])
    edges = [line.strip() for line in to_mermaid(document).splitlines() if "-->" in line]
    assert edges == ["start_event --> step_1", "step_1 --> step_2", "step_2 --> step_3", "step_3 --> end_event"]
