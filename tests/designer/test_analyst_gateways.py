"""Classes of sentences that place work in the control flow: the gateway each one makes (or does not make),
one test per class — the event that opens a process, markers of parallel work wherever the parser hangs
them, work sent back under a state of what is sent, what a sentence says after an outcome or a send-back,
waiting until something holds, and time clauses that restate work already read."""

from __future__ import annotations

from process_designer.domain.flow import ProcessFlow
from process_designer.domain.models import Requirement
from tests.designer.test_analyst_reading import _named, _read


def _number(requirement: Requirement, name: str) -> int:
    numbers = [n for n, s in enumerate(requirement.steps, start=1) if s.name == name]
    assert numbers, (name, _named(requirement))
    return numbers[0]


def _split_targets(flow: ProcessFlow) -> list[set[int | None]]:
    """The steps each parallel split starts, one set per split."""
    return [{flow.node(e.target).step for e in flow.outgoing(g.id)}
            for g in flow.gateways if g.kind == "parallel" and flow.is_split(g.id)]


def _decision_after(requirement: Requirement, name: str) -> tuple[ProcessFlow, str]:
    flow = requirement.flow
    gateway = flow.gateway_after(_number(requirement, name))
    assert gateway is not None and gateway.kind == "exclusive", (name, _named(requirement))
    return flow, gateway.id


def test_a_condition_on_the_first_work_with_no_alternative_is_the_trigger_not_a_decision() -> None:
    requirement = _read("When housekeeping spots a fault in a guest room they log it in the property management "
                        "system. The maintenance supervisor assigns a technician. If the room cannot be fixed the "
                        "same day, the front desk moves the guest to another room. The technician marks the job done.")
    exclusive = [g for g in requirement.flow.gateways if g.kind == "exclusive"]
    assert len(exclusive) == 1, _named(requirement)  # only "cannot be fixed the same day" decides
    flow, gateway = _decision_after(requirement, "Assign technician")
    assert gateway == exclusive[0].id
    assert not flow.problems()


def test_a_sentence_that_opens_with_at_the_same_time_is_parallel_to_the_work_before() -> None:
    requirement = _read("The employee reports the loss to us. IT then remotely wipes the device through Intune. At "
                        "the same time, security assesses the data exposure: what was on the phone, whether it was "
                        "encrypted, which mailboxes and files it could reach. The DPO then decides whether the "
                        "regulator must be notified.")
    wipe, assess = _number(requirement, "Wipe device"), _number(requirement, "Assess data exposure")
    assert {wipe, assess} in _split_targets(requirement.flow), _named(requirement)


def test_a_while_clause_after_its_main_clause_runs_beside_it() -> None:
    requirement = _read("The team assesses the hazard. The communications lead then prepares the consumer notice "
                        "while the logistics manager arranges collection of stock from stores. Returned stock is "
                        "counted against dispatch records.")
    notice, collection = _number(requirement, "Prepare consumer notice"), _number(requirement, "Arrange collection")
    assert {notice, collection} in _split_targets(requirement.flow), _named(requirement)
    assert not any(_number(requirement, "Assess hazard") in t for t in _split_targets(requirement.flow))


def test_clauses_of_other_performers_joined_to_parallel_work_are_branches_of_their_own() -> None:
    requirement = _read("Lit counsel issues the hold notice to every custodian. In parallel, IT places the "
                        "custodians' mailboxes on hold, and the RIM team suspends the deletion schedules. Lit "
                        "counsel then confirms the hold.")
    branches = {_number(requirement, n) for n in ("Issue hold notice", "Place mailbox", "Suspend deletion schedule")}
    assert branches in _split_targets(requirement.flow), _named(requirement)
    assert ("Place mailbox", "IT") in _named(requirement)  # the marker is no part of the performer


def test_at_the_same_time_between_commas_joins_the_clause_after_it() -> None:
    requirement = _read("The change is approved by the engineering manager. The drawings are then updated by design "
                        "engineering and, at the same time, the affected stock is moved by materials planning. The "
                        "first parts are inspected by quality.")
    drawings, stock = _number(requirement, "Update drawing"), _number(requirement, "Move affected stock")
    assert {drawings, stock} in _split_targets(requirement.flow), _named(requirement)


def test_work_sent_back_under_a_state_of_its_subject_is_a_decision_that_loops() -> None:
    requirement = _read("A change request is raised by an engineer in Windchill and is reviewed by the change "
                        "coordinator for completeness. Incomplete requests are returned to the originator for "
                        "rework. The impact is assessed by the change board.")
    flow, gateway = _decision_after(requirement, "Review change request")
    edges = flow.outgoing(gateway)
    loops = [e for e in edges if flow.is_loop(e)]
    assert len(edges) == 2 and len(loops) == 1, _named(requirement)
    assert flow.node(loops[0].target).step == _number(requirement, "Raise change request")
    assert "incomplete" in (loops[0].condition or "").lower()
    assert not any(s.name.startswith("Return") for s in requirement.steps)


def test_what_a_send_back_sentence_says_next_happens_on_the_way_back() -> None:
    requirement = _read("Employees upload receipts in Expensify. Their line manager approves. Finance checks the "
                        "receipts against policy; out-of-policy receipts get sent back to the employee to fix. "
                        "Approved claims are paid with the next payroll run.")
    flow, gateway = _decision_after(requirement, "Check receipt")
    fix = next(s for s in requirement.steps if s.name.startswith("Fix"))
    fix_number = requirement.steps.index(fix) + 1
    targets = {flow.node(e.target).step for e in flow.outgoing(gateway)}
    assert targets == {fix_number, _number(requirement, "Pay approved claim")}, _named(requirement)
    after_fix = flow.outgoing(flow.task(fix_number).id)  # type: ignore[union-attr]
    assert [flow.node(e.target).step for e in after_fix] == [_number(requirement, "Upload receipt")]


def test_a_rejection_followed_by_a_fix_and_resubmission_loops_instead_of_ending() -> None:
    requirement = _read("After the trip I submit the report in Expensify. My manager approves it, or rejects it "
                        "with a comment and I fix it and resubmit. Finance audits the report. Payroll reimburses me.")
    flow = requirement.flow
    fix = _number(requirement, "Fix report")
    after_fix = flow.outgoing(flow.task(fix).id)  # type: ignore[union-attr]
    assert [flow.node(e.target).step for e in after_fix] == [_number(requirement, "Submit report")], _named(requirement)
    assert all(e.label == "End" for e in flow.ends), [e.label for e in flow.ends]  # the rejection does not end it
    assert not flow.problems()


def test_a_failed_check_that_goes_back_to_a_role_loops_to_that_roles_work() -> None:
    requirement = _read("The vendor runs the test and delivers the report. Owning teams remediate the findings; "
                        "findings are retested by the vendor, and a failed retest goes back to the owning team. "
                        "The CISO signs off the final report.")
    flow = requirement.flow
    loops = [e for e in flow.edges if flow.is_loop(e)]
    assert len(loops) == 1, _named(requirement)
    assert flow.node(loops[0].target).step == _number(requirement, "Remediate finding")


def test_holding_until_something_is_fixed_is_a_wait_not_a_loop() -> None:
    requirement = _read("I log each sample in the LIMS and check the form. If the form is incomplete I call the "
                        "clinic and hold the sample until they fix it. Then I split the sample.")
    flow = requirement.flow
    assert not any(flow.is_loop(e) for e in flow.edges), _named(requirement)
    assert len([g for g in flow.gateways if g.kind == "exclusive"]) == 1


def test_a_time_clause_joined_to_another_restates_work_already_read() -> None:
    requirement = _read("IT wipes the device. At the same time, security assesses the data exposure. Once the "
                        "wipe is done and security has finished its assessment, the DPO decides whether the "
                        "regulator must be notified.")
    assert not any(s.name.startswith("Finish") for s in requirement.steps), _named(requirement)


def test_a_choice_with_an_option_that_stops_the_case_is_a_decision_after_it() -> None:
    requirement = _read("The lease administrator pulls the expiring leases from Yardi. The asset manager decides "
                        "whether to renew, renegotiate or let the lease lapse. The administrator sends the tenant a "
                        "renewal proposal.")
    flow, gateway = _decision_after(requirement, "Decide whether to renew")
    targets = [flow.node(e.target) for e in flow.outgoing(gateway)]
    assert {t.kind for t in targets} == {"end", "task"}, _named(requirement)
    assert next(t for t in targets if t.kind == "task").step == _number(requirement, "Send renewal proposal")


def test_options_read_as_clauses_of_their_own_are_the_branches_of_the_choice() -> None:
    requirement = _read("The underwriter studies the risk. The underwriter prices the risk with the rating model and "
                        "decides whether to quote, to quote with conditions such as sprinkler upgrades, or to "
                        "decline. The broker negotiates on the client's behalf.")
    flow, gateway = _decision_after(requirement, "Decide whether to quote")
    negotiate = _number(requirement, "Negotiate on behalf")
    edges = flow.outgoing(gateway)
    assert len(edges) == 3, _named(requirement)
    assert any(flow.node(e.target).step == negotiate for e in edges)  # quoting as it is goes straight on
    declined = next(s for s in requirement.steps if s.name.startswith("Decline"))
    after = flow.outgoing(flow.task(requirement.steps.index(declined) + 1).id)  # type: ignore[union-attr]
    assert [flow.node(e.target).kind for e in after] == ["end"]
    assert not flow.problems()


def test_work_that_goes_on_only_with_consent_ends_the_case_without_it() -> None:
    requirement = _read("The research nurse gives the participant the information sheet. If the participant agrees "
                        "to take part, the investigator takes informed consent. The nurse runs the screening tests.")
    flow, gateway = _decision_after(requirement, "Give information sheet")
    targets = [flow.node(e.target) for e in flow.outgoing(gateway)]
    assert [t.kind for t in targets] == ["task", "end"], _named(requirement)
    assert targets[0].step == _number(requirement, "Take informed consent")
    assert any("ends the case" in q for q in requirement.open_questions)


def test_work_referred_back_to_someone_outside_the_process_is_no_loop() -> None:
    requirement = _read("The radiology scheduler books the scan. A radiographer screens the patient for metal "
                        "implants; patients with a pacemaker are referred back to the consultant. The radiographer "
                        "performs the scan.")
    flow = requirement.flow
    assert not any(flow.is_loop(e) for e in flow.edges), _named(requirement)
    flow, gateway = _decision_after(requirement, "Screen patient")
    assert len(flow.outgoing(gateway)) == 2


def test_work_done_after_a_decision_is_no_option_of_it() -> None:
    requirement = _read("The grievance meeting is held with the employee. The outcome is decided by the "
                        "investigating manager and confirmed to the employee in writing. HR files the record.")
    assert not [g for g in requirement.flow.gateways if g.kind == "exclusive"], _named(requirement)


def test_work_said_to_come_before_work_already_read_moves_in_front_of_it() -> None:
    requirement = _read("Before a trip I book flights and hotel through Navan; anything over the policy cap needs my "
                        "manager's approval in Navan before it can be booked. After the trip I submit the report.")
    approve, book = _number(requirement, "Approve flight"), _number(requirement, "Book flight")
    assert approve < book, _named(requirement)
    gateway = next(g for g in requirement.flow.gateways if g.kind == "exclusive")
    targets = {requirement.flow.node(e.target).step for e in requirement.flow.outgoing(gateway.id)}
    assert targets == {approve, book}  # the threshold still decides whether the manager approves


def test_work_done_on_acceptance_is_conditional_on_it() -> None:
    requirement = _read("Underwriting:\n1. Rate the risk using the rating engine.\n2. Issue the quote.\n"
                        "3. On acceptance, bind the policy.\n4. Send the documents.")
    flow, gateway = _decision_after(requirement, "Issue quote")
    targets = [flow.node(e.target) for e in flow.outgoing(gateway)]
    assert [t.kind for t in targets] == ["task", "end"], _named(requirement)
    assert targets[0].step == _number(requirement, "Bind policy")


def test_a_limit_on_the_first_work_is_a_decision_not_the_event_that_starts_the_process() -> None:
    requirement = _read("Sales discount approval: the account executive drafts the quote in the CRM, a discount above "
                        "15% needs sales director approval, finance checks the margin, then the quote is sent to the "
                        "customer")
    labels = [n.label for n in requirement.flow.nodes if n.kind == "exclusive"]
    assert labels == ["Above 15%?"], _named(requirement)
    approval = _number(requirement, "Approve discount")
    assert approval not in requirement.flow.simulate({"percent": 10}).visited
    assert approval in requirement.flow.simulate({"percent": 20}).visited


def test_notes_with_arrows_from_an_outcome_decide_and_a_bare_back_sends_the_work_back() -> None:
    requirement = _read("Supplier onboarding notes\nProcurement checks the bank details.\n"
                        "incomplete -> back to supplier\nok -> finance creates the vendor record\n"
                        "Procurement sends the welcome pack.")
    flow, gateway = _decision_after(requirement, "Check bank detail")
    edges = flow.outgoing(gateway)
    loops = [e for e in edges if flow.is_loop(e)]
    assert len(edges) == 2 and len(loops) == 1, _named(requirement)
    assert "incomplete" in (loops[0].condition or "").lower()
    onward = next(e for e in edges if e is not loops[0])
    assert flow.node(onward.target).step == _number(requirement, "Create vendor record")


def _visited(requirement: Requirement, case: dict[str, float]) -> set[int | None]:
    return set(requirement.flow.simulate(case).visited)


def _done_by(requirement: Requirement, actor: str) -> int:
    numbers = [n for n, s in enumerate(requirement.steps, start=1) if s.actor == actor]
    assert numbers, (actor, _named(requirement))
    return numbers[0]


def test_three_tiers_of_a_figure_are_one_decision_and_an_automatic_tier_has_no_work() -> None:
    requirement = _read("Buyers raise purchase orders in Coupa. Orders under 2k are approved automatically, 2k to "
                        "20k need the department head, above 20k the finance director approves. The buyer sends "
                        "the order to the supplier.")
    gateway = next(g for g in requirement.flow.gateways if g.kind == "exclusive")
    assert len(requirement.flow.outgoing(gateway.id)) == 3, _named(requirement)
    head, director = _done_by(requirement, "Department Head"), _done_by(requirement, "Finance Director")
    assert not any(s.actor is None and s.name.startswith("Approve") for s in requirement.steps)
    assert {head, director} & _visited(requirement, {"value": 500}) == set()
    assert head in _visited(requirement, {"value": 5000}) and director not in _visited(requirement, {"value": 5000})
    assert director in _visited(requirement, {"value": 50000}) and head not in _visited(requirement, {"value": 50000})
    assert not requirement.flow.problems()


def test_a_higher_tier_that_also_needs_someone_decides_after_the_lower_tiers_work() -> None:
    requirement = _read("Engineers submit travel requests in Concur. Anything over $1,000 needs their team lead's "
                        "approval, and anything over $8,000 also needs the VP. The travel desk books the trip.")
    lead, vp = _done_by(requirement, "Team Lead"), _done_by(requirement, "VP")
    book = _number(requirement, "Book trip")
    assert {lead, vp} & _visited(requirement, {"amount": 300}) == set(), _named(requirement)
    assert book in _visited(requirement, {"amount": 300})
    assert lead in _visited(requirement, {"amount": 3000}) and vp not in _visited(requirement, {"amount": 3000})
    assert {lead, vp, book} <= _visited(requirement, {"amount": 9000})
    assert not requirement.flow.problems()


def test_a_condition_in_brackets_is_a_clause_of_its_own_where_it_stands() -> None:
    requirement = _read("Tenants submit repair requests on the portal. The coordinator checks the request has photos "
                        "(if not, send it back to the tenant). The contractor visits the flat.")
    flow, gateway = _decision_after(requirement, "Check request")
    edges = flow.outgoing(gateway)
    loops = [e for e in edges if flow.is_loop(e)]
    assert len(edges) == 2 and len(loops) == 1, _named(requirement)
    assert flow.node(loops[0].target).step == _number(requirement, "Submit repair request")
    onward = next(e for e in edges if e is not loops[0])
    assert flow.node(onward.target).step == _number(requirement, "Visit flat")


def test_a_yes_or_no_condition_is_about_what_the_work_before_it_checked() -> None:
    requirement = _read("The agent verifies that the caller is the account holder; if not, the agent ends the call. "
                        "The agent updates the address.")
    flow = requirement.flow
    gateway = next(g for g in flow.gateways if g.kind == "exclusive")
    assert flow.gateway_after(1) == gateway, _named(requirement)
    labels = {e.condition for e in flow.outgoing(gateway.id)}
    assert "caller is not the account holder" in labels, labels
    requirement = _read("The clerk registers the invoice. The manager approves the invoice unless the supplier is "
                        "blocked. The clerk pays the invoice.")
    assert "Supplier is not blocked?" in [g.label for g in requirement.flow.gateways], _named(requirement)
    requirement = _read("The registrar checks the enrolment form (if not, it goes back to the student). The "
                        "registrar enrols the student.")
    flow, gateway = _decision_after(requirement, "Check enrolment form")
    assert {e.condition for e in flow.outgoing(gateway)} == {"check enrolment form failed", "otherwise"}


def test_a_sentence_saying_work_already_read_runs_at_the_same_time_splits_and_joins_it() -> None:
    requirement = _read("The landlord accepts the tenant. The agent runs the credit check, the assistant collects "
                        "the references, and the agent signs the lease. The credit check and the references can "
                        "happen at the same time.")
    check, references = _number(requirement, "Run credit check"), _number(requirement, "Collect reference")
    assert {check, references} in _split_targets(requirement.flow), _named(requirement)
    flow = requirement.flow
    join = next(g for g in flow.gateways if g.kind == "parallel" and not flow.is_split(g.id))
    assert [flow.node(e.target).step for e in flow.outgoing(join.id)] == [_number(requirement, "Sign lease")]
    assert len(requirement.steps) == 4


def test_a_rule_stated_after_the_steps_decides_where_its_case_is_checked() -> None:
    requirement = _read("Members submit mileage claims with a route map in the portal. The office manager approves "
                        "each claim. Payroll verifies the mileage against the route map and pays the claim in the "
                        "monthly run. Claims older than 90 days are refused.")
    flow, gateway = _decision_after(requirement, "Verify mileage")
    targets = [flow.node(e.target) for e in flow.outgoing(gateway)]
    assert {t.kind for t in targets} == {"end", "task"}, _named(requirement)
    assert next(t for t in targets if t.kind == "task").step == _number(requirement, "Pay claim")
    assert flow.gateway_after(_number(requirement, "Pay claim")) is None  # not after the last step
    requirement = _read("Dental check-ups: the patient books online, reception verifies the insurance cover the day "
                        "before, the hygienist cleans the teeth, then the dentist examines the patient. If the "
                        "insurance is not valid the patient is asked to pay in advance.")
    _decision_after(requirement, "Verify insurance cover")


def test_a_figure_parsed_as_a_second_subject_is_still_the_clauses_limit() -> None:
    requirement = _read("Engineers book training courses with receipts in Coupa. Anything over $2,000 needs their "
                        "director's OK, anything over $9,000 also needs the COO. HR books the course.")
    director = _done_by(requirement, "Director")
    assert director not in _visited(requirement, {"amount": 500}), _named(requirement)
    assert director in _visited(requirement, {"amount": 3000})


def test_a_list_of_three_outcomes_is_one_decision_with_three_branches() -> None:
    requirement = _read("The planner drafts the schedule. The site manager accepts it, rejects it, or asks for it to "
                        "be re-planned. The planner publishes the schedule.")
    flow, gateway = _decision_after(requirement, "Draft schedule")
    targets = [flow.node(e.target) for e in flow.outgoing(gateway)]
    assert len(targets) == 3, _named(requirement)
    assert {t.step for t in targets} == {n for n, s in enumerate(requirement.steps, 1) if s.actor == "Site Manager"}
    asked = next(t for t in targets if t.step is not None and requirement.steps[t.step - 1].name.startswith("Ask"))
    after = flow.outgoing(asked.id)
    assert [flow.node(e.target).step for e in after] == [_number(requirement, "Draft schedule")]  # re-planned: back
    assert not flow.problems()


def test_work_done_meanwhile_runs_beside_the_other_performers_work_of_the_sentence_before() -> None:
    requirement = _read("The office manager sets up the payroll record. The IT technician creates the accounts and "
                        "configures a laptop. Meanwhile the team lead picks a mentor and books the intro meetings. "
                        "The office manager gives the welcome talk.")
    flow = requirement.flow
    accounts, laptop = _number(requirement, "Create account"), _number(requirement, "Configure laptop")
    mentor, meetings = _number(requirement, "Pick mentor"), _number(requirement, "Book intro meeting")
    assert {accounts, mentor} in _split_targets(flow), _named(requirement)
    assert [flow.node(e.target).step for e in flow.outgoing(flow.task(accounts).id)] == [laptop]  # type: ignore[union-attr]
    assert [flow.node(e.target).step for e in flow.outgoing(flow.task(mentor).id)] == [meetings]  # type: ignore[union-attr]
    join = next(g for g in flow.gateways if g.kind == "parallel" and not flow.is_split(g.id))
    assert [flow.node(e.target).step for e in flow.outgoing(join.id)] == [_number(requirement, "Give welcome talk")]


def test_a_while_clause_set_apart_by_a_comma_still_puts_the_clause_after_it_beside_the_work() -> None:
    requirement = _read("The host seats the party and the server takes the order. The cooks prepare the dishes. "
                        "While the kitchen is busy, the server sets the table with cutlery, glasses and bread, so "
                        "that nothing is missing later. The server then serves the dishes.")
    table = _number(requirement, "Set table")
    assert any(table in targets and len(targets) == 2 for targets in _split_targets(requirement.flow)), \
        _named(requirement)


def test_a_send_back_offered_as_the_other_outcome_of_a_step_decides_before_that_step() -> None:
    requirement = _read("The painter paints the hallway and uploads photos. The supervisor checks the photos and "
                        "approves the job, or sends them back if the finish is patchy.")
    flow, gateway = _decision_after(requirement, "Check photo")
    edges = flow.outgoing(gateway)
    loops = [e for e in edges if flow.is_loop(e)]
    assert len(edges) == 2 and len(loops) == 1, _named(requirement)
    assert "patchy" in (loops[0].condition or "")
    onward = next(e for e in edges if e is not loops[0])
    assert flow.node(onward.target).step == _number(requirement, "Approve job")
    assert flow.node(loops[0].target).step == _number(requirement, "Upload photo")
    assert not flow.problems()


def test_work_on_what_a_stopping_outcome_left_happens_on_that_branch_before_it_ends() -> None:
    requirement = _read("Suppliers send a registration form. The buyer scores the supplier; suppliers scoring under "
                        "50 points are declined. The buyer creates the vendor record. Declined suppliers receive an "
                        "email from the buyer.")
    flow = requirement.flow
    email = next(n for n, s in enumerate(requirement.steps, 1) if "email" in s.name.lower())
    assert [flow.node(e.target).kind for e in flow.outgoing(flow.task(email).id)] == ["end"], _named(requirement)  # type: ignore[union-attr]
    gateway = flow.gateway_after(_number(requirement, "Score supplier"))
    assert gateway is not None
    assert {flow.node(e.target).step for e in flow.outgoing(gateway.id)} == {email, _number(requirement,
                                                                                             "Create vendor record")}


def test_all_other_cases_after_work_on_a_kind_of_case_decide_between_the_two() -> None:
    requirement = _read("Orders are entered by the sales clerk. Domestic orders are picked by the local warehouse; "
                        "all other orders are shipped by the export partner. The invoice is sent by billing.")
    flow, gateway = _decision_after(requirement, requirement.steps[0].name)  # the orders entered (received)
    targets = {flow.node(e.target).step for e in flow.outgoing(gateway)}
    assert targets == {_number(requirement, "Pick domestic order"), _number(requirement, "Ship other order")}, \
        _named(requirement)
    assert "Domestic orders?" in [g.label for g in flow.gateways]


def test_unless_in_which_case_gives_both_outcomes_of_one_condition() -> None:
    requirement = _read("The clerk registers the parcel. The parcel is then delivered to the door by the courier, "
                        "unless the customer chose a locker, in which case a pickup code is emailed by the clerk. "
                        "The clerk closes the order.")
    flow = requirement.flow
    gateway = next(g for g in flow.gateways if g.kind == "exclusive")
    targets = {flow.node(e.target).step for e in flow.outgoing(gateway.id)}
    assert targets == {_number(requirement, "Deliver parcel"), _number(requirement, "Email pickup code")}, \
        _named(requirement)
    assert {e.condition for e in flow.outgoing(gateway.id)} == {"customer did not choose a locker",
                                                                 "customer chose a locker"}


def test_a_command_the_parser_read_as_a_noun_after_its_condition_is_a_conditional_step() -> None:
    requirement = _read("The dispatcher assigns the job. If the driver does not confirm, escalate to the shift lead. "
                        "The driver collects the load.")
    flow, gateway = _decision_after(requirement, "Assign job")
    escalate = next(n for n, s in enumerate(requirement.steps, 1) if s.name.startswith("Escalate"))
    targets = {flow.node(e.target).step for e in flow.outgoing(gateway)}
    assert targets == {escalate, _number(requirement, "Collect load")}, _named(requirement)


def test_a_closing_rule_is_checked_where_its_condition_is_watched_not_where_its_actor_last_worked() -> None:
    requirement = _read("The owner signs off the upgrade. The SRE switches the model behind a feature flag, and the "
                        "analyst watches the latency for two days. If the latency gets worse by more than 20%, the "
                        "SRE flips the flag back.")
    names = [name for name, _ in _named(requirement)]
    assert names.index("Watch latency") < names.index("Flip flag"), names
    requirement = _read("The engineer rolls the agent out to a canary, then to all users. If the error rate goes "
                        "above 2%, the engineer rolls the agent back.")
    names = [name for name, _ in _named(requirement)]
    assert names[-1].startswith("Roll back"), names  # no step works on the error rate: the rule stays last
