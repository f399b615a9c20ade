"""How the offline analyst reads requirement text: performers from the parse, steps that are actions,
and the control flow the text gives (decisions with their branches, parallel work, loops)."""

from __future__ import annotations

import pytest

from process_designer.agents.analyst.offline import analyze_requirements
from process_designer.domain.models import Requirement
from process_designer.knowledge import CURATED_TEMPLATES_DIR
from process_designer.knowledge.template_model import load_template

CLAIMS = (
    "Handling of household contents claims. When a claim arrives at the regional office it is registered in "
    "ClaimCenter by the intake team and a file number is assigned. The claim is then examined by a claims officer, "
    "who compares the loss with the policy wording. A recommendation is written by the claims officer. The "
    "recommendation is checked by a senior claims officer. If the claim is marked Not OK it is sent back to the "
    "claims officer and the recommendation is repeated; if it is marked OK, payment is authorised by the senior "
    "claims officer. Payments are made by the finance department, and a settlement letter is sent to the "
    "policyholder by the intake team. Around one claim in ten is returned at least once."
)


def _read(text: str) -> Requirement:
    requirement = analyze_requirements(text)
    assert requirement.steps, requirement.questions
    return requirement


def _named(requirement: Requirement) -> list[tuple[str, str | None]]:
    return [(s.name, s.actor) for s in requirement.steps]


def test_passive_agents_name_the_performer_and_the_step_is_the_action() -> None:
    requirement = _read(CLAIMS)
    named = _named(requirement)
    assert ("Register claim", "Intake Team") in named
    assert ("Examine claim", "Claims Officer") in named
    assert ("Check recommendation", "Senior Claims Officer") in named
    assert ("Make payment", "Finance Department") in named
    assert ("Send settlement letter", "Intake Team") in named
    assert requirement.steps[0].name == "Receive claim"  # what arrives is received first
    assert all(s.performer_source == "stated" for s in requirement.steps[1:])
    # the relative clause says how the officer examines; the statistic is context
    assert not any("compare" in s.name.lower() or "return" in s.name.lower() for s in requirement.steps)
    assert requirement.title == "Household Contents Claims Processing"


def test_a_check_marked_not_ok_loops_back_to_the_work_it_checks() -> None:
    requirement = _read(CLAIMS)
    flow = requirement.flow
    assert not flow.problems()
    number = {s.name: n for n, s in enumerate(requirement.steps, start=1)}
    gateway = flow.gateway_after(number["Check recommendation"])
    assert gateway is not None and gateway.kind == "exclusive"
    targets = {flow.node(e.target).step for e in flow.outgoing(gateway.id)}
    assert targets == {number["Write recommendation"], number["Authorise payment"]}
    assert any(flow.is_loop(e) for e in flow.outgoing(gateway.id))


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        ("The room-service manager takes down the order. The waiter readies a cart and the chef prepares the meal.",
         [("Take down order", "Room-service Manager"), ("Ready cart", "Waiter"), ("Prepare meal", "Chef")]),
        ("The employee reports the lost laptop to IT. IT remotely wipes it. Security assesses the data exposure.",
         [("Report lost laptop", "Employee"), ("Wipe lost laptop", "IT"), ("Assess data exposure", "Security")]),
        ("The GO examines the application. Then he writes a decision letter.",
         [("Examine application", "GO"), ("Write decision letter", "GO")]),
        ("I am the store manager. I count the stock every Monday and then I order from the supplier.",
         [("Count stock", "Store Manager"), ("Order from supplier", "Store Manager")]),
        ("The payroll clerk is responsible for checking the timesheets.",
         [("Check timesheet", "Payroll Clerk")]),
    ],
)
def test_performers_come_from_subjects_pronouns_narrators_and_responsibility(
        text: str, pairs: list[tuple[str, str]]) -> None:
    requirement = analyze_requirements(text + " The supervisor signs the report.")
    named = _named(requirement)
    for name, role in pairs:
        assert (name, role) in named, named


def test_if_otherwise_is_a_two_way_decision_and_in_parallel_splits() -> None:
    requirement = _read(
        "If the amount is over 10000 the CFO approves, otherwise the team lead approves; procurement then orders "
        "from the vendor and, in parallel, finance reserves the budget.")
    flow = requirement.flow
    actors = [s.actor for s in requirement.steps]
    assert actors[:2] == ["CFO", "Team Lead"]
    decision = next(g for g in flow.gateways if g.kind == "exclusive")
    edges = flow.outgoing(decision.id)
    assert len(edges) == 2 and any(e.default for e in edges)
    assert any(r.subject == "amount" and r.operator == ">" and r.value == 10000 for e in edges for r in e.rules)
    split = next(g for g in flow.gateways if g.kind == "parallel" and flow.is_split(g.id))
    assert {flow.node(e.target).step for e in flow.outgoing(split.id)} == {3, 4}
    # a small amount never reaches the CFO
    assert 1 not in flow.simulate({"amount": 1200}).visited
    assert 1 in flow.simulate({"amount": 20000}).visited
    assert not flow.problems()


def test_tiers_make_one_decision_with_a_branch_each() -> None:
    requirement = _read(
        "Requests up to $2,500 are approved by the team lead; between $2,500 and $25,000 the director approves; "
        "above $25,000 the CFO signs off. Procurement then places the order.")
    flow = requirement.flow
    exclusive = [g for g in flow.gateways if g.kind == "exclusive"]
    assert len(exclusive) == 1
    assert len(flow.outgoing(exclusive[0].id)) == 3
    by_actor = {s.actor: n for n, s in enumerate(requirement.steps, start=1)}
    assert by_actor["Director"] in flow.simulate({"amount": 10000}).visited
    assert by_actor["CFO"] not in flow.simulate({"amount": 10000}).visited


def test_either_or_outcomes_become_a_decision_and_a_rejection_ends() -> None:
    requirement = _read("The GO examines the application. The GO rejects the application or confirms it. "
                        "The clerk archives the file.")
    flow = requirement.flow
    decision = next(g for g in flow.gateways if g.kind == "exclusive")
    targets = [flow.node(e.target) for e in flow.outgoing(decision.id)]
    assert {t.label for t in targets if t.kind == "task"} >= {"Reject application"}
    reject = next(n for n, s in enumerate(requirement.steps, start=1) if s.name == "Reject application")
    after = flow.outgoing(flow.task(reject).id)  # type: ignore[union-attr]
    assert [flow.node(e.target).kind for e in after] == ["end"]


def test_until_makes_a_loop_with_its_exit() -> None:
    requirement = _read("The applicant submits the form. The clerk checks the form until it is complete. "
                        "The manager approves the application.")
    flow = requirement.flow
    loops = [e for e in flow.edges if flow.is_loop(e)]
    assert loops and not flow.problems()


def test_unnamed_performers_are_assumed_and_asked_about() -> None:
    requirement = _read("The invoice is received. It is matched against the purchase order. The invoice is paid.")
    assert all(s.performer_source == "assumed" for s in requirement.steps)
    assert requirement.open_questions
    assert any("Who performs" in q for q in requirement.open_questions)


def test_a_condition_without_an_alternative_goes_on_and_says_so() -> None:
    requirement = _read("The buyer raises the order. If the amount is over 5000 the finance director approves it. "
                        "The buyer sends the order to the vendor.")
    decision = next(g for g in requirement.flow.gateways if g.kind == "exclusive")
    edges = requirement.flow.outgoing(decision.id)
    assert len(edges) == 2
    assert {requirement.flow.node(e.target).label for e in edges} == {"Approve order", "Send order"}
    assert any("does not hold" in q for q in requirement.open_questions)


def test_a_short_request_is_drafted_from_the_template_and_says_so() -> None:
    template = load_template(CURATED_TEMPLATES_DIR / "refund-request.toml")
    requirement = analyze_requirements("refund requests", templates=[template])
    assert len(requirement.steps) >= 3
    assert all(s.performer_source == "template" for s in requirement.steps)
    assert requirement.flow.nodes and not requirement.flow.problems()
    assert any("template" in q for q in requirement.open_questions)


def test_statistics_and_descriptions_are_context_not_steps() -> None:
    requirement = _read("Underwriters act as financial midwives for the deal. About 30% of applications are "
                        "declined. The underwriter reviews the application. The broker informs the client.")
    assert [s.name for s in requirement.steps] == ["Review application", "Inform client"]


def test_telegraphic_list_lines_without_verbs_are_steps() -> None:
    requirement = _read("New hire setup:\n- manager approval\n- background check\n- laptop provisioning by IT")
    names = [s.name for s in requirement.steps]
    assert names[0].startswith("Approve") and requirement.steps[0].actor == "Manager"
    assert names[1] == "Check background"
    assert requirement.title == "New Hire Setup"


def test_non_english_and_empty_text_ask_instead_of_guessing() -> None:
    assert analyze_requirements("").questions
    assert analyze_requirements("Le client envoie la demande et le gestionnaire la valide pour nous").questions
    assert not analyze_requirements("Le client envoie la demande").steps
