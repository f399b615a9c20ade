"""Processes that configure, evaluate and roll out AI agents, read from the user's own words: the
people's work around the agent are the steps; the agent's own behaviour and the opening line that
names the undertaking are not."""

from __future__ import annotations

from process_designer.agents.analyst.offline import analyze_requirements
from process_designer.agents.analyst.text import normalise
from process_designer.domain.models import Requirement

CONFIGURE_DEPLOY = (
    "Configure and deploy a new AI agent for invoice triage. The ML engineer defines the agent's tools, "
    "permissions and data access, and the security team reviews the guardrails. The agent is then evaluated on "
    "a test set of 200 invoices; if accuracy is below 90% the ML engineer revises the prompt and the agent is "
    "evaluated again, otherwise the AI product owner approves the release. The SRE runs the agent in shadow mode "
    "for a week, then rolls it out to a 10% canary. If the error rate goes above 2%, the SRE rolls the agent back."
)
TRIAGE = (
    "We are rolling out a triage agent for our support queue. Once live, the agent reads each incoming ticket, "
    "tags its category and urgency and routes it to the right team. For the roll-out, the support lead first "
    "writes the routing rules. The ML engineer then connects the agent to the helpdesk and evaluates it on 500 "
    "past tickets. The support lead approves the go-live and the SRE monitors the agent."
)


def _names(requirement: Requirement) -> list[str]:
    assert requirement.steps, requirement.questions
    return [s.name for s in requirement.steps]


def _performed(requirement: Requirement) -> list[tuple[str, str | None]]:
    return [(s.name, s.actor) for s in requirement.steps]


def test_a_role_that_defines_something_does_work() -> None:
    performed = _performed(analyze_requirements(CONFIGURE_DEPLOY))
    assert ("Define agent tools", "ML Engineer") in performed
    assert ("Review guardrail", "Security Team") in performed


def test_a_share_something_is_rolled_out_to_is_a_stage_not_a_statistic() -> None:
    names = _names(analyze_requirements(CONFIGURE_DEPLOY))
    assert "Run agent in shadow mode" in names
    assert "Roll out agent to 10% canary" in names
    # a share reported about the process is still context
    reported = analyze_requirements("The clerk checks each claim. The manager approves the claim. About 20% of "
                                    "claims are rejected by the manager.")
    assert not any("reject" in name.lower() for name in _names(reported))


def test_rolling_an_agent_back_keeps_the_particle() -> None:
    assert _names(analyze_requirements(CONFIGURE_DEPLOY))[-1] == "Roll back agent"


def test_the_opening_line_that_names_the_undertaking_is_not_a_step() -> None:
    requirement = analyze_requirements(CONFIGURE_DEPLOY)
    names = _names(requirement)
    assert not any(name.startswith(("Configure", "Deploy")) for name in names)
    assert names[0] == "Define agent tools"
    assert "agent" in requirement.title.lower()


def test_what_the_agent_does_once_live_is_context_not_a_step() -> None:
    requirement = analyze_requirements(TRIAGE)
    names = _names(requirement)
    assert names[:3] == ["Write routing rule", "Connect agent", "Evaluate agent"]
    assert not any(name.split()[0] in ("Read", "Tag", "Rout", "Route", "Roll") for name in names)
    assert "Agent" not in [s.actor for s in requirement.steps]


def test_support_agents_who_are_people_keep_their_steps() -> None:
    requirement = analyze_requirements(
        "The support agent answers the call and logs the ticket. The team lead reviews the ticket and approves "
        "the refund. The support agent then calls the customer back.")
    assert [s.actor for s in requirement.steps].count("Support Agent") >= 2


def test_it_in_a_text_about_an_agent_is_the_agent() -> None:
    names = _names(analyze_requirements(
        "We're launching an HR policy assistant agent. First I pick the documents the agent may read. Then our ML "
        "engineer gives it read-only access to the policy wiki and sets up guardrails. The ML engineer tests it on "
        "150 sample questions, and IT security reviews the data access."))
    assert "Test agent" in names
    assert "Test guardrail" not in names


def test_abbreviations_with_punctuation_around_them_are_expanded() -> None:
    assert normalise("Security team reviews perms. Eval on 300 past PRs (2 wks).") == (
        "Security team reviews permissions. Evaluate on 300 past pull requests (2 weeks).")


def test_each_stage_of_a_roll_out_is_a_step_named_with_its_stage() -> None:
    names = _names(analyze_requirements(
        "The ML engineer configures the AI agent's tools. The agent is first run in shadow mode alongside the "
        "rules engine and is then rolled out to 20% of traffic before it is switched on for all transactions. "
        "The SRE runs the agent in a pilot for a week, then rolls it out to a 10% canary and finally to all users."))
    assert names[1:4] == ["Run agent in shadow mode", "Roll out agent to 20% of traffic",
                          "Switch on agent for all transactions"]
    assert names[-3:] == ["Run agent in pilot", "Roll out agent to 10% canary", "Roll out agent to all users"]


def test_a_role_named_with_what_it_heads_keeps_it() -> None:
    performed = _performed(analyze_requirements(
        "The analyst checks the figures. If they match, the release is approved by the head of fraud; else eng "
        "manager approves. The director of finance signs the report."))
    assert ("Sign report", "Director of Finance") in performed
    actors = [actor for _, actor in performed]
    assert "Head of Fraud" in actors
    assert "Engineer Manager" in actors  # "else" opens the clause, it is no part of the role


def test_the_agent_and_the_things_worked_on_name_the_step() -> None:
    performed = _performed(analyze_requirements(
        "The AI agent's tools and data access are configured by the ML engineer. The agent is evaluated on 200 "
        "invoices. Alerts and false positives are monitored by the SRE, and the SRE rolls back to manual triage "
        "when accuracy drops."))
    assert performed[0] == ("Configure agent tools and data access", "ML Engineer")
    assert ("Monitor alerts and false positives", "SRE") in performed
    assert ("Roll back agent to manual triage", "SRE") in performed


def test_a_clause_that_opens_with_its_verb_is_done_by_the_role_before_it() -> None:
    performed = _performed(analyze_requirements(
        "The ML engineer evaluates the AI agent. The SRE runs the agent in shadow mode for a week, then rolls it "
        "out to a 10% canary."))
    assert ("Roll out agent to 10% canary", "SRE") in performed


def test_an_adverb_of_several_words_is_not_read_as_a_clause() -> None:
    assert normalise("The ML engineer tests the agents end to end, step by step.") == (
        "The ML engineer tests the agents end-to-end, step-by-step.")
    names = _names(analyze_requirements(
        "The AI product owner defines each agent's role. The ML engineer tests the agents end to end on 100 past "
        "claims, and the AI product owner approves the launch."))
    assert names == ["Define agent role", "Test agent end-to-end", "Approve launch"]


def test_a_particle_parsed_as_a_preposition_stays_with_its_verb() -> None:
    performed = _performed(analyze_requirements(
        "The ML engineer runs the regression suite on the new model. Otherwise the AI product owner signs off the "
        "upgrade, and the SRE swaps the model."))
    assert ("Sign off upgrade", "AI Product Owner") in performed


def test_a_team_of_agents_is_the_agents_not_a_role() -> None:
    requirement = analyze_requirements(
        "Our analytics group wants a small team of AI agents to produce the weekly market report. The AI product "
        "owner defines each agent's role. The ML engineer designs the hand-off protocol and the head of analytics "
        "approves the launch.")
    assert _names(requirement)[0] == "Define agent role"
    assert "Small Team" not in [s.actor for s in requirement.steps]


def test_an_analytics_lead_is_a_role() -> None:
    performed = _performed(analyze_requirements(
        "The head of analytics approves the launch. For the first month after launch the analytics lead monitors "
        "the reports."))
    assert ("Monitor report", "Analytics Lead") in performed


def test_where_something_is_logged_is_not_a_particle() -> None:
    names = _names(analyze_requirements(
        "Housekeeping spots the fault and logs it in the property management system. Log in FOIAXpress. The "
        "manager signs off the report."))
    assert not any(name.startswith("Log in") for name in names)
    assert "Sign off report" in names
