"""Mermaid export: the exact flowchart of a small document, and of the shared expense process's shape."""

from __future__ import annotations

from process_designer.domain.models import Decision, Overview, ProcessDocument
from process_designer.maps.mermaid import to_mermaid
from tests.maps.conftest import make_step


def test_small_document_exact_flowchart() -> None:
    check = Decision(text='If the "amount" is over 500', subject="amount", operator=">", value=500,
                     if_true="route to the Manager", if_false="continue")
    document = ProcessDocument(
        title="Refunds", overview=Overview(purpose="p", scope="s", owner="o", last_updated="d"),
        steps=[make_step(1, "Receive request", "Agent"), make_step(2, "Check amount", "Agent", decisions=[check]),
               make_step(3, "Pay refund", "Finance")],
        error_handling=["Retry the payment twice"])
    assert to_mermaid(document) == """flowchart TD
    start_event(["Start"])
    step_1["1. Receive request<br/>Agent"]
    step_2["2. Check amount<br/>Agent"]
    decision_2_1{"If the #quot;amount#quot; is over 500"}
    step_3["3. Pay refund<br/>Finance"]
    end_event(["End"])
    start_event --> step_1
    step_1 --> step_2
    step_2 --> decision_2_1
    decision_2_1 -->|yes: route to the Manager| step_3
    decision_2_1 -->|no: continue| step_3
    step_3 --> end_event
    errors[/"Error handling: Retry the payment twice"/]
    failed(["Failed"])
    step_1 -.->|error| errors
    step_2 -.->|error| errors
    step_3 -.->|error| errors
    errors --> failed
    classDef decision fill:#fff4d6,stroke:#b7791f
    classDef error fill:#fde2e1,stroke:#c53030
    class decision_2_1 decision
    class errors,failed error
"""


def test_parallel_steps_fork_and_join(expense_document: ProcessDocument) -> None:
    text = to_mermaid(expense_document)
    edges = [line.strip() for line in text.splitlines() if "-->" in line and "-.->" not in line]
    assert edges == [
        "start_event --> step_1",
        "step_1 --> step_2",
        "step_2 --> decision_2_1",
        "decision_2_1 -->|yes: reject the claim| fork_2",
        "decision_2_1 -->|no: continue| fork_2",
        "fork_2 --> step_3",
        "fork_2 --> step_4",
        "step_3 --> decision_3_1",
        "decision_3_1 -->|yes: route to the Manager for approval| join_5",
        "decision_3_1 -->|no: approve automatically and continue| join_5",
        "step_4 --> join_5",
        "join_5 --> step_5",
        "step_5 --> end_event",
        "errors --> failed",
    ]
    assert '    fork_2(("fork"))' in text.splitlines()
    assert '    join_5(("join"))' in text.splitlines()
