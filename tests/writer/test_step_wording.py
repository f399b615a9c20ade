"""Steps are worded from their own clause and borrow from a template only the same work; the owning team
is the domain the text speaks of most; what a decision reads is recorded in words that make a sentence."""

from __future__ import annotations

import pytest

from process_designer.agents.writer import compose_document
from process_designer.agents.writer.compose import compose_step
from process_designer.agents.writer.from_model import field_words
from process_designer.agents.writer.phrasing import domain_role, object_phrase
from process_designer.domain.flow import Rule
from process_designer.domain.models import Requirement, RequirementStep
from process_designer.knowledge.library import CURATED_TEMPLATES_DIR
from process_designer.knowledge.template_model import load_template
from tests.designer.test_analyst_reading import _read


def _instruction(text: str, name: str) -> str:
    step = next((s for s in _read(text).steps if s.name == name), None)
    assert step is not None, [s.name for s in _read(text).steps]
    return step.instruction


@pytest.mark.parametrize(("text", "name", "expected"), [
    # passive: the agent goes to Responsible, the system stays
    ("Access requests for the finance systems are raised in ServiceNow by the employee. The manager approves "
     "the request.", "Raise access request", "Raise access requests for the finance systems in ServiceNow."),
    # a pronoun object is the thing it stands for
    ("Legal reviews the contract and sends it back to sales.", "Send contract",
     "Send the contract back to sales."),
    # a particle the parser read as a preposition is said once
    ("The claims handler signs off the estimate in Guidewire before 5pm.", "Sign off estimate",
     "Sign off the estimate in Guidewire before 5pm."),
    # the condition is the gateway's, and "then" is the order the steps already have
    ("The clerk checks the form. If the form is incomplete, the clerk then returns it to the applicant by email.",
     "Return form", "Return the form to the applicant by email."),
])
def test_a_step_is_said_as_an_instruction_from_its_own_clause(text: str, name: str, expected: str) -> None:
    assert _instruction(text, name) == expected


def test_a_clause_cut_at_its_coordination_is_never_an_action() -> None:
    requirement = _read("Employees raise access requests in ServiceNow. Their manager approves or rejects the request. "
                        "The IAM team provisions the account.")
    document = compose_document(requirement)
    approve = next(s for s in document.steps if s.name.startswith("Approve"))
    assert approve.actions[0] == "Approve the access request", approve.actions
    assert not any(a.rstrip(".").endswith((" or", " and")) for s in document.steps for a in s.actions)


def test_a_template_lends_its_wording_only_to_the_same_action() -> None:
    template = load_template(CURATED_TEMPLATES_DIR / "access-request.toml")
    raise_step = next(s for s in template.document.steps if s.name.lower().startswith(("submit", "raise")))
    _, _, thing = raise_step.name.partition(" ")
    requirement = Requirement(text="The manager approves the access request.", title="Access Requests", steps=[])
    other = RequirementStep(name=f"Approve {thing}", description="The manager approves the access request.",
                            actor="Manager")
    same = RequirementStep(name=raise_step.name, description="Employees raise it.", actor="Employee")
    assert compose_step(same, 1, requirement, [template]).actions[-len(raise_step.actions):] == list(raise_step.actions)
    approved = compose_step(other, 2, requirement, [template])
    assert approved.objective != raise_step.objective
    assert not set(approved.actions) & set(raise_step.actions)


@pytest.mark.parametrize(("title", "text", "team"), [
    # one incidental "returned" does not make access requests a support process
    ("Access Requests", "Employees request access to the finance systems; if the role conflicts the request is "
     "returned to the manager, and IT provisions the access.", "IT Operations"),
    # "it" the pronoun is not IT the department
    ("Supplier Onboarding", "The buyer submits the supplier form and procurement checks it; it is then approved "
                            "and it goes to the vendor master.", "Procurement"),
    # the title says what the process is about
    ("Supplier Invoices", "Suppliers send invoices; AP matches each invoice to its order, and support tickets "
                          "about invoices go to the help desk.", "Finance Operations"),
])
def test_the_owning_team_is_the_domain_the_text_speaks_of_most(title: str, text: str, team: str) -> None:
    assert domain_role(text, title)[1] == team


@pytest.mark.parametrize(("subject", "words"), [
    ("approved", "whether it is approved"),
    ("request_approved", "whether the request is approved"),
    ("keys_requested", "whether the keys are requested"),
    ("role_conflict", "whether there is a role conflict"),
    ("needs_legal_review", "whether it needs legal review"),
    ("within_limits", "whether it is within limits"),
    ("reportable", "whether it is reportable"),
    ("visitor_need_parking", "whether the visitor needs parking"),
    ("customer_require_delivery_slot", "whether the customer requires delivery slot"),
])
def test_a_yes_no_field_is_recorded_as_the_question_it_answers(subject: str, words: str) -> None:
    assert field_words(Rule(subject=subject, value=True)) == words
    assert field_words(Rule(subject=subject, operator=">", value=5)) == f"the {subject.replace('_', ' ')}"


@pytest.mark.parametrize(("name", "thing"), [
    ("Hand over parcel", "the parcel"), ("Sign off estimate", "the estimate"), ("Look up order in CRM", "the order"),
    ("Order from vendor", "the case"), ("Approve expense claim", "the expense claim"),
])
def test_a_phrasal_verbs_particle_is_not_its_object(name: str, thing: str) -> None:
    assert object_phrase(name) == thing
