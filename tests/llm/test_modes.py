"""Structured answers: a strict JSON schema derived from the domain models, and the fallbacks an endpoint needs."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from process_designer.agents.llm import build_engines, llm_engines
from process_designer.agents.llm.modes import detect_mode
from process_designer.config import load_settings
from process_designer.domain.models import DesignContext, Requirement
from process_designer.errors import ConfigError, EngineError

from .conftest import settings_for
from .fake_openai import Call, Fail, FakeOpenAI, Reply
from .scripted_model import ANALYSIS, DOCUMENT

TEXT = "Customer onboarding with CRM, e-mail and billing"
FLOW: dict[str, Any] = {"nodes": [{"id": "start", "kind": "start"}, {"id": "t1", "kind": "task", "step": 1},
                  {"id": "t2", "kind": "task", "step": 2}, {"id": "t3", "kind": "task", "step": 3},
                  {"id": "end", "kind": "end"}],
        "edges": [{"from": "start", "to": "t1"}, {"from": "t1", "to": "t2"}, {"from": "t2", "to": "t3"},
                  {"from": "t3", "to": "end"}]}
WITH_FLOW = {**ANALYSIS, "flow": FLOW}


def _schema_of(request: Any) -> dict[str, Any]:
    return dict(request.body["response_format"]["json_schema"]["schema"])


def test_a_strict_schema_derived_from_the_domain_model_is_filled(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.push(Reply(content=json.dumps(WITH_FLOW)))
    engines = llm_engines(settings_for(fake, tmp_path))
    requirement = engines.analyst.analyze(TEXT, DesignContext(), [], None)
    assert [n.id for n in requirement.flow.nodes] == ["start", "t1", "t2", "t3", "end"]
    assert requirement.flow.step_order() == [1, 2, 3]
    request = fake.chat_requests()[0]
    response_format = request.body["response_format"]
    assert (response_format["type"], response_format["json_schema"]["name"],
            response_format["json_schema"]["strict"]) == ("json_schema", "RequirementDraft", True)
    schema = _schema_of(request)
    # The domain model's fields, less those the engine fills itself: no hand-kept copy to drift.
    assert set(schema["properties"]) == set(Requirement.model_fields) - {"text", "context", "open_questions"}
    assert schema["required"] == list(schema["properties"])
    edge = schema["properties"]["flow"]["properties"]["edges"]["items"]
    assert edge["required"] == ["from", "to", "condition", "default", "rules"]
    assert edge["additionalProperties"] is False
    assert "default" not in json.dumps(edge["properties"]["rules"])  # strict schemas carry no defaults
    assert "fills the response schema" in request.system
    assert '"properties"' not in request.system  # the schema travels in the request, not the prompt


def test_a_graph_that_does_not_fit_the_steps_goes_back_for_repair(fake: FakeOpenAI, tmp_path: Path) -> None:
    dangling = {**FLOW, "edges": FLOW["edges"][:-1]}  # step 3 leads nowhere
    fake.push(Reply(content=json.dumps({**ANALYSIS, "flow": dangling})), Reply(content=json.dumps(WITH_FLOW)))
    requirement = llm_engines(settings_for(fake, tmp_path)).analyst.analyze(TEXT, DesignContext(), [], None)
    assert requirement.flow.problems() == []
    repair = fake.chat_requests()[1].messages[-1]["content"]
    assert repair.startswith("That answer cannot be used: flow: ")
    assert "leads to no end" in repair


def test_start_up_detects_tool_calling_when_the_server_refuses_a_response_format(
        fake: FakeOpenAI, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake.refuses = frozenset({"json_schema"})
    engines = build_engines(settings_for(fake, tmp_path))
    assert set(engines.structured_modes().values()) == {"function_calling"}
    assert capsys.readouterr().err.strip().endswith("structured outputs detected: test-model function_calling")
    probes = fake.chat_requests(probes=True)
    assert [r.is_probe for r in probes] == [True, True]
    fake.push(Reply(calls=(Call("RequirementDraft", ANALYSIS),)))
    requirement = engines.analyst.analyze(TEXT, DesignContext(), [], None)
    assert requirement.title == "Customer Onboarding"
    request = fake.chat_requests()[-1]
    assert "response_format" not in request.body
    assert request.body["tool_choice"] == "required"
    assert [t["function"]["name"] for t in request.body["tools"]] == ["search_templates", "RequirementDraft"]
    assert all(t["function"]["strict"] for t in request.body["tools"])
    assert "calling the function RequirementDraft" in request.system


def test_a_refusal_at_run_time_falls_back_one_mode_and_asks_again(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.refuses = frozenset({"json_schema", "tools"})
    fake.push(Reply(content=json.dumps(ANALYSIS)))
    engines = llm_engines(settings_for(fake, tmp_path))  # not probed: json_schema until refused
    requirement = engines.analyst.analyze(TEXT, DesignContext(), [], None)
    assert len(requirement.steps) == 3
    assert engines.structured_modes()["analyst"] == "json_mode"
    assert engines.structured_modes()["writer"] == "json_schema"
    # Each refused mode is asked once with tools and once without, before the next mode is tried.
    sent = [(r.body.get("response_format", {}).get("type"), [t["function"]["name"] for t in r.body.get("tools", [])])
            for r in fake.chat_requests()]
    assert sent == [("json_schema", ["search_templates"]), ("json_schema", []),
                    (None, ["search_templates", "RequirementDraft"]), (None, ["RequirementDraft"]),
                    ("json_object", ["search_templates"]), ("json_object", [])]
    first, last = fake.chat_requests()[0], fake.chat_requests()[-1]
    assert '"properties"' not in first.system and '"properties"' in last.system  # JSON mode: schema in the prompt
    assert engines.usage_snapshot()["total"]["calls"] == 1


def test_a_server_with_neither_gets_the_schema_in_the_prompt(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.refuses = frozenset({"json_schema", "json_object", "tools"})
    engines = build_engines(settings_for(fake, tmp_path))
    assert set(engines.structured_modes().values()) == {"prompt"}
    assert len(fake.chat_requests(probes=True)) == 4  # three modes refused, a plain request taken
    fake.push(Reply(content="Here it is:\n```json\n" + json.dumps(ANALYSIS) + "\n```"))
    requirement = engines.analyst.analyze(TEXT, DesignContext(), [], None)
    assert requirement.owner == "Customer Success Manager"
    request = fake.chat_requests()[-1]
    assert "response_format" not in request.body and "tools" not in request.body
    assert "following this JSON schema" in request.system


def test_a_server_that_refuses_every_probe_keeps_json_schema(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.push(*[Fail(400)] * 4)  # even the plain request: the modes are not what it refuses
    assert detect_mode(settings_for(fake, tmp_path), "test-model") == "json_schema"
    assert len(fake.chat_requests(probes=True)) == 4


def test_a_probe_the_server_cannot_answer_is_not_a_refusal(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.push(Fail(503))
    assert detect_mode(settings_for(fake, tmp_path), "test-model") == "json_schema"
    assert len(fake.chat_requests(probes=True)) == 1


def test_the_setting_forces_a_mode_without_probing(fake: FakeOpenAI, tmp_path: Path) -> None:
    engines = build_engines(settings_for(fake, tmp_path, PD_LLM_STRUCTURED="json_mode"))
    assert fake.chat_requests(probes=True) == []
    assert "structured outputs set by PD_LLM_STRUCTURED: test-model json_mode" in engines.describe()
    fake.push(Reply(content=json.dumps(ANALYSIS)))
    engines.analyst.analyze(TEXT, DesignContext(), [], None)
    assert fake.chat_requests()[0].body["response_format"] == {"type": "json_object"}


def test_an_unknown_mode_is_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^PD_LLM_STRUCTURED='xml' is unknown; use one of auto, json_schema, "
                                          r"function_calling, json_mode, prompt$"):
        load_settings(environ={"PD_LLM_STRUCTURED": "xml", "PD_DATA_DIR": str(tmp_path)}, dotenv=None)


def test_a_streamed_tool_call_answer_is_assembled(fake: FakeOpenAI, tmp_path: Path) -> None:
    settings = settings_for(fake, tmp_path, PD_LLM_STRUCTURED="function_calling")
    engines = llm_engines(settings)
    fake.push(Reply(calls=(Call("RequirementDraft", ANALYSIS),)), Reply(calls=(Call("DocumentDraft", DOCUMENT),)))
    requirement = engines.analyst.analyze(TEXT, DesignContext(), [], None)
    document = engines.writer.compose(requirement, [], date(2026, 3, 2))  # the writer streams
    assert fake.chat_requests()[1].body["stream"] is True
    assert fake.chat_requests()[1].body["tool_choice"] == {"type": "function", "function": {"name": "DocumentDraft"}}
    assert [s.name for s in document.steps] == [s["name"] for s in DOCUMENT["steps"]]
    assert engines.usage_snapshot()["total"]["input_tokens"] == 40  # the streamed usage, counted once


def test_the_writer_keeps_the_analysts_graph_unless_it_gives_one(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.push(Reply(content=json.dumps(WITH_FLOW)), Reply(content=json.dumps(DOCUMENT)))
    engines = llm_engines(settings_for(fake, tmp_path))
    requirement = engines.analyst.analyze(TEXT, DesignContext(), [], None)
    document = engines.writer.compose(requirement, [], date(2026, 3, 2))
    assert document.flow == requirement.flow and document.effective_flow() == requirement.flow
    reversed_flow = {**FLOW, "nodes": [{**n, "step": 4 - n["step"]} if "step" in n else n for n in FLOW["nodes"]]}
    fake.push(Reply(content=json.dumps({"document": {**DOCUMENT, "flow": reversed_flow}, "summary": "Reversed."})))
    edited = engines.writer.edit(document, "do the steps in reverse order").document
    assert edited.effective_flow().step_order() == [3, 2, 1]


def test_a_request_refused_in_every_mode_ends_in_one_clear_error(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.push(*[Fail(400)] * 8)
    engines = llm_engines(settings_for(fake, tmp_path))
    with pytest.raises(EngineError, match=r"^the endpoint refused the analyst's request \(HTTP 400: .*scripted 400.*\); "
                                          r"check that the model takes requests this long"):
        engines.analyst.analyze(TEXT, DesignContext(), [], None)
    assert len(fake.chat_requests()) == 8  # each mode with tools and without
    assert engines.structured_modes()["analyst"] == "prompt"
