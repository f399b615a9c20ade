"""Findings the reviewer must not make on a sound design, and the ones it makes on a design drafted for another
process: each test's sentences are the reviewer's whole input (the text, the design), never an expected answer."""

from __future__ import annotations

from process_designer.agents.reviewer import ReviewSource, review_document
from process_designer.agents.reviewer.grounding import grounding_findings
from process_designer.agents.reviewer.model_checks import name_findings, weak_verb_findings
from process_designer.domain.models import (
    Overview,
    ProcessDocument,
    Requirement,
    RequirementStep,
    Step,
)


def _step(number: int, name: str) -> Step:
    return Step(number=number, name=name, objective=f"{name} so the work can go on.", responsible="Clerk",
                duration="1 hour", actions=[f"{name} in the register", f"Note step {number} on the case"],
                validation=[f"{name} is noted"])


def _document(*names: str, templates: tuple[str, ...] = ()) -> ProcessDocument:
    return ProcessDocument(title="Grant Requests",
                           overview=Overview(purpose="Fund community projects.", scope="Every grant request.",
                                             owner="Grants Office", last_updated="2026-05-11"),
                           prerequisites=["Grants register"], templates_used=list(templates),
                           steps=[_step(n, name) for n, name in enumerate(names, 1)])


def _source(text: str, drafted: tuple[str, ...] = ()) -> ReviewSource:
    steps = [RequirementStep(name=name, description=name, source="template") for name in drafted]
    source = ReviewSource.of(Requirement(text=text, title="Grant Requests", steps=steps))
    assert source is not None
    return source


def _codes(document: ProcessDocument, source: ReviewSource) -> list[tuple[str, int | None]]:
    return [(f.code, f.step) for f in grounding_findings(document, source)]


def test_an_amount_or_a_deadline_is_not_what_a_step_acts_on() -> None:
    text = ("Charities apply for grants online. The officer scores each application, "
            "the board decides above 20k and the treasurer pays within 10 days.")
    document = _document("Apply for grant", "Score application", "Decide grant", "Pay grant")
    assert _codes(document, _source(text)) == []


def test_the_particle_of_a_phrasal_verb_or_a_hyphenated_modifier_is_no_adverb_in_a_name() -> None:
    document = _document("Roll back release", "Pull out-of-date stock", "Sign off budget", "Record sometimes payment")
    assert [(f.step, f.code) for f in name_findings(document)] == [(4, "fragment_name")]


def test_a_clause_of_choice_or_a_noun_the_parse_took_for_a_verb_is_an_object() -> None:
    document = _document("Decide whether to renew", "Approve leave", "Troubleshoot defect", "Decide whether", "Approve")
    assert [(f.step, f.code) for f in name_findings(document)] == [(4, "fragment_name"), (5, "fragment_name")]


_DRAFTED = ("Log the complaint", "Investigate the complaint", "Reply to the customer", "Close the complaint")


def test_a_template_whose_steps_do_none_of_the_work_the_text_names_is_foreign() -> None:
    source = _source("refunding damaged deliveries", _DRAFTED)
    document = _document(*_DRAFTED, templates=("complaint-handling",))
    findings = [f for f in grounding_findings(document, source) if f.code == "foreign_template"]
    assert len(findings) == 1
    assert "no step does 'refund'" in findings[0].text and "complaint-handling" in findings[0].text
    fitting = _source("investigating customer complaints", _DRAFTED)
    assert review_document(document, source=source).score < review_document(document, source=fitting).score


def test_a_template_named_after_the_work_or_a_step_doing_the_same_work_fits() -> None:
    document = _document(*_DRAFTED, templates=("complaint-handling",))
    for text in ("customers who complain about late orders",  # a relative clause says who, not the work
                 "handling unhappy customers"):  # a verb naming any process
        assert "foreign_template" not in [c for c, _ in _codes(document, _source(text, _DRAFTED))], text
    asked = "customers asking for a callback"
    assert "foreign_template" in [c for c, _ in _codes(document, _source(asked, _DRAFTED))]
    named = _document(*_DRAFTED, templates=("callback-request",))  # the template is named after the work
    assert "foreign_template" not in [c for c, _ in _codes(named, _source(asked, _DRAFTED))]
    steps = ("Request a callback", *_DRAFTED[1:])  # a step does the asking
    assert "foreign_template" not in [c for c, _ in _codes(_document(*steps), _source(asked, steps))]


def test_a_thing_that_arrives_grounds_the_step_that_receives_it() -> None:
    text = "Tenants report a leak online, the plumber's invoice arrives by post and the clerk pays the invoice."
    document = _document("Report leak", "Receive invoice", "Pay invoice")
    assert "ungrounded_step" not in [c for c, _ in _codes(document, _source(text))]


def test_where_or_with_what_is_not_what_a_step_acts_on() -> None:
    text = "Members phone to end their membership; the clerk cancels in the booking system and posts a farewell card."
    document = _document("Phone membership desk", "Cancel membership", "Post farewell card")
    assert [c for c, _ in _codes(document, _source(text))] == ["thin_process"]


def test_the_options_of_a_choice_and_a_gerund_coordinated_with_a_noun_are_no_actions() -> None:
    text = ("The warden logs each hall booking with the date, head count and seating plan. The bursar decides whether "
            "to accept, reprice or let the booking lapse, and the warden confirms the booking.")
    document = _document("Log hall booking", "Decide on booking", "Confirm booking")
    assert "uncovered_action" not in [c for c, _ in _codes(document, _source(text))]


def test_a_step_named_with_a_verb_that_states_no_work_is_found() -> None:
    document = _document("Send voucher", "Get voucher", "Want feedback form", "Record feedback")
    findings = weak_verb_findings(document)
    assert [(f.step, f.code) for f in findings] == [(2, "weak_verb"), (3, "weak_verb")]
    assert "'get' states no work" in findings[0].text
    sound = _document("Send voucher", "Redeem voucher", "Collect feedback form", "Record feedback")
    assert weak_verb_findings(sound) == []
    assert review_document(document).score < review_document(sound).score


def test_an_opening_request_or_a_condition_once_done_is_no_action_a_step_must_carry() -> None:
    text = ("Open our spring grant round. The officer publishes the call and scores each application. "
            "Once scored, the board approves the shortlist and the treasurer pays the grants.")
    document = _document("Publish call", "Score application", "Approve shortlist", "Pay grant")
    assert _codes(document, _source(text)) == []
    listed = "Open the spring grant round. Publish the call. Score each application. Approve the shortlist. Pay the grants."
    assert [c for c, _ in _codes(document, _source(listed))] == ["uncovered_action"]  # one instruction among others


def test_a_step_whose_action_the_text_states_in_a_condition_is_said() -> None:
    text = ("The courier returns the empty crate to the depot. If the buyer returns the parcel, the clerk refunds "
            "the buyer and logs the refund.")
    document = _document("Return empty crate", "Return parcel", "Refund buyer", "Log refund")
    assert "unsaid_action" not in [c for c, _ in _codes(document, _source(text))]
    wrong = _document("Return empty crate", "Return invoice", "Refund buyer", "Log refund")
    assert ("unsaid_action", 2) in _codes(wrong, _source(text))


def test_a_noun_the_tagger_took_for_a_verb_gives_its_verb_back() -> None:
    text = "Cardholder disputes a fee; provisional refund within 5 days."
    document = _document("Dispute fee", "Investigate fee", "Refund fee", "Notify cardholder")
    uncovered = [f.text for f in grounding_findings(document, _source(text)) if f.code == "uncovered_action"]
    assert uncovered == []
    without = _document("Investigate fee", "Refund fee", "Notify cardholder", "Close case")
    uncovered = [f.text for f in grounding_findings(without, _source(text)) if f.code == "uncovered_action"]
    assert len(uncovered) == 1 and "disputes a fee" in uncovered[0]
