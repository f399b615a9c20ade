"""Which thing a step acts on, and so its name: one test per class of sentence where the reading took the
wrong thing (a verb joined to another that names the object, a person left over from the clause before, a
thing that arrives, a partner after "with", a pronoun or a bare verb when the text is about one thing)."""

from __future__ import annotations

import pytest

from tests.designer.test_analyst_reading import _read


def _names(text: str) -> list[str]:
    return [s.name for s in _read(text).steps]


@pytest.mark.parametrize(("text", "expected"), [
    ("The packer wraps and labels the parcels, then the driver loads the van.", ["Wrap parcel", "Label parcel"]),
    ("Steps:\n1. Sort and stack the crates.\n2. Load the truck.", ["Sort crate", "Stack crate"]),
    ("The clerk scans the forms. The reviewer accepts or rejects each abstract.", ["Accept abstract"]),
])
def test_a_verb_joined_to_the_next_shares_its_object(text: str, expected: list[str]) -> None:
    names = _names(text)
    assert all(name in names for name in expected), names


@pytest.mark.parametrize(("text", "wrong", "expected"), [
    ("Roadside callouts:\n1. The dispatcher radios the nearest driver; they must confirm within 2 minutes.\n"
     "2. The driver tows the car.", "Confirm driver", "Confirm roadside callout"),
    ("Lab sample handling. The courier hands the sample box to the porter, and the porter signs. The technician "
     "tests the samples.", "Sign porter", "Sign sample box"),
])
def test_a_person_named_before_is_not_what_a_bare_verb_acts_on(text: str, wrong: str, expected: str) -> None:
    names = _names(text)
    assert wrong not in names and expected in names, names


@pytest.mark.parametrize(("text", "expected"), [
    ("Warranty claims arrive in the shared inbox from dealers. A clerk logs them in SAP.", "Receive warranty claim"),
    ("Supplier invoices come into the finance mailbox. The AP clerk enters them in Xero.", "Receive supplier invoice"),
])
def test_things_that_arrive_are_received(text: str, expected: str) -> None:
    names = _names(text)
    assert names[0] == expected, names


@pytest.mark.parametrize(("text", "wrong", "expected"), [
    ("Warranty claim procedure:\n1. Log the claim in SAP.\n2. Investigate with the service partner.\n"
     "3. Pay the dealer.", "Investigate service partner", "Investigate claim"),
    ("The auditor reviews the findings with the finance director and signs the report.", "Review finance director",
     "Review finding"),
])
def test_a_role_after_with_is_a_partner_not_the_object(text: str, wrong: str, expected: str) -> None:
    names = _names(text)
    assert wrong not in names and expected in names, names


@pytest.mark.parametrize(("text", "expected"), [
    ("Annual stocktake. The store manager plans it two weeks ahead, the staff count the shelves and the auditor "
     "signs off the results.", "Plan stocktake"),
    ("Dental appointment scheduling: the patient requests online, the receptionist confirms, the dentist sees the "
     "patient.", "Confirm appointment"),
    ("Mortgage applications: the broker submits online, the underwriter checks the income and the lender decides.",
     "Submit mortgage application"),
])
def test_a_verb_with_nothing_to_act_on_acts_on_what_the_process_is_about(text: str, expected: str) -> None:
    names = _names(text)
    assert expected in names, names
    assert all(len(name.split()) > 1 for name in names), names  # no bare verb left


@pytest.mark.parametrize(("text", "expected"), [
    ("The fitter removes shelving, then paints the wall.", "Remove shelving"),
    ("The housekeeper sorts bedding and folds the towels.", "Sort bedding"),
    ("Every month:\n1. Inspect lifting slings.\n2. Record the results.", "Inspect lifting sling"),
])
def test_a_noun_in_ing_after_a_verb_is_its_object(text: str, expected: str) -> None:
    names = _names(text)
    assert expected in names, names


@pytest.mark.parametrize(("text", "expected"), [
    ("The clerk stamps the form and files copies.", ["Stamp form", "File copy"]),
    ("At month end:\n1. Renew the lease and issue invoices.\n2. Update the ledger.", ["Renew lease", "Issue invoice"]),
    ("Once paid, close the order and archive documents.", ["Close order", "Archive document"]),
])
def test_a_verb_after_and_read_into_the_object_is_a_step_of_its_own(text: str, expected: list[str]) -> None:
    names = _names(text)
    assert all(name in names for name in expected), names



@pytest.mark.parametrize(("text", "wrong", "expected"), [
    ("Supplier contracts: the buyer drafts the contract, the auditor checks the delivery terms, and the supplier "
     "signs in DocuSign.", "Sign delivery term", "Sign supplier contract"),
    ("Grant applications: the applicant submits the proposal, the officer reviews the budget lines, and the "
     "panel approves.", "Approve budget line", "Approve grant application"),
])
def test_a_part_someone_else_looked_at_is_not_what_the_next_role_acts_on(text: str, wrong: str,
                                                                       expected: str) -> None:
    names = _names(text)
    assert wrong not in names and expected in names, names


def test_a_thing_handed_on_is_what_the_next_role_acts_on() -> None:
    names = _names("The clerk prepares the invoice and the customer pays. The manager signs the receipt.")
    assert "Pay invoice" in names, names


@pytest.mark.parametrize(("text", "expected"), [
    ("Suppliers send invoices to the AP team. Urgent ones are paid the same day by the treasurer, the rest are "
     "batched weekly.", ["Pay invoice", "Batch invoice"]),
    ("The editor sorts the submissions; promising ones go to the reviewer, who scores them.", ["Score submission"]),
])
def test_ones_and_the_rest_stand_for_the_things_named_before(text: str, expected: list[str]) -> None:
    names = _names(text)
    assert all(name in names for name in expected), names


def test_two_nouns_joined_without_a_determiner_stay_one_list() -> None:
    names = _names("The admin configures repo access and tool list. The auditor reviews the logs.")
    assert not any(name.startswith("Tool") for name in names), names
