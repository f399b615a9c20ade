"""Processes pasted in the forms tools give them: a table copied from a wiki, a post with emoji list
markers, a meeting transcript, a checklist that asks a question before each action. Each is read as the
steps, performers and conditions it states, and plain prose is left as it was."""

from __future__ import annotations

import pytest

from process_designer.language.layout import plain
from tests.designer.test_analyst_reading import _named, _read

LOAN_TABLE = """Equipment loans

| Step | Owner | Notes |
|------|-------|-------|
| Request a loan laptop in the portal | Employee | at least 2 days ahead |
| Approve the request | Line manager | |
| Stock available? Prepare the laptop | IT technician | |
| Hand over the laptop and record the serial | IT technician | |
| Return the laptop | Employee | within 30 days |"""


def test_a_table_is_read_row_by_row_with_its_who_column_as_the_performer() -> None:
    requirement = _read(LOAN_TABLE)
    named = _named(requirement)
    assert named[:2] == [("Request loan laptop", "Employee"), ("Approve request", "Line Manager")], named
    assert ("Hand over laptop", "IT Technician") in named and ("Return laptop", "Employee") in named, named
    assert not any("|" in name or "-" * 3 in name for name, _ in named), named


def test_a_tables_question_row_is_a_condition_on_its_action() -> None:
    requirement = _read(LOAN_TABLE)
    number = next(n for n, s in enumerate(requirement.steps, start=1) if s.name == "Prepare laptop")
    assert requirement.steps[number - 1].actor == "IT Technician"
    assert any(g for g in requirement.flow.gateways), "'Stock available?' decides whether the laptop is prepared"


def test_a_tables_columns_are_found_by_their_headers_in_any_order() -> None:
    lines = plain("| Who | # | What | When |\n|---|---|---|---|\n| Cashier | 1 | Count the float | 8:00 |")
    assert lines == "- Cashier: count the float (8:00)"


def test_a_table_without_a_who_column_keeps_its_widest_column_as_the_work() -> None:
    assert plain("| No | Activity |\n|:--|:--|\n| 1 | Unlock the doors |") == "- unlock the doors"


def test_keycap_digits_are_list_markers_and_other_emoji_go() -> None:
    text = "1\ufe0f\u20e3 fill in the form \U0001f449 the coach checks it \u2705\n2\ufe0f\u20e3 pay the fee \U0001f4b8 #club #sport"
    assert plain(text) == "1. fill in the form -> the coach checks it\n2. pay the fee"


def test_emoji_numbered_steps_are_read_as_steps() -> None:
    requirement = _read("Joining the running club \U0001f3c3\n1\ufe0f\u20e3 fill in the membership form \U0001f4dd\n"
                        "2\ufe0f\u20e3 the treasurer checks the payment \U0001f4b7\n3\ufe0f\u20e3 the captain adds you "
                        "to the team chat \U0001f389 #running")
    named = _named(requirement)
    assert ("Check payment", "Treasurer") in named, named
    assert not any(any(ord(ch) > 0x2FFF for ch in name) for name, _ in named), named


def test_speakers_who_give_their_roles_perform_what_they_say_they_do() -> None:
    requirement = _read("Mia (practice manager): when a patient calls, I check the diary.\n"
                        "Tom (receptionist): I book the slot and send a text.\n"
                        "Mia: and if the patient is new?\n"
                        "Tom: then I ask them to fill in the registration form.")
    named = _named(requirement)
    assert ("Check diary", "Practice Manager") in named, named
    assert ("Book slot", "Receptionist") in named, named
    assert requirement.flow.gateways, "the question and its answer are a condition and its action"


def test_a_question_and_its_answer_on_one_line_are_a_condition() -> None:
    requirement = _read("The technician inspects the boiler. Is the pressure too low? Then the technician tops it "
                        "up. The technician signs the service sheet.")
    assert requirement.flow.gateways, _named(requirement)
    assert any(name.startswith("Top up") and who == "Technician" for name, who in _named(requirement))


@pytest.mark.parametrize("question, condition", [
    ("Out of tolerance? Raise a nonconformance.", "if out of tolerance, raise a nonconformance."),
    ("Is the form complete? Then file it.", "if the form is complete, file it."),
    ("Does the guest have a booking? Check them in.", "if the guest have a booking, check them in."),
    ("Is the pressure too low? Then top it up.", "if the pressure is too low, top it up."),
    ("QC hold released? Ship the batch.", "if QC hold released, ship the batch."),  # an acronym stays one
    ("Has the colour of the sample changed? Reject it.", "if the colour of the sample has changed, reject it."),
    ("Are the goods from a new supplier? Inspect them all.", "if the goods are from a new supplier, inspect them all."),
])
def test_a_yes_no_question_before_an_answer_is_written_as_a_condition(question: str, condition: str) -> None:
    assert plain(question) == condition


@pytest.mark.parametrize("text", [
    "Who pays? The landlord pays for repairs.",
    "What happens next? The clerk files the form.",
    "The clerk files the form. The manager signs it.",
    "Manager: approve the request\nClerk: file it",  # lines labelled with roles, not speakers
    "Totals | subtotal | tax",  # a bar that is no table
    "The buyer raises the purchase order in SAP, see ticket #4521",  # a number after '#' is no hashtag
    "damage? -> photograph it",
    "Q: Are there checks? A: Yes. Compliance screens the supplier.",
    "Can you add a fraud check? Then send me the new version.",  # a request to the designer  # a FAQ's question introduces its answer  # an arrow after a question is read as the arrow's condition and action
])
def test_plain_text_and_questions_that_ask_for_facts_are_left_as_they_are(text: str) -> None:
    assert plain(text) == text


@pytest.mark.parametrize("story, said", [
    ("As a tenant I want to report a repair online so that I do not have to call.",
     "I am the tenant. I report a repair online."),
    ("Story: as an approver, I would like to see the budget.", "Story: I am the approver. I see the budget."),
    ("As a new starter I need a laptop on day one.", "I am the new starter. I need a laptop on day one."),
    ("- Given the form is complete, when the clerk submits it, then the officer reviews it.",
     "- if the form is complete and the clerk submits it, the officer reviews it."),
    ("Given the repair is urgent then the officer sends a contractor.", "if the repair is urgent, the officer sends a contractor."),
])
def test_user_stories_and_acceptance_criteria_are_read_as_narrator_and_conditions(story: str, said: str) -> None:
    assert plain(story) == said


def test_a_user_story_with_criteria_gives_the_storys_role_its_step_and_each_criterion_its_condition() -> None:
    requirement = _read("As a tenant I want to report a repair online so that I do not have to call.\n"
                        "- Given the repair is urgent, then the housing officer sends a contractor within 4 hours.\n"
                        "- Given it is not urgent, then the housing officer books a visit within 10 days.")
    named = _named(requirement)
    assert named[0] == ("Report repair", "Tenant"), named
    assert ("Send contractor", "Housing Officer") in named and ("Book visit", "Housing Officer") in named, named
    assert requirement.flow.gateways, "urgent or not decides which"
