"""Malformed, fenced, tool-call and schema-violating answers: repaired by asking again, never a crash."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from process_designer.agents.llm import LLMEngines, llm_engines
from process_designer.domain.models import DesignContext, Requirement
from process_designer.errors import EngineError, InputError

from .conftest import settings_for
from .fake_openai import Fail, FakeOpenAI, Reply
from .scripted_model import ANALYSIS, DOCUMENT

TEXT = "Customer onboarding with CRM, e-mail and billing"


def _analyze(fake: FakeOpenAI, tmp_path: Path, **env: str) -> tuple[LLMEngines, Requirement]:
    engines = llm_engines(settings_for(fake, tmp_path, **env))
    return engines, engines.analyst.analyze(TEXT, DesignContext(owner="Ops Lead"), [], None)


def test_malformed_json_is_sent_back_with_the_problem(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.push(Reply(content='{"title": "Customer Onboarding", "steps": [}'), Reply(content=json.dumps(ANALYSIS)))
    _, requirement = _analyze(fake, tmp_path)
    assert [s.name for s in requirement.steps] == ["Create the CRM account", "Set up billing",
                                                   "Send the welcome e-mail"]
    assert requirement.text == TEXT
    assert requirement.owner == "Customer Success Manager"
    second = fake.chat_requests()[1].messages
    assert [m["role"] for m in second] == ["system", "user", "assistant", "user"]
    assert second[2]["content"] == '{"title": "Customer Onboarding", "steps": [}'
    assert second[3]["content"].startswith("That answer cannot be used: invalid JSON at line 1, column 44: Expecting value. Reply again")


def test_wrong_schema_names_the_field_in_the_repair_request(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.push(Reply(content=json.dumps({"title": "Onboarding", "steps": "three"})), Reply(content=json.dumps(ANALYSIS)))
    _, requirement = _analyze(fake, tmp_path)
    assert requirement.title == "Customer Onboarding"
    assert fake.chat_requests()[1].messages[3]["content"].startswith(
        "That answer cannot be used: steps: Input should be a valid list.")


def test_fenced_json_with_trailing_commas_and_tool_calls_are_accepted(fake: FakeOpenAI, tmp_path: Path) -> None:
    fenced = "Sure!\n```json\n" + json.dumps(ANALYSIS)[:-1] + ",}\n```"
    fake.push(Reply(content=fenced), Reply(tool_args=ANALYSIS))
    engines = llm_engines(settings_for(fake, tmp_path))
    first = engines.analyst.analyze(TEXT, DesignContext(), [], "Onboarding v2")
    second = engines.analyst.analyze(TEXT, DesignContext(), [], None)
    assert first.title == "Onboarding v2"
    assert first.steps == second.steps
    assert len(fake.chat_requests()) == 2


def test_answers_that_never_fit_end_in_a_clear_error(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.push(*[Reply(content="I cannot do that.")] * 5)
    with pytest.raises(EngineError, match=r"the model's answer for the analyst did not fit the expected JSON after "
                                          r"2 attempt\(s\) \(the answer contains no JSON object\)"):
        _analyze(fake, tmp_path, PD_LLM_REPAIRS="1")
    assert len(fake.chat_requests()) == 2


def test_fallback_to_offline_when_configured(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.push(*[Fail(500)] * 3)
    engines, requirement = _analyze(fake, tmp_path, PD_LLM_FALLBACK_OFFLINE="true", PD_LLM_RETRIES="2")
    assert requirement.text == TEXT
    assert {"crm", "email", "billing"} <= set(requirement.systems)
    assert len(fake.chat_requests()) == 3
    usage = engines.usage_snapshot()["total"]
    assert (usage["calls"], usage["attempts"], usage["fallbacks"]) == (0, 3, 1)


def test_writer_streams_its_draft_and_keeps_the_date(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.push(Reply(content=json.dumps(ANALYSIS)), Reply(content=json.dumps(DOCUMENT)))
    engines, requirement = _analyze(fake, tmp_path)
    heard: list[str] = []
    engines.add_partial_listener(lambda agent, text: heard.append(f"{agent}:{text}"))
    document = engines.writer.compose(requirement, [], date(2026, 3, 2))
    assert document.overview.last_updated == "2026-03-02"
    assert [s.duration for s in document.steps] == ["15 minutes", "30 minutes", "5 minutes"]
    assert document.context.owner == "Ops Lead"
    assert "".join(h.removeprefix("process_writer:") for h in heard) == json.dumps(DOCUMENT)


def test_edit_refusal_is_an_input_error(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.push(Reply(content=json.dumps(ANALYSIS)), Reply(content=json.dumps(DOCUMENT)),
              Reply(content=json.dumps({"refusal": "there is no step 9"})))
    engines, requirement = _analyze(fake, tmp_path)
    document = engines.writer.compose(requirement, [], date(2026, 3, 2))
    with pytest.raises(InputError, match=r"^there is no step 9$"):
        engines.writer.edit(document, "delete step 9")


def test_revise_without_findings_asks_nothing(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.push(Reply(content=json.dumps(ANALYSIS)), Reply(content=json.dumps(DOCUMENT)))
    engines, requirement = _analyze(fake, tmp_path)
    document = engines.writer.compose(requirement, [], date(2026, 3, 2))
    assert engines.writer.revise(document, []) == (document, [])
    assert len(fake.chat_requests()) == 2
