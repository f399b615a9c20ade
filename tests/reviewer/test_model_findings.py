"""The reviewer checks the process model: graph, performers, step names, stock actions, four eyes — and scores them."""

from __future__ import annotations

import pytest

from process_designer.agents.reviewer import review_document
from process_designer.agents.reviewer.model_checks import DEDUCTIONS, review_model
from process_designer.domain.flow import FlowBuilder, ProcessFlow
from process_designer.domain.models import Overview, ProcessDocument, Step
from tests.graph_documents import claim, purchase

_ACTIONS = {
    "Submit purchase request": ["Fill in the request form in the ERP with the amount and the vendor",
                                "Attach the vendor's quote to the request"],
    "Approve purchase request": ["Compare the amount with the approved budget line",
                                "Record the approval with its reason on the request"],
    "Order from vendor": ["Raise the purchase order in the ERP for the approved amount",
                          "Send the purchase order to the vendor by e-mail"],
}


def _step(number: int, name: str, role: str, actions: list[str] | None = None, **extra: object) -> Step:
    return Step(number=number, name=name, objective=f"{name} correctly.", responsible=role, duration="1 hour",
                actions=actions or _ACTIONS.get(name, [f"{name} in the ERP", f"Note the result of step {number}"]),
                validation=[f"{name} recorded"], **extra)  # type: ignore[arg-type]


def _document(steps: list[Step], flow: ProcessFlow | None = None, prerequisites: list[str] | None = None) -> ProcessDocument:
    return ProcessDocument(title="Purchase Requests",
                           overview=Overview(purpose="Buy what teams need.", scope="Every purchase request.",
                                             owner="Procurement", last_updated="2026-03-02"),
                           prerequisites=prerequisites or ["ERP access"], steps=steps, flow=flow or ProcessFlow())


def _sound() -> list[Step]:
    return [_step(1, "Submit purchase request", "Requester"), _step(2, "Approve purchase request", "Team Lead"),
            _step(3, "Order from vendor", "Procurement Specialist")]


def _codes(document: ProcessDocument) -> list[tuple[str, int | None]]:
    return [(issue.code, issue.step) for issue in review_model(document).issues]


def test_a_sound_model_has_no_findings_and_full_soundness() -> None:
    review = review_model(_document(_sound()))
    assert review.issues == []
    assert review.soundness == 1.0


def test_assumed_performers_are_findings_on_their_steps() -> None:
    steps = _sound()
    steps[2] = steps[2].model_copy(update={"performer_source": "assumed"})
    review = review_model(_document(steps))
    assert [(i.code, i.step, i.node) for i in review.issues] == [("assumed_performer", 3, "step_3")]
    assert "'Procurement Specialist' is assumed" in review.issues[0].text
    assert review.soundness == pytest.approx(1 - DEDUCTIONS["assumed_performer"] / 3)


def test_fragment_names_say_why() -> None:
    steps = [_step(1, "Claim officer", "Claims Officer"), _step(2, "Immediately", "Claims Officer"),
             _step(3, "Examine claim", "Claims Officer"), _step(4, "Confirm the by senior claims officer", "Manager")]
    issues = review_model(_document(steps)).issues
    assert [(i.code, i.step) for i in issues] == [("fragment_name", 1), ("fragment_name", 2), ("fragment_name", 4)]
    assert "names the performer" in issues[0].text
    assert "does not start with a verb" in issues[1].text
    assert "breaks off mid-phrase" in issues[2].text


def test_stock_actions_repeated_or_generic_are_findings() -> None:
    repeated = [_step(n, name, "Clerk", [f"{name} in the ERP", "Record the outcome"]) for n, name in
                enumerate(["Register claim", "Check policy", "Pay claim"], start=1)]
    assert _codes(_document(repeated)) == [("stock_action", 1), ("stock_action", 2), ("stock_action", 3)]
    generic = _sound()
    generic[1] = generic[1].model_copy(update={"actions": ["Approve the request in the ERP",
                                                           "Check the result for completeness and accuracy"]})
    assert _codes(_document(generic)) == [("stock_action", 2)]


def test_graph_problems_are_errors_on_their_nodes() -> None:
    builder = FlowBuilder()
    builder.connect("start", builder.task(1, "Submit purchase request"))
    gate = builder.exclusive("Amount over 10,000?")
    builder.connect("step_1", gate)
    builder.connect(gate, builder.task(2, "Approve purchase request"), condition="amount over 10,000")
    builder.connect("step_2", builder.task(3, "Order from vendor"))
    builder.connect("step_3", builder.end())
    issues = review_model(_document(_sound(), builder.build())).issues
    assert [(i.code, i.node, i.severity) for i in issues] == [("gateway_branches", "decision_1", "error")]
    assert "Process flow:" in issues[0].text


def test_a_loop_without_exit_and_a_dead_end_are_found() -> None:
    builder = FlowBuilder()
    builder.connect("start", builder.task(1, "Submit purchase request"))
    builder.connect("step_1", builder.task(2, "Approve purchase request"))
    builder.connect("step_2", "step_1")  # back for ever
    builder.task(3, "Order from vendor")
    builder.connect("start", "step_3")
    builder.end()
    codes = {(i.code, i.step) for i in review_model(_document(_sound(), builder.build())).issues}
    assert {("loop_without_exit", 1), ("loop_without_exit", 2), ("dead_end", 3)} <= codes


def test_four_eyes_is_checked_only_where_the_document_asks_for_it() -> None:
    steps = [_step(1, "Submit purchase request", "Team Lead"), _step(2, "Approve purchase request", "Team Lead"),
             _step(3, "Order from vendor", "Procurement Specialist")]
    assert _codes(_document(steps)) == []
    asked = _document(steps, prerequisites=["Four-eyes principle: nobody approves their own request"])
    issues = review_model(asked).issues
    assert [(i.code, i.step, i.severity) for i in issues] == [("four_eyes", 2, "error")]
    assert "Step 1 (Submit purchase request)" in issues[0].text
    fixed = [*steps[:1], steps[1].model_copy(update={"responsible": "Finance Manager"}), steps[2]]
    assert _codes(_document(fixed, prerequisites=["Four-eyes principle applies"])) == []


def test_the_score_falls_with_defects_and_carries_typed_findings() -> None:
    sound = review_document(_document(_sound()))
    steps = [_step(1, "Claim officer", "Claims Officer", performer_source="assumed"),
             _step(2, "Immediately", "Claims Officer", performer_source="assumed"), _step(3, "Order from vendor", "Clerk")]
    poor = review_document(_document(steps))
    assert poor.score < sound.score - 0.2
    assert poor.soundness < 1 - DEDUCTIONS["fragment_name"] * 2 / 3
    assert {i.code for i in poor.issues} == {"fragment_name", "assumed_performer"}
    assert all(i.text in poor.findings for i in poor.issues)  # the texts stay in the string contract


def test_dismissed_model_findings_weigh_less_and_are_listed_last() -> None:
    steps = _sound()
    steps[0] = steps[0].model_copy(update={"performer_source": "assumed"})
    document = _document(steps)
    plain = review_document(document)
    from process_designer.feedback.profile import finding_key
    waived = review_document(document, dismissed={finding_key(plain.issues[0].text)})
    assert waived.soundness > plain.soundness
    assert waived.findings[-1].endswith("(dismissed before)")


def test_graph_fixtures_with_stock_actions_score_lower_than_without() -> None:
    document = purchase()
    specific = document.model_copy(update={"steps": [s.model_copy(update={"actions": [s.actions[0], f"Log {s.name.lower()}"]})
                                                     for s in document.steps]})
    assert {i.code for i in review_model(document).issues} == {"stock_action"}
    assert review_model(specific).issues == []
    assert review_model(claim()).soundness < 1.0
