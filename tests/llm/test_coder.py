"""The LLM coder: model SPy is checked and tested, diagnostics go back for repair, offline code is the last resort."""

from __future__ import annotations

from pathlib import Path

from process_designer.agents.coder import compile_document
from process_designer.agents.coder.generate import step_define
from process_designer.agents.coder.plan import plan_step
from process_designer.agents.llm import llm_engines
from process_designer.domain.models import Overview, ProcessDocument, Step

from .conftest import settings_for
from .fake_openai import FakeOpenAI, Reply
from .scripted_model import data_of

STEP = Step(number=1, name="Create the CRM account", objective="Register the customer.", responsible="Sales Rep",
            duration="15 minutes", actions=["Create the account in the CRM."], validation=["The account exists."],
            systems=["crm"])
DOCUMENT = ProcessDocument(title="Onboarding", overview=Overview(purpose="p", scope="s", owner="o",
                                                                 last_updated="2026-03-02"), steps=[STEP])
GOOD = step_define(plan_step(STEP))
UNKNOWN_NAME = "define Step1Handler {\n  execute(input_data) {\n    return crm_client.create(input_data)\n  }\n}\n"


def test_model_code_that_passes_is_used_as_is(fake: FakeOpenAI, tmp_path: Path) -> None:
    model_code = GOOD.replace("# Step 1: Create the CRM account", "# Step 1, written by the model")
    fake.push(Reply(content=f"Here you go:\n```spy\n{model_code}```"))
    compiled = llm_engines(settings_for(fake, tmp_path)).coder.compile(DOCUMENT, None)
    assert compiled.steps[0].code == model_code
    assert compiled.spy.diagnostics == []
    assert compiled.spy.tests_passed == compile_document(DOCUMENT).spy.tests_passed
    request = fake.chat_requests()[0]
    data = data_of(request.messages[1]["content"])
    assert data["handler"] == "Step1Handler"
    assert data["connectors"] == ["crm"]
    assert "define Step1HandlerTest" in data["tests_to_pass"]


def test_diagnostics_go_back_to_the_model_for_repair(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.push(Reply(content=f"```spy\n{UNKNOWN_NAME}```"), Reply(content=f"```spy\n{GOOD}```"))
    compiled = llm_engines(settings_for(fake, tmp_path)).coder.compile(DOCUMENT, None)
    assert compiled.steps[0].code == GOOD
    repair = fake.chat_requests()[1].messages
    assert [m["role"] for m in repair] == ["system", "user", "assistant", "user"]
    diagnostics = data_of(repair[3]["content"])["diagnostics"]
    assert diagnostics[0].startswith("step.spy:3:12: E101 ")
    assert "crm_client" in diagnostics[0]


def test_failing_tests_and_wrong_defines_are_problems_too(fake: FakeOpenAI, tmp_path: Path) -> None:
    lazy = "define Step1Handler {\n  execute(input_data) {\n    return {status: \"completed\", step: 1}\n  }\n}\n"
    fake.push(Reply(content=f"```spy\n{lazy}```"), Reply(content="```spy\ndefine Other {\n}\n```"),
              Reply(content=f"```spy\n{GOOD}```"))
    llm_engines(settings_for(fake, tmp_path)).coder.compile(DOCUMENT, None)
    second, third = (data_of(r.messages[-1]["content"])["diagnostics"] for r in fake.chat_requests()[1:])
    assert second[0] == "test Step1HandlerTest.test_happy_path_completes failed: assertion: crm.create_account must be called once"
    assert third == ["the answer must contain exactly one define, `define Step1Handler`; it has: Other"]


def test_offline_code_is_the_last_resort_with_a_note(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.push(*[Reply(content=f"```spy\n{UNKNOWN_NAME}```")] * 3)
    compiled = llm_engines(settings_for(fake, tmp_path, PD_LLM_REPAIRS="2")).coder.compile(DOCUMENT, None)
    offline = compile_document(DOCUMENT)
    assert compiled.steps[0].code == offline.steps[0].code
    assert len(fake.chat_requests()) == 3
    assert compiled.spy.tests_passed == offline.spy.tests_passed
    note = compiled.spy.diagnostics[-1]
    assert note.startswith("note: Step 1 (Create the CRM account): the model's SPy still failed after 3 attempt(s) "
                           "(step.spy:3:12: E101 ")
    assert note.endswith("; the offline coder's code is used for this step")


def test_only_the_changed_steps_are_asked_for(fake: FakeOpenAI, tmp_path: Path) -> None:
    second = STEP.model_copy(update={"number": 2, "name": "Send the welcome e-mail", "systems": ["email"]})
    document = compile_document(DOCUMENT.model_copy(update={"steps": [STEP, second]}))
    fake.push(Reply(content=f"```spy\n{step_define(plan_step(second))}```"))
    compiled = llm_engines(settings_for(fake, tmp_path)).coder.compile(document, {2})
    assert len(fake.chat_requests()) == 1
    assert data_of(fake.chat_requests()[0].messages[1]["content"])["handler"] == "Step2Handler"
    assert compiled.steps[0].code == document.steps[0].code
    assert compiled.spy.tests_failed == 0
