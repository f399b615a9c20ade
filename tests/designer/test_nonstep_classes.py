"""Classes of clauses that are not work steps: complaints and habits, wishes about the design, descriptions,
service levels a party is promised, targets, deadlines and quantities of cases. Each stays out of the steps
and keeps what it says (an SLA in the constraints, a remark in the context); the steps around it stay."""

from __future__ import annotations

import pytest

from process_designer.agents.analyst.offline import analyze_requirements
from tests.designer.test_analyst_reading import _read


def _names(text: str) -> list[str]:
    return [s.name.lower() for s in _read(text).steps]


def _no_step_with(names: list[str], *words: str) -> bool:
    return not any(word in name for name in names for word in words)


@pytest.mark.parametrize("text, words", [
    ("The help desk keeps losing laptops between sites. The technician logs each laptop in the asset register "
     "and the courier delivers it.", ("lose", "losing")),
    ("customers keep calling us about late deliveries. agent checks the tracking, agent emails the customer.",
     ("call",)),
    ("Site engineers keep ordering the wrong cables. The engineer raises a request and the buyer places the "
     "order.", ("wrong cable",)),
])
def test_a_habit_or_complaint_is_context_not_a_step(text: str, words: tuple[str, ...]) -> None:
    requirement = _read(text)
    names = [s.name.lower() for s in requirement.steps]
    assert _no_step_with(names, *words), names
    assert len(names) >= 2, names  # the work after the complaint is still read


@pytest.mark.parametrize("text, words", [
    ("invoices r stuck with approvers for weeks. clerk scans the invoice, manager approves it, AP pays it.",
     ("stick", "stuck")),
    ("Our warehouse loses a lot of time to missing paperwork. The picker picks the order and the packer packs "
     "the boxes.", ("lose", "time")),
    ("Invoices are approved by email, yet the team wastes hours on reminders. The clerk checks the form and the "
     "inspector visits the site.", ("waste", "approve", "reminder")),
    ("The clerk checks the form. The team wastes hours on reminders, and the inspector visits the site.",
     ("waste", "reminder")),
])
def test_a_problem_statement_is_context_not_a_step(text: str, words: tuple[str, ...]) -> None:
    names = _names(text)
    assert _no_step_with(names, *words), names
    assert len(names) >= 2, names


@pytest.mark.parametrize("text", [
    "tenant reports the leak, handyman fixes it. pls make it so nobody gets ignored",
    "Tenant reports the leak; the handyman fixes it. Please make sure no one is left waiting.",
])
def test_a_wish_that_nobody_is_left_out_is_no_step(text: str) -> None:
    names = _names(text)
    assert _no_step_with(names, "ignore", "wait", "leave"), names
    assert any("fix" in n for n in names), names


@pytest.mark.parametrize("text, words", [
    ("The customer books the repair and the technician fixes the boiler. courier is FedEx.", ("be ", "fedex")),
    ("store manager orders the stock, driver delivers it. supplier has 5 days for a reply", ("have", "day")),
])
def test_a_description_written_as_a_note_is_no_step(text: str, words: tuple[str, ...]) -> None:
    names = _names(text)
    assert _no_step_with(names, *words), names


@pytest.mark.parametrize("text", [
    "guest books a table, host confirms it. lots of bookings w/out a phone number tho",
    "guest books a table, host confirms it. plenty of no-shows on fridays",
])
def test_a_quantity_of_cases_is_no_step(text: str) -> None:
    names = _names(text)
    assert len(names) == 2, names


@pytest.mark.parametrize("text, words", [
    ("The tenant submits the claim. The agent checks the lease and pays the deposit. Tenants should hear back "
     "within 3 business days.", ("hear",)),
    ("Citizens report potholes in the app. The crew repairs the pothole. Citizens get an answer within 2 days.",
     ("get", "answer")),
    ("Members email their question; an advisor answers it. Members receive a reply within 24 hours.",
     ("receive", "reply")),
])
def test_a_service_level_promised_to_a_party_is_a_constraint(text: str, words: tuple[str, ...]) -> None:
    requirement = _read(text)
    names = [s.name.lower() for s in requirement.steps]
    assert _no_step_with(names, *words), names
    assert any(c.kind == "sla" for c in requirement.constraints), requirement.constraints


@pytest.mark.parametrize("text", [
    "clerk checks the form, officer signs it. aim to reply within 10 days",
    "The clerk checks the form and the officer signs it. We aim to close every case within 10 days.",
    "The clerk checks the form and the officer signs it. The team strives to finish within 10 days.",
])
def test_a_target_is_a_constraint_not_a_step(text: str) -> None:
    requirement = _read(text)
    names = [s.name.lower() for s in requirement.steps]
    assert _no_step_with(names, "reply", "close", "finish"), names
    assert any(c.kind == "sla" and c.value == 10 for c in requirement.constraints), requirement.constraints


@pytest.mark.parametrize("text", [
    "client sends the order, desk books it, courier collects. cut off 2pm",
    "client sends the order, desk books it, courier collects. cutoff at 14:00",
])
def test_a_cut_off_time_is_a_constraint_not_a_step(text: str) -> None:
    requirement = analyze_requirements(text)
    names = [s.name.lower() for s in requirement.steps]
    assert _no_step_with(names, "cut", "pm"), names
    assert any("cut" in c.text.lower() for c in requirement.constraints), requirement.constraints


@pytest.mark.parametrize("text, topic", [
    ("Finance runs a quarterly budget review. The analyst collects the forecasts and the CFO approves them.",
     "budget review"),
    ("HR organises an annual engagement survey. The HR partner drafts the questions and managers share the "
     "results.", "engagement survey"),
])
def test_an_opening_that_names_a_recurring_event_is_the_topic_not_a_step(text: str, topic: str) -> None:
    requirement = _read(text)
    names = [s.name.lower() for s in requirement.steps]
    assert _no_step_with(names, topic), names
    assert topic in requirement.title.lower(), requirement.title


@pytest.mark.parametrize("text, words", [
    ("The mechanic checks the tyres and signs the job sheet before the van goes back into service.", ("go",)),
    ("The editor reviews the draft. Rejected drafts go back to the backlog with a comment. The editor publishes "
     "the accepted drafts.", ("go", "comment")),
    ("Housekeeping cleans the room and the supervisor inspects it. The room then moves back onto the booking "
     "sheet.", ("move",)),
])
def test_a_thing_that_moves_where_no_role_works_is_no_step(text: str, words: tuple[str, ...]) -> None:
    names = _names(text)
    assert _no_step_with(names, *words), names
    assert len(names) >= 2, names


@pytest.mark.parametrize("text, words", [
    ("Tender run:\n1. The buyer writes the tender.\n2. Bidders have 3 weeks to answer.\n3. The panel scores the bids.",
     ("week", "bidder", "answer")),
    ("staff take the order, courier ships it. dont let staff ship unpaid orders", ("let", "unpaid")),
    ("The clerk files the claim, the adjuster pays it. Never let agents pay claims over the limit.",
     ("let", "limit")),
])
def test_a_clause_read_as_no_work_gives_no_step_from_its_words(text: str, words: tuple[str, ...]) -> None:
    names = _names(text)
    assert _no_step_with(names, *words), names
    assert len(names) >= 2, names


@pytest.mark.parametrize("text, words", [
    ("1. Log the claim.\n2. Send the decision letter within 4 weeks, including tenant rights.\n3. Close the claim.",
     ("right", "tenant")),
    ("1. Log the claim.\n2. Send the decision letter, including the payment schedule.\n3. Close the claim.",
     ("schedule",)),
])
def test_a_phrase_detailing_a_step_is_part_of_it(text: str, words: tuple[str, ...]) -> None:
    names = _names(text)
    assert _no_step_with(names, *words), names
    assert any("send" in n for n in names), names


@pytest.mark.parametrize("text, words", [
    ("The coach books the trip and the parent signs the form. A signed waiver is needed for minors.",
     ("need", "waiver")),
    ("The site lead inspects the scaffold. Weekly safety logs are required for every site. The lead files the log.",
     ("require",)),
])
def test_a_requirement_said_of_no_one_is_a_rule_not_a_step(text: str, words: tuple[str, ...]) -> None:
    names = _names(text)
    assert _no_step_with(names, *words), names
    assert len(names) >= 2, names


def test_a_deduction_detailing_a_step_is_part_of_it() -> None:
    names = _names("member asks to leave, clerk calculates the refund, minus a 10$ admin charge, sends the letter")
    assert _no_step_with(names, "charge", "admin"), names
    assert any("refund" in n for n in names), names
