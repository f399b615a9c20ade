"""How the offline analyst reads requirement text into named steps: verbs first, rules kept, gaps implied."""

from __future__ import annotations

import pytest

from process_designer.agents.analyst.implied import add_implied_steps
from process_designer.agents.analyst.naming import is_rule_statement, step_name, verb_first
from process_designer.agents.analyst.offline import analyze_requirements
from process_designer.agents.analyst.parsing import looks_like_action, split_clauses
from process_designer.agents.vocabulary import verb_base
from process_designer.designer import Designer
from process_designer.domain.models import RequirementStep
from process_designer.knowledge import CURATED_TEMPLATES_DIR
from process_designer.knowledge.template_model import load_template


@pytest.mark.parametrize(
    ("clause", "name"),
    [
        ("look up the order in the CRM", "Look up order"),
        ("a manager approves", "Manager approval"),
        ("Support tickets arrive in Zendesk from email and chat", "Receive support tickets"),
        ("Technical issues go to tier 2", "Escalate to tier 2"),
        ("Rejected leads go back to nurture with a reason", "Return rejected leads to nurture"),
        ("Department heads request extra budget", "Request extra budget"),
        ("good ones booked for AE demo", "Book AE demo"),
        ("the payroll team is notified", "Notify payroll team"),
        ("refunds up to $200 are approved by the agent", "Approve refunds"),
        ("the invoice must be matched before payment", "Match invoice"),
        ("fee gets paid before we issue the permit", "Pay fee"),
        ("strong candidates get a phone screen", "Phone screen"),
        ("attendees get a follow-up email", "Send follow-up email"),
        ("panel interview with two people", "Panel interview"),
        ("account executive drafts order form", "Draft order form"),
        ("Material review board decides: rework, use-as-is or scrap", "Material review board decision"),
        ("the rollout stops", "Stop rollout"),
        ("production restarts only once the first article passes", "Restart production"),
        ("the nurse does teaching with the family", "Teach with family"),
        ("Send each manager the list for their direct reports", "Send list"),
        ("At 02:00 extract orders from Postgres", "Extract orders"),
        ("Check the order is paid", "Check order is paid"),
        ("Internal audit samples 10% of certifications", "Sample certifications"),
        ("Managers who do not respond are escalated to their director", "Escalate to director"),
    ],
)
def test_step_names_lead_with_the_verb(clause: str, name: str) -> None:
    assert step_name(clause) == name


def test_a_clause_without_a_verb_is_left_as_it_is() -> None:
    assert verb_first(["SEO", "check"]) == ["SEO", "check"]
    assert verb_first(["credit", "cards"]) == ["credit", "cards"]


def test_verb_base_knows_inflections_and_not_nouns() -> None:
    assert [verb_base(w) for w in ("purges", "booked", "paid", "categorises", "applies", "watching")] == [
        "purge", "book", "pay", "categorise", "apply", "watch"]
    assert verb_base("tickets") is None and verb_base("heads") is None


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("quotes are valid 45 days", True),
        ("Extensions of two more months are possible for complex requests", True),
        ("cooling off period 14d = full refund no fee", True),
        ("variances above 5% against forecast must be explained", True),
        ("the payroll team is notified", False),
        ("Application through the branch", False),
        ("refund goes out within 10 days", False),
    ],
)
def test_rule_statements_are_told_from_actions(text: str, rule: bool) -> None:
    assert is_rule_statement(text) is rule


def test_plural_nouns_are_not_mistaken_for_verbs() -> None:
    assert not looks_like_action("credit cards")
    assert not looks_like_action("a speaker six weeks ahead")
    assert looks_like_action("cleans the line")
    assert looks_like_action("pharmacy preps meds")
    assert looks_like_action("search all systems")


def test_details_in_parentheses_stay_with_their_step() -> None:
    clauses = split_clauses("Run data quality tests (row counts, null checks). Publish the tables.")
    assert [c.text for c in clauses] == ["Run data quality tests (row counts, null checks)", "Publish the tables"]


def test_bulleted_lines_keep_their_list_and_the_remarks_beside_it() -> None:
    requirement = analyze_requirements(
        "Card dispute handling\n- The agent verifies the identity.\n"
        "- If fraud is suspected, block the card and order a replacement.\n"
        "- Raise a chargeback with the card network within 30 days.\n"
        "Disputes older than 120 days are declined.")
    assert [s.name for s in requirement.steps] == [
        "Verify identity", "Block card", "Order replacement", "Raise chargeback", "Decline disputes"]
    assert requirement.steps[1].decisions  # the fraud condition stays on the step it guards


def test_complaints_and_volumes_are_not_steps() -> None:
    requirement = analyze_requirements(
        "dup invoices are a big problem lately!! we do ~6 webinars a yr. invoices come into the ap@ mailbox, "
        "somebody keys them into SAP, then we pay on the due date")
    assert [s.name for s in requirement.steps] == ["Receive invoices", "Enter into SAP", "Pay on due date"]


def test_a_rule_after_a_step_stays_with_that_step() -> None:
    requirement = analyze_requirements("Issue the quote; quotes are valid 45 days. Then bind the policy.")
    assert [s.name for s in requirement.steps] == ["Issue quote", "Bind policy"]
    assert requirement.steps[0].description.endswith("Quotes are valid 45 days")


def test_possessive_approvers_name_the_approval() -> None:
    requirement = analyze_requirements(
        "Customers apply online. Loans over $25,000 need a credit officer's approval. Then disburse the funds.")
    assert "Credit Officer approval" in [s.name for s in requirement.steps]


def test_objectless_verbs_borrow_the_process_noun() -> None:
    requirement = analyze_requirements(
        "Clinic appointment booking: the patient books online, the receptionist confirms it, the doctor sees "
        "the patient.")
    assert [s.name for s in requirement.steps][:2] == ["Book appointment", "Confirm appointment"]


def _user(*names: str, description: str = "") -> list[RequirementStep]:
    return [RequirementStep(name=n, description=description or n) for n in names]


def test_a_scheduled_process_first_finds_what_is_due() -> None:
    steps = add_implied_steps(_user("Calibrate measuring gauges", "Record results",
                                    description="Calibrate measuring gauges every 6 months"))
    assert [s.name for s in steps] == ["Identify measuring gauges due", "Calibrate measuring gauges", "Record results"]
    assert steps[0].source == "inferred"
    expiring = add_implied_steps(_user("Send renewal offers", "Chase unpaid renewals",
                                       description="Send renewal offers 30 days before policy expiry"))
    assert expiring[0].name == "Identify expiring policies"


def test_an_approved_request_is_carried_out() -> None:
    steps = add_implied_steps(_user("Request refunds", "Agent approval"))
    assert [s.name for s in steps] == ["Request refunds", "Agent approval", "Issue refund"]
    assert add_implied_steps(_user("Submit access requests", "Manager approval"))[-1].name == "Grant access"


def test_nothing_is_implied_when_the_user_already_closed_the_gap() -> None:
    stated = _user("Request refunds", "Agent approval", "Issue the refund")
    assert add_implied_steps(stated) == stated
    unscheduled = _user("Calibrate gauges", "Record results")
    assert add_implied_steps(unscheduled) == unscheduled


def test_template_actions_keep_the_users_own_specifics(library) -> None:
    from process_designer.agents.writer.compose import compose_step
    from process_designer.domain.models import Requirement

    template = library.get("refund-request")
    step = RequirementStep(name="Verify order eligibility",
                           description="Verify the order eligibility the day before shipping")
    requirement = Requirement(text=step.description, title="Refund Request Processing", steps=[step])
    composed = compose_step(step, 1, requirement, [template])
    source = next(s for s in template.document.steps if s.name == "Verify order eligibility")
    assert composed.actions == ["Verify the order eligibility the day before shipping", *source.actions]


def test_a_reminder_before_an_event_follows_the_steps_that_arrange_it(designer) -> None:
    thread = "reminder-before-the-appointment"
    designer.run_turn(thread, "Clinic appointment booking: patient books, receptionist confirms, doctor sees patient.")
    designer.run_turn(thread, "Send an SMS reminder 24 hours before the appointment.")
    document = designer.document(thread)
    assert document is not None
    assert [s.name for s in document.steps] == [
        "Book appointment", "Confirm appointment", "Send SMS reminder", "See patient"]


def test_a_requester_reporting_starts_the_process_with_its_receipt() -> None:
    requirement = analyze_requirements("When someone reports a phishing mail, check it, block sender, warn everyone "
                                       "if it's real.")
    assert [s.name for s in requirement.steps] == [
        "Receive phishing mail report", "Check report", "Block sender", "Warn everyone"]


def test_an_approval_comes_before_releasing_what_it_approves() -> None:
    requirement = analyze_requirements(
        "If the panel agrees we send an offer; offers above the salary band need VP approval.")
    assert [s.name for s in requirement.steps] == ["VP approval", "Send offer"]
    assert requirement.steps[1].depends_on == [1]


def test_a_heading_verb_reaches_every_noun_listed_after_it() -> None:
    requirement = analyze_requirements("Get new engineers set up on their first day: laptop, accounts, buddy.")
    assert [s.name for s in requirement.steps] == ["Set up laptop", "Set up accounts", "Set up buddy"]


def test_a_stated_limit_survives_into_the_document(designer) -> None:
    from process_designer.domain.markdown import render_markdown

    document = designer.design("Get new engineers set up on their first day: laptop, accounts, buddy.")
    assert "Rule stated in the requirements: Get new engineers set up on their first day" in render_markdown(document)


def test_a_requesters_intent_is_the_request_received() -> None:
    requirement = analyze_requirements("customer wants to cancel policy, then calc the refund, then send a "
                                       "confirmation letter")
    assert [s.name for s in requirement.steps] == [
        "Receive cancellation request", "Calculate refund", "Send confirmation letter"]


@pytest.mark.parametrize("text", ["Quarterly tax filing", "Weekly sales report", "Laptop refresh", "Vendor onboarding"])
def test_a_short_english_title_is_designed_not_refused_as_another_language(text: str) -> None:
    requirement = analyze_requirements(text)
    assert requirement.questions == []
    assert len(requirement.steps) >= 2


@pytest.mark.parametrize("text", [
    "Traitement des remboursements", "Gestión de reembolsos para clientes",
    "Rückerstattung der Kunden und Prüfung", "Gestione dei rimborsi dei clienti",
])
def test_short_text_in_another_language_is_still_asked_for_in_english(text: str) -> None:
    assert analyze_requirements(text).questions[0].startswith("I can read requirements in English only")


def test_the_request_the_user_says_arrives_leads_the_template_steps_it_brings() -> None:
    template = load_template(CURATED_TEMPLATES_DIR / "subscription-cancellation.toml")
    requirement = analyze_requirements("Customer wants to cancel their car insurance", templates=[template])
    names = [s.name for s in requirement.steps]
    assert names[0] == "Receive cancellation request"
    assert names[1:] == [s.name for s in template.document.steps]
    assert [s.depends_on for s in requirement.steps[:3]] == [[], [1], [2]]


def test_a_date_before_an_auto_renewal_names_the_items_not_a_word_fragment() -> None:
    requirement = analyze_requirements("Review supplier contracts 90 days before they auto-renew.")
    assert [s.name for s in requirement.steps] == ["Identify expiring supplier contracts", "Review supplier contracts"]


@pytest.mark.parametrize(("text", "unwanted"), [
    ("Handle a data breach", "data-subject-request"),  # a breach is not a subject's access request
    ("Laptop refresh for engineers every 3 years", "employee-onboarding"),
])
def test_a_loosely_related_template_does_not_stand_in_for_a_short_request(
    designer: Designer, text: str, unwanted: str
) -> None:
    assert unwanted not in [t.id for t in designer.deps.templates_for(text)]


def test_a_close_template_still_fills_in_a_short_request(designer: Designer) -> None:
    assert [t.id for t in designer.deps.templates_for("Handle refund requests")][:1] == ["refund-request"]
