"""Classes of sentences whose performer (or whose step) the reader has to work out: one test per class
(systems named inside other phrases, pronouns and narrators, passive agents shared by a coordination,
roles named again by their head, descriptions that are no steps, option lists after a decision)."""

from __future__ import annotations

from tests.designer.test_analyst_reading import _named, _read


def test_a_system_word_inside_a_phrase_that_names_something_else_is_no_mention_of_it() -> None:
    from process_designer.language.systems import detect_systems

    assert "identity" not in detect_systems("Accounts payable pays the invoice")
    # the phrase is excluded where it stands, not for the whole text
    assert "identity" in detect_systems("Accounts payable pays the invoice; IT disables the user accounts")


def test_a_pronoun_subject_stands_for_the_last_actor_named_not_the_narrator() -> None:
    requirement = _read("I'm the office manager. I send the offer and let Dana in HR know: she books the induction. "
                        "The project manager approves the plan. Customer support calls every affected user; they "
                        "offer a discount.")
    named = _named(requirement)
    assert ("Book induction", "HR") in named, named
    assert ("Offer discount", "Customer Support") in named, named


def test_a_named_person_acts_in_the_role_the_text_gives_them() -> None:
    requirement = _read("The tenant reports the fault. Small jobs go to our handyman, Marco. Marco fixes the fault "
                        "and sends photos.")
    assert ("Fix fault", "Handyman") in _named(requirement), _named(requirement)


def test_a_role_named_by_its_head_alone_is_the_role_named_in_full_before() -> None:
    requirement = _read("The incident team assesses the hazard. Then the team traces the affected lots. The "
                        "receiving clerk counts the pallets.")
    named = _named(requirement)
    assert ("Trace affected lot", "Incident Team") in named, named
    assert ("Count pallet", "Receiving Clerk") in named, named  # "receiving" is part of the role


def test_coordinated_passives_share_the_agent_named_once() -> None:
    requirement = _read("The customer places the order. Items are picked and parcels are packed by the warehouse "
                        "team.")
    assert ("Pick item", "Warehouse Team") in _named(requirement), _named(requirement)


def test_the_subject_of_a_verb_acting_on_an_object_acts_even_when_the_lexicon_does_not_know_it() -> None:
    requirement = _read("The GP refers the patient. A sonographer scans the patient. WorldTracer searches the network "
                        "for the bag. Most owners avoid changes.")
    named = _named(requirement)
    assert ("Scan patient", "Sonographer") in named, named
    assert ("Search network", "WorldTracer") in named, named
    assert not any(actor and "Owner" in actor for _, actor in named), named  # a habit, not an actor


def test_the_narrator_is_the_role_of_their_plainest_self_introduction() -> None:
    requirement = _read("We run the front office of a small clinic - I'm the practice manager. I book the "
                        "appointments and the nurse checks the referrals.")
    assert ("Book appointment", "Practice Manager") in _named(requirement), _named(requirement)


def test_a_narrator_with_a_manager_is_an_employee_and_one_who_manages_a_thing_its_manager() -> None:
    employee = _read("I fill in my timesheet on Friday and my manager approves it.")
    assert employee.steps[0].actor == "Employee", _named(employee)
    manager = _read("I manage the holiday cottages for the owners. I clean the cottages after each stay and the "
                    "owners pay the invoice.")
    assert ("Clean cottage", "Cottage Manager") in _named(manager), _named(manager)


def test_someone_in_a_department_is_that_department() -> None:
    requirement = _read("The buyer raises the order. The invoice is checked by someone in accounting.")
    assert ("Check invoice", "Accounting") in _named(requirement), _named(requirement)


def test_a_marker_before_a_role_is_no_part_of_it() -> None:
    requirement = _read("Legal opens the matter. In parallel IT places the mailboxes on hold.")
    assert ("Place mailbox", "IT") in _named(requirement), _named(requirement)


def test_them_stands_for_the_last_things_named_in_the_plural() -> None:
    requirement = _read("The courier delivers the parcels and the clerk scans the label. Then the clerk stores "
                        "them.")
    assert ("Store parcel", "Clerk") in _named(requirement), _named(requirement)


def test_a_pronoun_object_is_not_the_subject_of_its_own_clause() -> None:
    requirement = _read("The station forwards the bag on the next flight, and a delivery company brings it to the "
                        "passenger.")
    assert ("Bring bag", "Delivery Company") in _named(requirement), _named(requirement)


def test_the_options_listed_after_a_decision_are_one_decision() -> None:
    requirement = _read("The nurse assesses the patient. The physician then decides on disposition: admission to a "
                        "ward, transfer to another hospital, or discharge home.")
    names = [s.name for s in requirement.steps]
    assert names == ["Assess patient", "Decide on disposition"], _named(requirement)


def test_an_aside_in_brackets_is_no_step_but_may_name_the_narrator_or_spell_out_an_acronym() -> None:
    requirement = _read("When an offer is accepted, I (I'm the office manager) send the contract. Our panel (three "
                        "board members) scores the files. Counsel issues the LHN (legal hold notice) to every "
                        "custodian.")
    named = _named(requirement)
    assert ("Send contract", "Office Manager") in named, named
    assert ("Issue legal hold notice", "Counsel") in named, named
    assert not any("board" in name.lower() for name, _ in named), named


def test_a_verb_written_with_a_hyphenated_prefix_is_one_verb() -> None:
    requirement = _read("The crew leader hands the line back and the control room operator re-energises it.")
    assert ("Re-energise line", "Control Room Operator") in _named(requirement), _named(requirement)


def test_what_a_step_is_for_is_no_step_of_its_own() -> None:
    requirement = _read("The clerk logs the enquiry. I call the client back within a day to get the date and the "
                        "budget.")
    assert not any(s.name.startswith("Get") for s in requirement.steps), _named(requirement)


def test_an_aside_between_dashes_is_no_step() -> None:
    requirement = _read("We're a small charity - four staff and a volunteer board - and I'm the program officer. "
                        "Groups apply through our form. I read every application.")
    assert not any("board" in s.name.lower() for s in requirement.steps), _named(requirement)


def test_a_passive_coordinated_in_the_past_form_is_no_background() -> None:
    requirement = _read("The claim is checked by the adjuster. The salvage is collected by the salvage agent and sold "
                        "at auction. The adjuster closes the claim.")
    assert ("Sell salvage", "Salvage Agent") in _named(requirement), _named(requirement)


def test_what_a_present_tense_text_tells_in_the_past_or_progressive_is_background() -> None:
    requirement = _read("I'm drowning in repair requests, so I wrote down the rules. Tenants report problems in the "
                        "portal. I check each request and I set up the job in the calendar.")
    names = [s.name for s in requirement.steps]
    assert names == ["Report problem", "Check request", "Set up job"], _named(requirement)


def test_a_role_that_works_for_another_is_named_with_it() -> None:
    requirement = _read("The contractor writes the change request. The request is reviewed by the owner's "
                        "representative.")
    assert ("Review request", "Owner's Representative") in _named(requirement), _named(requirement)


def test_a_department_named_in_two_words_or_by_its_initials_acts() -> None:
    requirement = _read("Accounts payable accrues the unbilled invoices. The controller reviews the accruals.")
    assert ("Accrue unbilled invoice", "Accounts Payable") in _named(requirement), _named(requirement)


def test_a_passive_agent_the_parser_hangs_on_another_word_still_acts() -> None:
    requirement = _read("A grievance is raised in writing by the employee with their line manager. HR acknowledges "
                        "the grievance.")
    assert ("Raise grievance", "Employee") in _named(requirement), _named(requirement)


def test_you_addressed_by_a_provider_speaking_as_we_is_the_customer() -> None:
    requirement = _read("You order a replacement card in the app. We check your identity with a one-time code.")
    assert ("Order replacement card", "Customer") in _named(requirement), _named(requirement)


def test_a_role_first_named_as_an_object_is_what_its_head_names_later() -> None:
    requirement = _read("The safety manager convenes the incident team. The team assesses the hazard.")
    assert ("Assess hazard", "Incident Team") in _named(requirement), _named(requirement)


def _stated(text: str) -> list[tuple[str, str | None]]:
    """The steps of ``text`` whose performer the reader found in the text, not assumed or borrowed."""
    return [(s.name, s.actor) for s in _read(text).steps if s.performer_source == "stated"]


def test_clauses_joined_by_commas_share_the_subject_named_once() -> None:
    stated = _stated("A member calls the desk and the duty manager takes down the details, reads them back and "
                     "enters them in the booking system.")
    assert ("Take down detail", "Duty Manager") in stated, stated
    assert ("Read detail", "Duty Manager") in stated, stated
    assert ("Enter detail", "Duty Manager") in stated, stated


def test_a_clause_opened_by_a_phrase_of_company_keeps_the_subject_of_the_sentence() -> None:
    stated = _stated("The site manager books the crane and, with the rigger and the banksman, plans the lift.")
    assert ("Plan lift", "Site Manager") in stated, stated


def test_a_passive_without_agent_goes_on_with_the_agent_of_the_passive_it_explains() -> None:
    stated = _stated("The booking is checked by the reservation system: the card is verified against the bank.")
    assert ("Verify card", "Reservation System") in stated, stated
    stated = _stated("The claim is checked by the adjuster; the payment is made within 5 days.")
    assert not any(name.startswith("Make") for name, _ in stated), stated  # no one said who pays


def test_a_passive_keeps_its_own_agent_wherever_the_parser_hung_it() -> None:
    stated = _stated("The scrap is collected by the recycling contractor and sold at auction, and the asset is "
                     "recorded on the national fixed-asset register by the finance officer. The crate is moved to "
                     "the loading shed by the haulier.")
    assert ("Record asset", "Finance Officer") in stated, stated
    assert ("Move crate", "Haulier") in stated, stated


def test_a_system_named_by_what_it_does_acts() -> None:
    stated = _stated("Each morning the scheduling system assigns the open jobs and emails the engineers.")
    assert ("Assign open job", "Scheduling System") in stated, stated


def test_a_department_named_as_a_passive_agent_acts() -> None:
    stated = _stated("The order is confirmed to the buyer, and the deposit is refunded by billing.")
    assert ("Refund deposit", "Billing") in stated, stated


def test_a_role_the_parser_joined_to_the_object_before_it_still_heads_its_clause() -> None:
    stated = _stated("Their manager approves; anything over $3,000 needs two quotes and procurement picks the "
                     "contractor.")
    assert ("Pick contractor", "Procurement") in stated, stated


def test_whoever_who_is_said_of_is_a_group_that_acts() -> None:
    stated = _stated("The nurse refers the patient. Complex cases go to rostering, who book a specialist slot.")
    assert ("Book specialist slot", "Rostering") in stated, stated


def test_a_relative_clause_with_its_own_actor_is_that_actor_s_step() -> None:
    stated = _stated("Large orders go to an open tender, which procurement publishes on the portal.")
    assert ("Publish open tender", "Procurement") in stated, stated
    names = [name for name, _ in _named(_read("Large orders go to an open tender, which procurement publishes."))]
    assert not any(name.startswith("Go ") for name in names), names  # going there is no step of its own


def test_an_approval_asked_from_roles_is_each_role_s_step() -> None:
    stated = _stated("The analyst writes the model and gets approval from the risk director and from compliance.")
    approvals = [(name, role) for name, role in stated if name.startswith("Approve model")]
    assert [role for _, role in approvals] == ["Risk Director", "Compliance"], stated  # named by whose approval


def test_what_is_received_from_a_role_is_sent_by_that_role() -> None:
    stated = _stated("Successful bidders receive a contract from the commissioning officer within a week.")
    assert ("Send contract", "Commissioning Officer") in stated, stated


def test_a_team_named_by_a_bare_noun_acts_on_its_object_but_an_event_does_not() -> None:
    stated = _stated("The copywriter drafts the brochure. Design lays it out. Payment releases the order.")
    assert ("Lay out brochure", "Design") in stated, stated
    assert not any(actor == "Payment" for _, actor in stated), stated


def test_a_role_word_that_says_what_kind_of_thing_names_no_role() -> None:
    stated = _stated("I run the front desk, and stolen cards are our most frequent fraud complaint. The customer "
                     "calls us. Then fraud blocks the card.")
    assert ("Block card", "Fraud") in stated, stated


def test_a_lead_of_any_kind_is_a_role_not_a_verb() -> None:
    stated = _stated("The community lead picks a venue and a caterer.")
    assert ("Pick venue", "Community Lead") in stated, stated


def test_a_department_before_a_review_noun_does_the_review() -> None:
    stated = _stated("- the clerk logs the request\n- legal review for every contract\n- finance approval over 10k")
    assert ("Review contract", "Legal") in stated, stated


def test_a_role_named_with_whom_it_works_for_and_then_alone_is_one_role() -> None:
    stated = _stated("The supplier's account manager drafts the quote. The buyer checks it. The account manager "
                     "revises the quote.")
    assert ("Draft quote", "Account Manager") in stated, stated
    assert ("Revise quote", "Account Manager") in stated, stated


def test_a_role_the_parser_read_into_a_phrase_of_time_still_acts() -> None:
    stated = _stated("The client signs the brief. Thirty days out the caterer sends the menu.")
    assert ("Send menu", "Caterer") in stated, stated


def test_a_verb_form_after_a_role_in_notes_is_no_part_of_its_name() -> None:
    stated = _stated("nurse signs transfer form, porter preps the bed, patient leaves the ward")
    assert not any(actor and actor.endswith("Signs") for _, actor in stated), stated
    assert ("Sign transfer form", "Nurse") in stated, stated


def test_a_team_called_by_the_first_word_of_its_full_name_is_that_team() -> None:
    stated = _stated("The registration desk prints the badges. At the door, registration scans the tickets.")
    assert ("Scan ticket", "Registration Desk") in stated, stated
