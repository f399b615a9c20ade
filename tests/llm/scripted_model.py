"""A scripted "model" for the fake server: valid answers for each agent, chosen by the system prompt's ROLE."""

from __future__ import annotations

import json
from typing import Any

from process_designer.agents.coder.generate import step_define
from process_designer.agents.coder.plan import plan_step
from process_designer.domain.models import Step

from .fake_openai import Action, Call, Reply

__all__ = ["ANALYSIS", "DOCUMENT", "answer_as_agents", "answer_using_tools", "data_of"]

ANALYSIS: dict[str, Any] = {
    "title": "Customer Onboarding",
    "kind": "standard",
    "purpose": "Activate new SaaS customers within one day",
    "scope": "From signed contract to first login",
    "owner": "Customer Success Manager",
    "trigger": "A contract is signed",
    "actors": ["Sales Rep", "Customer Success Manager"],
    "systems": ["crm", "email", "billing"],
    "steps": [
        {"name": "Create the CRM account", "description": "Register the customer in the CRM", "actor": "Sales Rep",
         "systems": ["crm"]},
        {"name": "Set up billing", "description": "Create the subscription", "actor": "Finance",
         "systems": ["billing"], "depends_on": [1]},
        {"name": "Send the welcome e-mail", "description": "Welcome the customer", "actor": "Customer Success Manager",
         "systems": ["email"], "depends_on": [2]},
    ],
    "kpis": ["Time to first login"],
}


def _step(number: int, name: str, who: str, systems: list[str], minutes: int) -> dict[str, Any]:
    return {"number": number, "name": name, "objective": f"{name} for the new customer.", "responsible": who,
            "duration": f"{minutes} minutes", "actions": [f"{name} in the {systems[0]} system.",
                                                          f"Note the {systems[0]} reference on the case."],
            "validation": [f"The {systems[0]} record exists."], "depends_on": [number - 1] if number > 1 else [],
            "systems": systems}


DOCUMENT: dict[str, Any] = {
    "title": "Customer Onboarding",
    "kind": "standard",
    "overview": {"purpose": "Activate new SaaS customers within one day.", "scope": "From contract to first login.",
                 "owner": "Customer Success Manager"},
    "prerequisites": ["CRM access", "Billing plan catalogue"],
    "steps": [_step(1, "Create the CRM account", "Sales Rep", ["crm"], 15),
              _step(2, "Set up billing", "Finance", ["billing"], 30),
              _step(3, "Send the welcome e-mail", "Customer Success Manager", ["email"], 5)],
    "error_handling": ["If the CRM is down, retry three times and then alert the on-call engineer."],
    "monitoring": ["Time to first login, reported weekly."],
    "related_documents": ["Billing policy"],
}


def data_of(message: str) -> dict[str, Any]:
    """The JSON object inside a prompt's ``<data>`` element."""
    start = message.index("<data>\n") + len("<data>\n")
    return dict(json.loads(message[start:message.index("\n</data>")]))


def _user(body: dict[str, Any]) -> str:
    return next(str(m["content"]) for m in body["messages"] if m["role"] == "user")


def answer_as_agents(body: dict[str, Any]) -> Action:
    """What a well-behaved model answers to each of the agents' prompts."""
    system = next(str(m["content"]) for m in body["messages"] if m["role"] == "system")
    role = system.splitlines()[0].removeprefix("ROLE: ")
    user = _user(body)
    if role == "requirement_analyst":
        return Reply(content=json.dumps(ANALYSIS), usage=(400, 120))
    if role == "spy_coder":
        data = data_of(user)
        return Reply(content="```spy\n" + step_define(plan_step(Step.model_validate(data["step"]))) + "```",
                     usage=(300, 200))
    if role == "quality_reviewer":
        return Reply(content=json.dumps({"findings": ["Step 2 has no four-eyes check on the billing plan."]}),
                     usage=(500, 30))
    if user.startswith("Answer the question."):
        return Reply(content="Step 2 is owned by Finance and takes 30 minutes.", usage=(350, 15))
    if user.startswith("Apply the change request."):
        document = json.loads(json.dumps(DOCUMENT))
        document["steps"][1]["duration"] = "45 minutes"
        return Reply(content=json.dumps({"document": document, "summary": "Step 2 now takes 45 minutes.",
                                         "changed_steps": [2]}), usage=(700, 600))
    if user.startswith("Fix the findings."):
        return Reply(content=json.dumps({"document": DOCUMENT, "fixed": []}), usage=(700, 600))
    return Reply(content="Here is the document:\n```json\n" + json.dumps(DOCUMENT) + "\n```", usage=(600, 550))


def answer_using_tools(body: dict[str, Any]) -> Action:
    """As :func:`answer_as_agents`, but the coder tests its define and the reviewer checks the graph with
    their tools once before answering, as a model that uses its tools does."""
    answer = answer_as_agents(body)
    offered = {t["function"]["name"] for t in body.get("tools", [])}
    if not offered or body["messages"][-1]["role"] == "tool" or not isinstance(answer, Reply):
        return answer
    if "spy_test" in offered and answer.content:
        code = answer.content.removeprefix("```spy\n").removesuffix("```")
        return Reply(calls=(Call("spy_test", {"code": code}),), usage=(300, 180))
    if "check_graph" in offered:
        return Reply(calls=(Call("check_graph", {}),), usage=(480, 12))
    return answer
