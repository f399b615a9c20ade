"""The writer draws the document from the process model: flow, performers, overview, error handling, actions."""

from __future__ import annotations

import pytest

from process_designer.agents.reviewer.model_checks import stock_findings
from process_designer.agents.writer import apply_edit, compose_document, revise_document
from process_designer.domain.flow import FlowBuilder, Rule
from process_designer.domain.markdown import render_markdown
from process_designer.domain.models import ProcessDocument, Requirement, RequirementStep

_TEXT = ("Purchase requests: the requester submits a purchase request in the ERP. If the amount is over 10000 the CFO "
         "approves, otherwise the team lead approves; procurement then orders from the vendor and, in parallel, "
         "finance reserves the budget. Four eyes: nobody approves their own request.")


def purchase_requirement() -> Requirement:
    """1 submit → amount > 10,000 ? 2 CFO : 3 team lead → approved ? (5 order ∥ 6 budget → goods ordered) : 4 reject."""
    b = FlowBuilder()
    b.connect("start", b.task(1, "Submit purchase request", "Requester"))
    amount = b.exclusive("Amount over 10,000?")
    b.connect("step_1", amount)
    b.connect(amount, b.task(2, "Approve request", "CFO"), condition="amount over 10,000",
              rules=[Rule(subject="amount", operator=">", value=10000)])
    b.connect(amount, b.task(3, "Approve team request", "Team Lead"), default=True)
    approved = b.exclusive("Approved?")
    b.connect("step_2", approved)
    b.connect("step_3", approved)
    split, join = b.parallel(), b.parallel()
    b.connect(approved, split, condition="approved", rules=[Rule(subject="approved", value=True)])
    b.connect(approved, b.task(4, "Reject request"), default=True)
    b.connect("step_4", b.end("Request rejected"))
    b.connect(split, b.task(5, "Order goods from vendor", "Procurement Specialist"))
    b.connect(split, b.task(6, "Reserve budget", "Finance Analyst"))
    b.connect("step_5", join)
    b.connect("step_6", join)
    b.connect(join, b.end("Goods ordered"))
    steps = [
        RequirementStep(name="Submit purchase request", description="The requester submits a purchase request in "
                        "the ERP", actor="Requester", systems=["erp"]),
        RequirementStep(name="Approve request", description="the CFO approves", actor="CFO"),
        RequirementStep(name="Approve team request", description="otherwise the team lead approves", actor="Team Lead"),
        RequirementStep(name="Reject request", description="the request is rejected"),
        RequirementStep(name="Order goods from vendor", description="procurement then orders from the vendor and",
                        actor="Procurement Specialist"),
        RequirementStep(name="Reserve budget", description="finance reserves the budget", actor="Finance Analyst"),
    ]
    return Requirement(text=_TEXT, title="Purchase Requests", steps=steps, flow=b.build(), systems=["erp"],
                       open_questions=["What happens to a request nobody decides within a week?"])


@pytest.fixture(scope="module")
def document() -> ProcessDocument:
    return compose_document(purchase_requirement())


def test_the_document_carries_the_graph_performer_sources_and_open_questions(document: ProcessDocument) -> None:
    requirement = purchase_requirement()
    assert [(e.source, e.target, e.condition) for e in document.flow.edges] == \
        [(e.source, e.target, e.condition) for e in requirement.flow.edges]
    assert document.flow.task(4).performer == document.steps[3].responsible  # type: ignore[union-attr]
    assert [s.performer_source for s in document.steps] == ["stated"] * 3 + ["assumed"] + ["stated"] * 2
    assert [s.depends_on for s in document.steps] == [[], [1], [1], [2, 3], [2, 3], [2, 3]]
    assert document.open_questions == [
        "What happens to a request nobody decides within a week?",
        f"Who does Step 4 (Reject request)? The requirements name no one; the document assumes the "
        f"{document.steps[3].responsible}."]
    markdown = render_markdown(document)
    assert f"**Responsible**: {document.steps[3].responsible} (assumed)" in markdown
    assert "- otherwise → Step 4 (Reject request)" in markdown


def test_purpose_and_scope_come_from_the_model_not_the_first_and_last_step(document: ProcessDocument) -> None:
    assert document.overview.purpose == (
        "Take each case of purchase requests from 'Submit purchase request' to one of its 2 outcomes (request "
        "rejected or goods ordered), deciding 'Amount over 10,000?' and 'Approved?' on the case's recorded data")
    scope = document.overview.scope
    assert scope.startswith("Included: 6 steps by Requester, CFO, Team Lead and 2 more roles, from 'Submit purchase "
                            "request' to request rejected or goods ordered; 2 decisions; Steps 5 and 6 run in parallel.")
    assert "Reserve budget" not in scope


def test_error_handling_follows_the_branches_hand_overs_and_missing_data(document: ProcessDocument) -> None:
    lines = document.error_handling
    assert "'Approved?' → otherwise (Step 2): Step 4 (Reject request) ends the case (request rejected); tell the " \
           "requester the reason and record it on the case" in lines
    assert "Data for the decision 'Amount over 10,000?' (Step 1) missing or invalid: stop before deciding and have " \
           "the Requester record the amount" in lines
    assert any(line.startswith("Hand-over to another role (Steps 2, 3, 4, 5, 6)") for line in lines)
    assert any(line.startswith("Incomplete input at 'Submit purchase request' (Step 1)") for line in lines)
    assert "Four-eyes principle: nobody approves work they did themselves" in document.prerequisites
    assert "An approved policy that defines the rule for 'Amount over 10,000?' (amount > 10000)" in document.prerequisites


def test_actions_are_written_from_the_step_and_what_follows_it(document: ProcessDocument) -> None:
    submit, cfo, _lead, _reject, order, _budget = document.steps
    assert submit.actions[:3] == ["The requester submits a purchase request in the ERP",
                                  "Check that the purchase request has every mandatory field and give it a case reference",
                                  "Record the amount on the case for the decision 'Amount over 10,000?'"]
    assert "Record whether it is approved on the case for the decision 'Approved?'" in cfo.actions
    assert order.actions[0] == "Order goods from vendor"  # the analyst's clause was cut short
    assert not any(a.startswith("If ") for s in document.steps for a in s.actions)  # decisions live in the graph
    assert stock_findings(document) == []
    assert all(a.rstrip(".").split()[-1] not in {"and", "the", "to", "by"} for s in document.steps for a in s.actions)


def test_steps_without_a_known_verb_get_specific_actions_not_filler() -> None:
    names = ["Tidy workshop", "Sharpen tools", "Oil hinges", "Sweep floor"]
    requirement = Requirement(text="Workshop upkeep", title="Workshop Upkeep",
                              steps=[RequirementStep(name=n, description=n, actor="Caretaker") for n in names])
    document = compose_document(requirement)
    assert stock_findings(document) == []
    assert "Check the result for completeness and accuracy" not in render_markdown(document)


def test_monitoring_is_not_duplicated_when_the_document_is_recomposed(document: ProcessDocument) -> None:
    edited = document
    for request in ("rename step 6 to Reserve the budget", "add a step to notify the requester after step 5",
                    "remove step 7"):
        edited = apply_edit(edited, request).document
        assert len(edited.monitoring) == len(set(edited.monitoring))
        assert not any("''" in line or "meet 'time:" in line for line in edited.monitoring)
    revised, _fixed = revise_document(edited.model_copy(update={"monitoring": [*edited.monitoring, "Happy users"]}))
    assert len(revised.monitoring) == len(set(revised.monitoring))


def test_decisions_the_graph_carries_are_not_written_back_into_actions() -> None:
    from process_designer.agents.reviewer import review_document
    from process_designer.domain.models import Decision

    requirement = purchase_requirement()
    decision = Decision(text="preferred vendor", subject="vendor_preferred", operator="==", value=True,
                        if_true="order at once", if_false="ask for two more quotes")
    steps = [*requirement.steps[:4], requirement.steps[4].model_copy(update={"decisions": [decision]}),
             requirement.steps[5]]
    document = compose_document(requirement.model_copy(update={"steps": steps}))
    assert document.steps[4].decisions == [decision]  # kept as data
    assert not any("vendor preferred" in line for line in [*document.steps[4].actions, *document.steps[4].validation])
    assert review_document(document).best_practices == 1.0
    revised, _fixed = revise_document(document)
    assert revised.steps[4].actions == document.steps[4].actions


def test_four_eyes_asked_in_the_text_is_checked_on_the_composed_document() -> None:
    from process_designer.agents.reviewer import review_document

    def design(approver: str) -> ProcessDocument:
        steps = [RequirementStep(name="Prepare payment batch", description="The clerk prepares the payment batch",
                                 actor="Payments Clerk"),
                 RequirementStep(name="Approve payment batch", description="the batch is approved", actor=approver),
                 RequirementStep(name="Release payments", description="the treasurer releases the payments",
                                 actor="Treasurer")]
        return compose_document(Requirement(text="Payment runs follow the four-eyes principle.", title="Payment Run",
                                            steps=steps))

    same = review_document(design("Payments Clerk"))
    assert [(i.code, i.step) for i in same.issues] == [("four_eyes", 2)]
    other = review_document(design("Finance Manager"))
    assert other.issues == [] and other.score > same.score
