"""The reviewer checks a design against the requirements it was made from; each defect is a finding that lowers
the score, and a design without it gets none."""

from __future__ import annotations

import pytest

from process_designer.agents.reviewer import ReviewSource, review_document, revisable_score
from process_designer.agents.reviewer.grounding import grounding_findings
from process_designer.domain.models import (
    Overview,
    ProcessDocument,
    Requirement,
    RequirementStep,
    Step,
)

_TEXT = ("Staff submit purchase requests in the ERP. The team lead approves the request. "
         "Procurement then orders the goods from the vendor and files the invoice.")


def _step(number: int, name: str, role: str = "Procurement") -> Step:
    return Step(number=number, name=name, objective=f"{name} so the purchase can go ahead.", responsible=role,
                duration="1 hour", actions=[f"{name} in the ERP", f"Record step {number} on the purchase request"],
                validation=[f"{name} is recorded"])


def _document(*names: str) -> ProcessDocument:
    return ProcessDocument(title="Purchase Requests",
                           overview=Overview(purpose="Buy what teams need.", scope="Every purchase request.",
                                             owner="Procurement", last_updated="2026-03-02"),
                           prerequisites=["ERP access"], steps=[_step(n, name) for n, name in enumerate(names, 1)])


def _source(text: str = _TEXT, drafted: tuple[str, ...] = (), *, edited: bool = False) -> ReviewSource:
    steps = [RequirementStep(name=name, description=name, source="template") for name in drafted]
    source = ReviewSource.of(Requirement(text=text, title="Purchase Requests", steps=steps), edited=edited)
    assert source is not None
    return source


_FAITHFUL = ("Submit purchase request", "Approve request", "Order goods", "File invoice")


def _codes(document: ProcessDocument, source: ReviewSource | None) -> list[tuple[str, int | None]]:
    return [(f.code, f.step) for f in grounding_findings(document, source)]


def test_a_design_that_carries_the_text_has_no_grounding_findings() -> None:
    assert _codes(_document(*_FAITHFUL), _source()) == []


def test_without_the_requirements_nothing_is_compared() -> None:
    assert _codes(_document("Calibrate scanner"), None) == []
    assert ReviewSource.of(None) is None


def test_a_step_whose_verb_the_text_never_uses_is_ungrounded() -> None:
    document = _document("Submit purchase request", "Approve request", "Order goods", "Calibrate scanner",
                         "File invoice")
    findings = grounding_findings(document, _source())
    assert [(f.code, f.step) for f in findings] == [("ungrounded_step", 4)]
    assert "never say 'calibrate'" in findings[0].text
    assert review_document(document, source=_source()).score < review_document(
        _document(*_FAITHFUL), source=_source()).score


def test_a_noun_naming_the_doing_grounds_the_verb() -> None:
    text = "Staff submit purchase requests. Approval by the team lead. Procurement orders the goods and files the invoice."
    assert _codes(_document(*_FAITHFUL), _source(text)) == []


def test_a_stated_action_done_to_something_else_is_unsaid() -> None:
    document = _document("Submit purchase request", "Approve request", "Order invoice", "File invoice")
    findings = grounding_findings(document, _source())
    assert [(f.code, f.step) for f in findings] == [("unsaid_action", 3), ("uncovered_action", None)]
    assert "'order' the goods, never the invoice" in findings[0].text
    assert "orders the goods" in findings[1].text  # and ordering the goods is then done by no step


def test_a_pronoun_object_is_not_held_against_the_step() -> None:
    text = "The analyst receives the phishing report. If the email is malicious, the analyst purges it and closes the case."
    document = _document("Receive phishing report", "Purge email", "Close case", "Notify reporter")
    assert ("unsaid_action", 2) not in _codes(document, _source(text))


def test_a_stated_action_no_step_carries_is_uncovered_until_the_user_edits() -> None:
    document = _document("Submit purchase request", "Approve request", "Order goods", "Pay supplier")
    findings = grounding_findings(document, _source())
    uncovered = [f for f in findings if f.code == "uncovered_action"]
    assert [f.text.split("'")[1] for f in uncovered] == ["files the invoice"]
    assert "no step does it" in uncovered[0].text
    assert review_document(document, source=_source()).score < review_document(
        _document(*_FAITHFUL), source=_source()).score
    assert not any(f.code == "uncovered_action" for f in grounding_findings(document, _source(edited=True)))


def test_conditions_are_not_actions_to_cover() -> None:
    text = _TEXT + " If the amount is over 5,000 the finance director approves it as well."
    assert [c for c, _ in _codes(_document(*_FAITHFUL), _source(text))] == []


def test_steps_drafted_from_a_template_are_to_confirm() -> None:
    document = _document(*_FAITHFUL, "Archive purchase order")
    findings = grounding_findings(document, _source(drafted=("Archive purchase order",)))
    assert [(f.code, f.step, f.severity) for f in findings] == [("drafted_step", 5, "info")]
    assert review_document(document, source=_source(drafted=("Archive purchase order",))).score < review_document(
        document, source=_source(_TEXT + " The clerk archives the purchase order.")).score


def test_a_process_of_fewer_than_four_steps_is_thin() -> None:
    text = "Staff submit purchase requests and the team lead approves them; procurement orders the goods."
    thin = _document("Submit purchase request", "Approve purchase request", "Order goods")
    assert _codes(thin, _source(text)) == [("thin_process", None)]
    assert "only 3 step(s)" in grounding_findings(thin, _source(text))[0].text
    assert review_document(thin, source=_source(text)).score < review_document(thin).score


def test_words_the_user_said_later_ground_their_steps() -> None:
    document = _document(*_FAITHFUL, "Calibrate scanner")
    later = ReviewSource(_TEXT, later=("add a step to calibrate the scanner at the end",), edited=True)
    assert _codes(document, later) == []


def test_steps_of_the_generic_template_must_be_grounded_like_any_other() -> None:
    text = "Annual code of conduct attestation for all employees, chase non-responders."
    drafted = ("Receive the request", "Validate the request", "Review and approve", "Close and report")
    requirement = Requirement(text=text, title="Attestation", templates=["standard-process"],
                              steps=[RequirementStep(name=n, description=n, source="template") for n in drafted])
    generic = ReviewSource.of(requirement)
    assert generic is not None and generic.generic
    codes = [c for c, _ in _codes(_document(*drafted), generic)]
    assert codes == ["ungrounded_step"] * 4  # one finding a step: not said is more than to confirm
    specific = ReviewSource.of(requirement.model_copy(update={"templates": ["policy-attestation"]}))
    # a fitting template's steps are only to confirm, but none of these chases anyone: the template is in doubt
    assert [c for c, _ in _codes(_document(*drafted), specific)] == ["foreign_template", *["drafted_step"] * 4]


def test_reading_defects_lower_the_score_but_send_nothing_back_for_revision() -> None:
    text = "Staff submit purchase requests and the team lead approves them; procurement orders the goods."
    report = review_document(_document("Submit purchase request", "Approve purchase request", "Order goods"),
                             source=_source(text))
    # no writer or coder round changes how the text was read: the revision rounds go by the score without it
    assert report.soundness < 1
    assert revisable_score(report) == pytest.approx(report.score / report.soundness)
    assert revisable_score(report) > report.score


def test_nouns_of_doing_and_conversions_ground_a_step() -> None:
    text = ("Staff submit expense claims in Expensify. Anything over $500 needs their manager's OK. "
            "Front desk verifies the receipts. Signed claims are turned into a payment order in the ERP.")
    document = _document("Submit expense claim", "Approve expense claim", "Verify receipt", "Create payment order")
    assert _codes(document, _source(text)) == []


def test_permissions_and_indefinite_objects_are_read_as_the_text_means_them() -> None:
    text = ("Customers can return unworn items within 30 days. The returns desk inspects the parcel and refunds the "
            "customer. Anything past its use-by date is thrown away.")
    document = _document("Inspect parcel", "Refund customer", "Throw parcel", "Close claim")
    # "can return" is a rule, not an action to cover; what "anything" is, the text does not say
    assert _codes(document, _source(text)) == [("ungrounded_step", 4)]  # "close" is said nowhere


def test_an_integrations_run_is_not_held_against_the_texts_verbs() -> None:
    text = ("Every night at 02:00, push new and changed workers from Workday to Okta. Map Worker_ID to "
            "employeeNumber. Connect to Workday with mutual TLS and to Okta with an API token.")
    document = _document("Extract workers from Workday", "Transform workers", "Load workers into Okta")
    assert _codes(document, _source(text))  # as a process, its steps say what the text never does
    integration = document.model_copy(update={"kind": "integration"})
    assert _codes(integration, _source(text)) == []


def test_a_step_that_names_its_doer_as_the_thing_acted_on_is_unsaid() -> None:
    text = "The guest registers online. Reception confirms the booking. The housekeeper cleans the room."
    document = _document("Register guest", "Confirm booking", "Clean room", "Check out guest")
    findings = [f for f in grounding_findings(document, _source(text)) if f.code == "unsaid_action"]
    assert [f.step for f in findings] == [1], findings
    assert "the guest does the 'register'" in findings[0].text
    right = _document("Register", "Confirm booking", "Clean room", "Check out guest")
    assert not [f for f in grounding_findings(right, _source(text)) if f.code == "unsaid_action" and f.step == 1]


def test_a_doer_who_is_also_acted_on_elsewhere_is_no_finding() -> None:
    text = "The nurse calls the patient. The patient books a slot and the doctor sees the patient."
    document = _document("Call patient", "Book slot", "See patient", "Discharge patient")
    assert not [f for f in grounding_findings(document, _source(text)) if f.code == "unsaid_action"]


@pytest.mark.parametrize("text, name", [
    ("Customers ask for refunds; under $100 agents approve.", "Approve refund as agent"),  # the role it is done as
    ("Quote sent to the customer, valid for 30 days.", "Send quote"),  # a participle, not the quote sending
])
def test_a_role_a_step_is_done_as_and_a_passive_thing_are_no_doers_named_as_objects(text: str, name: str) -> None:
    document = _document("Receive request", name, "Record outcome", "Close case")
    assert not [f for f in grounding_findings(document, _source(text)) if "does the" in f.text]
