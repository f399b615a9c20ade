"""Which clauses become steps and what each step is called: one test per class of naming fault (tiers
of approval told apart, a pronoun object read from the thing the text last made its subject, …)."""

from __future__ import annotations

from tests.designer.test_analyst_reading import _named, _read


def test_tiers_of_approval_of_one_thing_say_whose_approval_each_is() -> None:
    requirement = _read("The buyer drafts the purchase order. Orders over $5,000 are approved by the finance "
                        "director, and orders over $50,000 also need approval from the board. The buyer then "
                        "sends the order to the vendor.")
    named = _named(requirement)
    assert ("Approve order as finance director", "Finance Director") in named, named
    assert ("Approve order as board", "Board") in named, named  # "approval from the board" names the approver
    assert ("Draft purchase order", "Buyer") in named, named


def test_a_single_approval_is_named_by_what_is_approved() -> None:
    requirement = _read("The editor checks the draft. The publisher approves the draft. The designer lays out the "
                        "page.")
    assert ("Approve draft", "Publisher") in _named(requirement), _named(requirement)


def test_them_after_things_arrive_stands_for_what_arrived() -> None:
    requirement = _read("The courier collects the mail bags. Letters usually arrive as scans within two days; the "
                        "sorter checks them against the manifest. Parcels arrive by van: the porter weighs them.")
    named = _named(requirement)
    assert ("Check letter", "Sorter") in named, named  # not the mail bags named before
    assert ("Weigh parcel", "Porter") in named, named


def test_a_verb_after_an_adverb_keeps_its_subject() -> None:
    requirement = _read("A student places a request. The ILS assistant first checks the local catalogue, because "
                        "a surprising number of requests are for books we hold. The assistant then orders the book.")
    assert ("Check local catalogue", "ILS Assistant") in _named(requirement), _named(requirement)


def test_a_common_word_opening_the_sentence_is_no_proper_noun_in_a_name() -> None:
    requirement = _read("Journal articles arrive by email. The clerk files them and the editor reviews them.")
    assert ("File journal article", "Clerk") in _named(requirement), _named(requirement)


def test_a_person_told_or_called_is_the_role_named_not_the_last_thing() -> None:
    requirement = _read("Customers send a claim form. The clerk checks the form; if a page is missing, the clerk "
                        "calls them. The clerk files the form and emails it to the manager.")
    named = _named(requirement)
    assert ("Call customer", "Clerk") in named, named
    assert ("Email form", "Clerk") in named, named  # a thing sent to someone stays the thing


def test_a_role_acting_on_a_noun_phrase_the_parser_split_keeps_the_object() -> None:
    requirement = _read("The client signs the engagement letter. Legal drafts the service agreement and both parties "
                        "sign it in DocuSign.")
    named = _named(requirement)
    assert ("Draft service agreement", "Legal") in named, named
    assert any(name == "Sign service agreement" for name, _ in named), named


def test_clauses_joined_by_commas_keep_their_performer_and_condition() -> None:
    requirement = _read("The inspector checks the scaffold. If it is safe, the inspector signs the permit, applies "
                        "the OSHA placards and the crew can start.")
    named = _named(requirement)
    assert ("Apply OSHA placard", "Inspector") in named, named
    assert all(s.performer_source == "stated" for s in requirement.steps), named  # read, not assumed
    signing = next(n for n, s in enumerate(requirement.steps, start=1) if s.name == "Sign permit")
    placing = next(n for n, s in enumerate(requirement.steps, start=1) if s.name == "Apply OSHA placard")
    decision = next(g for g in requirement.flow.gateways if g.kind == "exclusive")
    reached = {requirement.flow.node(e.target).label for e in requirement.flow.outgoing(decision.id)}
    assert "Sign permit" in reached and signing < placing, (reached, _named(requirement))


def test_noticing_something_sets_the_work_off_and_is_no_step() -> None:
    requirement = _read("When the night porter notices a leak in a corridor, he reports it to the duty manager. The "
                        "duty manager calls a plumber.")
    named = _named(requirement)
    assert not any(name.startswith("Notice") for name, _ in named), named
    assert ("Report leak", "Night Porter") in named, named  # "it" is what was noticed


def test_a_hyphenated_noun_stays_one_word_in_a_name() -> None:
    requirement = _read("The developer raises the change. High-risk changes need service owner sign-off. The nurse "
                        "carries out the WHO sign-in.")
    names = [name for name, _ in _named(requirement)]
    assert "Carry out WHO sign-in" in names, names
    assert any(name.startswith("Sign off") for name in names), names  # the sign-off is the owner's step
    assert not any("- " in name for name in names), names


def test_an_acronym_opening_a_note_is_a_name_not_a_verb() -> None:
    requirement = _read("- engineer raises ticket in Jira\n- engineer fixes the fault\n- RCA for every major outage")
    names = [name for name, _ in _named(requirement)]
    assert not any(name.lower().startswith("rca") for name in names), names


def test_a_state_before_an_arrow_in_running_text_is_the_condition_of_what_follows() -> None:
    requirement = _read("The clerk weighs the parcel. Refused at the border -> return the parcel to the sender. The "
                        "clerk files the customs form.")
    names = [name for name, _ in _named(requirement)]
    assert not any(name.startswith("Refuse") for name in names), names
    assert any(name.startswith("Return parcel") for name in names), names
    assert requirement.flow.gateways, "the state decides whether the parcel goes back"


def test_a_note_opening_with_a_role_whose_first_word_is_a_verb_is_no_command() -> None:
    requirement = _read("- customer raises ticket in the portal\n- release mgr checks build is green\n"
                        "- engineer fixes the fault")
    assert ("Check build", "Release Manager") in _named(requirement), _named(requirement)  # not "… is green"


def test_the_process_beginning_is_nothing_received() -> None:
    requirement = _read("The process begins when the clerk receives a request. The clerk checks the request and "
                        "files it.")
    names = [name for name, _ in _named(requirement)]
    assert not any("process" in name.lower() for name in names), names


def test_what_a_person_is_given_in_a_passive_is_the_object() -> None:
    requirement = _read("The agent logs the complaint. A customer whose order is late is offered a voucher. "
                        "Applicants are sent a rejection letter by the panel.")
    named = _named(requirement)
    assert any(name == "Offer voucher" for name, _ in named), named
    assert ("Send rejection letter", "Panel") in named, named


def test_the_options_a_decision_may_be_are_one_decision_not_a_step_each() -> None:
    requirement = _read("The applicant submits the form. The panel reviews the application. The panel's decision "
                        "may be to approve, to defer the application, or to reject. The clerk sends the letter.")
    named = _named(requirement)
    assert ("Decide outcome", "Panel") in named, named
    assert not any(name.startswith(("Defer", "Reject")) for name, _ in named), named


def test_a_time_after_a_verb_in_a_note_is_no_object() -> None:
    requirement = _read("customer raises ticket, agent calls within 2h, agent closes the ticket")
    names = [name for name, _ in _named(requirement)]
    assert not any("2h" in name for name in names), names


def test_a_thing_the_parser_joined_to_the_next_clauses_role_is_the_object_of_the_clause_before() -> None:
    requirement = _read("The data scientist trains the model. If fewer than 95% of claims are coded correctly, the "
                        "coding lead tunes the mapping rules and the data scientist evaluates it again; otherwise the "
                        "coding lead approves the release.")
    assert ("Tune mapping rule", "Coding Lead") in _named(requirement), _named(requirement)
