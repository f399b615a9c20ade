"""Steps said as nouns or as needs: an approval a thing "needs" from a role, work handed to a role above a
threshold, events named by their noun in a list of notes ("approval, signature, then file it"), and a step
named only as the moment another happens ("within a week of signing"). One test per class of sentence."""

from __future__ import annotations

import pytest

from tests.designer.test_analyst_reading import _named, _read


def _conditions(requirement: object) -> dict[str, str]:
    flow = requirement.flow  # type: ignore[attr-defined]
    out: dict[str, str] = {}
    for gateway in flow.gateways:
        for edge in flow.outgoing(gateway.id):
            out[flow.node(edge.target).label] = edge.condition or ""
    return out


@pytest.mark.parametrize("text, step, role", [
    ("The tenant submits a repair request. Repairs over £800 need the head of estates. The contractor books a visit.",
     "Approve repair", "Head of Estates"),
    ("Members apply for a grant online. Grants over $2,000 need a trustee's approval. The treasurer pays the grant.",
     "Approve grant", "Trustee"),
    ("Buyers raise orders in Coupa. Orders >$10k need finance dir. The buyer sends the order.",
     "Approve order", "Finance Director"),
])
def test_a_thing_that_needs_a_role_above_a_figure_is_that_roles_approval_under_that_condition(
        text: str, step: str, role: str) -> None:
    requirement = _read(text)
    assert (step, role) in _named(requirement), _named(requirement)
    assert _conditions(requirement).get(step), _conditions(requirement)  # the figure is the gateway's condition


@pytest.mark.parametrize("text, step, role", [
    ("Owners submit drawings online. The clerk checks the drawings. Anything over 20 metres also goes to the fire "
     "engineer. The clerk issues the licence.", "Review drawing", "Fire Engineer"),
    ("Staff report incidents in the portal. Incidents above $5,000 go to a senior investigator. The clerk closes the "
     "incident.", "Review incident", "Senior Investigator"),
])
def test_work_handed_to_a_specialist_above_a_threshold_is_their_review(text: str, step: str, role: str) -> None:
    requirement = _read(text)
    assert (step, role) in _named(requirement), _named(requirement)
    assert _conditions(requirement).get(step), _conditions(requirement)


def test_work_handed_to_a_rank_above_a_threshold_stays_its_approval() -> None:
    requirement = _read("Staff report incidents in the portal. Incidents above $5,000 go to the operations director. "
                        "The clerk closes the incident.")
    assert ("Approve incident", "Operations Director") in _named(requirement), _named(requirement)


def _names(text: str) -> list[str]:
    return [s.name for s in _read(text).steps]


@pytest.mark.parametrize("text, expected", [
    ("the author submits the manuscript, editorial triage, reviews back and forth, acceptance, typesetting, then "
     "publish it.",
     ["Submit manuscript", "Triage manuscript", "Review manuscript", "Accept manuscript", "Typeset manuscript",
      "Publish manuscript"]),
    ("Tenants report faults in the app, triage by the duty manager, repair, inspection, then close the ticket.",
     ["Report fault", "Triage fault", "Repair fault", "Inspect fault", "Close ticket"]),
    ("suppliers send invoices to the inbox, the clerk keys them into Xero, two-way match with the PO, approval, "
     "then pay it.",
     ["Key invoice", "Match invoice", "Approve invoice", "Pay invoice"]),
])
def test_a_noun_of_an_event_in_a_list_of_steps_is_its_verb_on_the_thing_worked_on(
        text: str, expected: list[str]) -> None:
    names = _names(text)
    assert [n for n in names if n in expected] == expected, names


def test_an_event_noun_keeps_the_role_it_names() -> None:
    requirement = _read("staff upload receipts to the portal, manager approval, finance reimbursement of the claim, "
                        "then archive it.")
    named = _named(requirement)
    assert ("Approve receipt", "Manager") in named, named
    assert ("Reimburse claim", "Finance") in named, named  # "of the claim" names what is reimbursed
    triage = _read("Tenants report faults in the app, triage by the duty manager, repair, then close the ticket.")
    assert ("Triage fault", "Duty Manager") in _named(triage), _named(triage)


def test_a_deliverable_in_a_list_of_steps_is_created_and_a_message_sent() -> None:
    names = _names("launching a course: pick the syllabus, landing page + payment form, reminder emails 2 weeks "
                   "before, reminders the day before, run the first class.")
    assert "Create landing page" in names and "Send reminder email" in names and "Send reminder" in names, names


def test_nouns_listing_the_details_of_the_clause_before_are_no_steps() -> None:
    names = _names("The customer fills in the booking form with dates, party size and dietary needs, the host "
                   "confirms the table, the waiter serves the meal.")
    assert names == ["Fill in booking form", "Confirm table", "Serve meal"], names


def test_an_event_named_as_the_moment_of_a_step_is_a_step_before_it() -> None:
    names = _names("Members apply for a grant online. The officer checks eligibility. Money is paid out within 5 "
                   "working days of signing.")
    signing = next((n for n, name in enumerate(names) if name.startswith("Sign")), None)
    assert signing is not None and names[signing + 1] == "Pay out money", names


def test_the_agent_of_a_moment_is_that_events_performer_not_the_steps() -> None:
    requirement = _read("The tenant requests a repair. The part is ordered after approval by the landlord. The "
                        "contractor fits the part.")
    named = _named(requirement)
    approving = next((n for n, (name, role) in enumerate(named) if name.startswith("Approve") and role == "Landlord"),
                     None)
    assert approving is not None and named[approving + 1][0] == "Order part", named
    assert ("Order part", "Landlord") not in named, named


def test_a_moment_the_text_has_read_as_a_step_is_not_read_again() -> None:
    names = _names("The manager signs the form. The form is archived after signing.")
    assert [n for n in names if n.startswith("Sign")] == ["Sign form"], names


def test_a_command_the_tagger_read_as_nouns_in_a_list_of_commands_is_that_command() -> None:
    names = _names("paypal webhooks -> our db. check the signature, drop duplicate events, update subscription status, "
                   "then log the event.")
    assert "Update subscription status" in names, names
    ward = _names("patient leaves the ward: sign the discharge form, pharmacy preps meds, transport home, then clean "
                  "the bed.")
    assert "Transport home" in ward and not any("preps" in n.lower() for n in ward), ward


def test_a_need_said_in_brackets_is_an_approval_of_its_own() -> None:
    for text, role in [
        ("The agent drafts the lease in the portal, the office manager checks the deposit terms (anything above two "
         "months needs director approval), and the tenant signs online.", "Director"),
        ("The broker drafts the policy in the portal, underwriting checks the cover limits (anything beyond 5 million "
         "needs CUO approval), and the client signs in DocuSign.", "CUO"),
    ]:
        named = _named(_read(text))
        assert any(name.startswith("Approve") and actor == role for name, actor in named), named


def test_a_participle_with_its_object_in_a_list_is_no_noun_step() -> None:
    names = _names("The analyst reviews each alert within ten days, looking at the customer's profile, expected "
                   "activity and the payments around the alert.")
    assert not any(n.startswith(("Look", "Create")) for n in names), names



def test_nouns_closing_a_list_of_what_the_clause_before_acts_on_are_no_steps() -> None:
    names = _names("The admin defines the user's roles, permissions and network access, and the manager reviews the "
                   "setup. The admin then activates the account.")
    assert not any(n.startswith(("Permit", "Access", "Create")) for n in names), names
