"""Classes of sentences the offline analyst reads into steps: one test per class, each with a sentence
of that class (thresholds written as figures, tiered approvals, work passed to a role, results that are
created, passive agents the lexicon does not know, times that are not objects, verbs tagged as nouns)."""

from __future__ import annotations

from tests.designer.test_analyst_reading import _named, _read


def test_a_threshold_written_as_a_percentage_is_a_condition_not_a_statistic() -> None:
    requirement = _read("The buyer raises the requisition. Between 15 and 30% over budget the controller has to "
                        "approve it. The buyer orders the goods.")
    named = _named(requirement)
    assert ("Approve requisition", "Controller") in named, named
    assert requirement.flow.gateways, "the threshold decides whether the controller approves"


def test_each_needed_approval_keeps_its_own_threshold() -> None:
    requirement = _read("Staff submit expense claims. Anything over $500 needs their manager's OK, anything over "
                        "$5,000 also needs the CFO.")
    approvals = [s for s in requirement.steps if s.name.startswith("Approve")]
    assert [s.actor for s in approvals] == ["Manager", "CFO"], _named(requirement)
    assert all(s.name.startswith("Approve expense claim as ") for s in approvals), _named(requirement)  # "OK" is no verb
    flow = requirement.flow
    by_actor = {s.actor: n for n, s in enumerate(requirement.steps, start=1)}
    assert by_actor["CFO"] not in flow.simulate({"amount": 1000}).visited


def test_work_passed_to_a_role_above_a_threshold_is_that_roles_approval() -> None:
    requirement = _read("The planner drafts the budget. Anything beyond $50,000 goes to the finance director. "
                        "The planner publishes the budget.")
    assert ("Approve budget", "Finance Director") in _named(requirement)


def test_work_passed_to_a_level_is_an_escalation() -> None:
    requirement = _read("An agent answers the ticket. Hard cases go to tier 2.")
    assert any(s.name == "Escalate hard case to Tier 2" for s in requirement.steps), _named(requirement)


def test_a_thing_turned_into_another_creates_it() -> None:
    requirement = _read("The rep builds the quote. Signed quotes are turned into a sales order in NetSuite.")
    assert requirement.steps[-1].name == "Create sales order", _named(requirement)


def test_a_passive_agent_acts_even_when_the_lexicon_does_not_know_it() -> None:
    requirement = _read("The claim is checked by court staff. Accepted claims are issued by the court and served "
                        "on the defendant by post.")
    named = _named(requirement)
    assert ("Issue accepted claim", "Court") in named, named
    assert ("Serve accepted claim", "Court") in named, named  # "serve" with a thing served is an action


def test_a_time_is_not_what_a_step_acts_on() -> None:
    requirement = _read("The nurse records the dose in the register. If the count is wrong the pharmacist "
                        "investigates the same day.")
    assert not any("day" in s.name.lower() for s in requirement.steps), _named(requirement)


def test_a_verb_tagged_as_a_noun_after_a_department_keeps_its_own_object() -> None:
    requirement = _read("The account executive drafts the order form, legal reviews non-standard terms, finance "
                        "checks the payment terms.")
    named = _named(requirement)
    assert ("Review non-standard term", "Legal") in named, named


def test_the_language_layer_reads_systems_from_its_own_data() -> None:
    import ast
    from pathlib import Path

    import process_designer.language as language
    from process_designer.language.systems import SYSTEM_LABELS, detect_systems

    assert detect_systems("Sync accounts payable from Salesforce into NetSuite") == ["crm", "erp"]
    assert SYSTEM_LABELS["crm"] == "CRM"
    for path in Path(language.__file__).parent.glob("*.py"):
        imported = [node.module or "" for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.ImportFrom)]
        assert not any(m.startswith("process_designer.agents") for m in imported), path.name


def test_routing_beside_an_approval_is_the_next_tier_of_approval() -> None:
    requirement = _read("Customers ask for refunds; under $100 agents approve, above goes to the team lead.")
    named = _named(requirement)
    assert ("Approve refund as team lead", "Team Lead") in named, named


def test_a_title_over_notes_names_the_process_and_is_no_step() -> None:
    requirement = _read("Loan approvals - notes from the credit meeting (draft)\n"
                        "- officer checks the income\n- manager signs the loan")
    assert [s.name for s in requirement.steps] == ["Check income", "Sign loan"], _named(requirement)
    assert requirement.title.startswith("Loan Approvals")


def test_a_line_labelled_with_a_state_is_the_condition_of_its_step() -> None:
    requirement = _read("- officer checks the application\n- granted: officer adds the visa to the records\n"
                        "- refused: officer informs the applicant")
    assert [s.name for s in requirement.steps] == ["Check application", "Add visa", "Inform applicant"], \
        _named(requirement)
    assert [g for g in requirement.flow.gateways if g.kind == "exclusive"]


def test_a_passive_without_its_auxiliary_in_notes_is_a_step() -> None:
    requirement = _read("- every order scored by Signifyd at checkout\n- analyst reviews the order")
    assert requirement.steps[0].name == "Score order" and requirement.steps[0].actor == "Signifyd", \
        _named(requirement)


def test_a_verb_the_parser_joins_to_a_noun_is_still_a_step() -> None:
    requirement = _read("The clerk checks the order. If approved, buyer converts requisition to PO and sends it to "
                        "the vendor.")
    assert any(s.name.startswith("Send") and s.actor == "Buyer" for s in requirement.steps), _named(requirement)


def test_work_passed_to_a_role_that_acts_in_a_relative_clause_is_that_roles_step_only() -> None:
    requirement = _read("The officer checks the file. If nothing turns up within five days, the file passes to the "
                        "central baggage team, who send the passenger a property questionnaire.")
    named = _named(requirement)
    assert ("Send property questionnaire", "Central Baggage Team") in named, named
    assert not any(s.name.startswith(("Escalate", "Approve")) for s in requirement.steps), named


def test_a_verb_read_as_a_noun_takes_the_noun_phrase_after_it() -> None:
    requirement = _read("- release manager cuts release branch from main\n- QA tests the build")
    assert ("Cut release branch", "Release Manager") in _named(requirement), _named(requirement)


def test_a_list_line_opening_with_a_verb_is_a_command() -> None:
    requirement = _read("Nightly load:\n1. Land raw files in S3.\n2. Screen the records against the rules.\n"
                        "3. Publish the tables.")
    names = [s.name for s in requirement.steps]
    assert names[:2] == ["Land raw file", "Screen record"], names
    assert not any("please" in s.description.lower() for s in requirement.steps)


def test_a_support_verb_with_a_noun_of_action_acts_on_the_nouns_object_not_its_system() -> None:
    requirement = _read("Account opening:\n1. Run identity verification with Onfido.\n2. Run dbt transformations.\n"
                        "3. Open the account.")
    names = [s.name for s in requirement.steps]
    assert names[:2] == ["Verify identity", "Run transformation"], names


def test_a_list_line_opening_with_a_system_name_is_no_command() -> None:
    requirement = _read("Major incidents:\n1. PagerDuty pages the on-call engineer.\n2. The engineer restores service.")
    assert requirement.steps[0].name == "Page on-call engineer", _named(requirement)


def test_a_step_without_an_object_is_named_by_where_it_goes() -> None:
    requirement = _read("Shipping:\n1. Pick the order.\n2. Book the carrier: pallets over 500 kg go by freight forwarder, "
                        "parcels by UPS.\n3. Hand over to the carrier before the cut-off.")
    names = [s.name for s in requirement.steps]
    assert "Book carrier" in names and "Hand over to Carrier" in names, names


def test_an_opening_that_says_who_owns_the_process_names_its_owner_and_topic_and_is_no_step() -> None:
    requirement = _read("The registrar's office is responsible for processing student transfers. The student "
                        "fills in the transfer form and the registrar checks the credits.")
    assert requirement.owner == "Registrar's Office"
    assert "Student Transfer" in requirement.title, requirement.title
    assert [name for name, _ in _named(requirement)] == ["Fill in transfer form", "Check credit"], _named(requirement)


def test_a_role_handling_one_particular_thing_is_a_step_not_an_owner() -> None:
    requirement = _read("The night manager handles the cash count. Then she locks the safe.")
    assert requirement.owner == ""
    assert ("Handle cash count", "Night Manager") in _named(requirement), _named(requirement)
