"""The agents' tools over real HTTP: the coder checks and tests its own code, the analyst searches templates,
the reviewer runs the graph checks; bad calls, ignored tools, endless loops and failing servers end well."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from process_designer.agents.llm import LLMEngines, llm_engines
from process_designer.agents.llm.reviewer import MODEL_FINDING
from process_designer.agents.reviewer import review_document
from process_designer.config import Settings
from process_designer.domain.flow import ProcessFlow
from process_designer.domain.models import DesignContext
from process_designer.knowledge.template_model import ProcessTemplate
from process_designer.telemetry import install, setup_telemetry

from .conftest import settings_for
from .fake_openai import Call, Fail, FakeOpenAI, Recorded, Reply
from .scripted_model import ANALYSIS
from .test_coder import DOCUMENT, GOOD, UNKNOWN_NAME


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    previous = install(setup_telemetry(Settings(), span_exporter=exporter, metric_readers=(InMemoryMetricReader(),)))
    yield exporter
    if previous is not None:
        install(previous)


def _engines(fake: FakeOpenAI, tmp_path: Path, **env: str) -> LLMEngines:
    return llm_engines(settings_for(fake, tmp_path, **env))


def _tool_results(request: Recorded) -> list[str]:
    return [str(m["content"]) for m in request.messages if m["role"] == "tool"]


def _offered(request: Recorded) -> list[str]:
    return [t["function"]["name"] for t in request.body.get("tools", [])]


def _usage(engines: LLMEngines) -> dict[str, Any]:
    return dict(engines.usage_snapshot()["total"])


def test_the_coder_checks_and_tests_its_code_until_it_passes(fake: FakeOpenAI, tmp_path: Path,
                                                             spans: InMemorySpanExporter) -> None:
    fake.push(Reply(calls=(Call("spy_check", {"code": UNKNOWN_NAME}),)),
              Reply(calls=(Call("spy_test", {"code": GOOD}),)),
              Reply(content=f"```spy\n{GOOD}```"))
    engines = _engines(fake, tmp_path)
    compiled = engines.coder.compile(DOCUMENT, None)
    assert compiled.steps[0].code == GOOD
    first, second, third = fake.chat_requests()
    assert _offered(first) == ["spy_check", "spy_test"]
    (checked,) = _tool_results(second)
    assert checked.startswith("step.spy:3:12: E101 ") and "crm_client" in checked
    assert re.fullmatch(r"[1-9]\d* passed, 0 failed", _tool_results(third)[-1])
    assert [m["role"] for m in third.messages] == ["system", "user", "assistant", "tool", "assistant", "tool"]
    usage = _usage(engines)
    assert (usage["calls"], usage["tool_calls"], usage["tool_errors"]) == (3, 2, 0)
    assert usage["by_agent"]["coder"]["tool_calls"] == 2
    names = [s.name for s in spans.get_finished_spans() if s.name.startswith("execute_tool")]
    # spy_check, then spy_test (its own check first), then the validators' check and test of the answer.
    assert names[:3] == ["execute_tool spy_check", "execute_tool spy_check", "execute_tool spy_test"]
    tool = next(s for s in spans.get_finished_spans() if s.name == "execute_tool spy_test")
    assert (tool.attributes or {})["gen_ai.operation.name"] == "execute_tool"
    assert (tool.attributes or {})["gen_ai.tool.call.id"] == "call_1"  # the model's call it ran for


def test_a_tool_call_with_bad_arguments_gets_the_problem_back(fake: FakeOpenAI, tmp_path: Path,
                                                              spans: InMemorySpanExporter) -> None:
    fake.push(Reply(calls=(Call("spy_check", {"source": GOOD}),)),
              Reply(calls=(Call("spy_lint", {"code": GOOD}),)),
              Reply(content=f"```spy\n{GOOD}```"))
    engines = _engines(fake, tmp_path)
    assert engines.coder.compile(DOCUMENT, None).steps[0].code == GOOD
    second, third = fake.chat_requests()[1:]
    assert _tool_results(second) == ["error: the arguments do not fit spy_check: code: Field required"]
    assert _tool_results(third)[-1] == "error: there is no tool named 'spy_lint'; the tools are: spy_check, spy_test"
    usage = _usage(engines)
    assert (usage["tool_calls"], usage["tool_errors"]) == (2, 2)
    refused = next(s for s in spans.get_finished_spans() if s.name == "execute_tool spy_check")
    assert (refused.attributes or {})["error.type"] == "invalid_arguments"


def test_a_model_that_ignores_the_tools_is_still_validated(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.push(Reply(content=f"```spy\n{UNKNOWN_NAME}```"), Reply(content=f"```spy\n{GOOD}```"))
    engines = _engines(fake, tmp_path)
    assert engines.coder.compile(DOCUMENT, None).steps[0].code == GOOD
    first, repair = fake.chat_requests()
    assert _offered(first) == _offered(repair) == ["spy_check", "spy_test"]
    assert "E101" in repair.messages[-1]["content"]  # the deterministic validators caught what the tools would have
    assert _usage(engines)["tool_calls"] == 0


def test_the_tool_loop_is_bounded(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.push(*[Reply(calls=(Call("spy_check", {"code": GOOD}),))] * 2, Reply(content=f"```spy\n{GOOD}```"))
    engines = _engines(fake, tmp_path, PD_LLM_TOOL_ROUNDS="2")
    assert engines.coder.compile(DOCUMENT, None).steps[0].code == GOOD
    assert [_offered(r) for r in fake.chat_requests()] == [["spy_check", "spy_test"]] * 2 + [[]]
    assert _usage(engines)["tool_calls"] == 2


def test_429_and_500_inside_a_tool_loop_are_retried(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.push(Reply(calls=(Call("spy_test", {"code": GOOD}),)), Fail(429, retry_after="0"), Fail(500),
              Reply(content=f"```spy\n{GOOD}```"))
    engines = _engines(fake, tmp_path)
    assert engines.coder.compile(DOCUMENT, None).steps[0].code == GOOD
    last = fake.chat_requests()[-1]
    assert re.fullmatch(r"[1-9]\d* passed, 0 failed", _tool_results(last)[0])
    usage = _usage(engines)
    assert (usage["calls"], usage["attempts"], usage["tool_calls"]) == (2, 4, 1)


def test_the_analyst_searches_the_template_library(fake: FakeOpenAI, tmp_path: Path) -> None:
    template = ProcessTemplate.model_validate(_template())
    asked: list[tuple[str, int]] = []

    def search(query: str, top: int) -> list[ProcessTemplate]:
        asked.append((query, top))
        return [template]

    engines = _engines(fake, tmp_path)
    engines.use_template_search(search)
    fake.push(Reply(calls=(Call("search_templates", {"query": "saas onboarding"}),)),
              Reply(content=json.dumps({**ANALYSIS, "templates": [template.id, "invented-id"]})))
    requirement = engines.analyst.analyze("Onboard SaaS customers", DesignContext(), [], None)
    assert asked == [("saas onboarding", 3)]
    found = json.loads(_tool_results(fake.chat_requests()[1])[0])
    assert [t["id"] for t in found] == [template.id]
    assert requirement.templates == [template.id]  # found by the tool, so kept; the invented one is dropped


def test_the_reviewer_runs_the_graph_checks(fake: FakeOpenAI, tmp_path: Path) -> None:
    broken = ProcessFlow.model_validate({
        "nodes": [{"id": "start", "kind": "start"}, {"id": "t1", "kind": "task", "step": 1, "label": "Create the CRM account"},
                  {"id": "end", "kind": "end"}],
        "edges": [{"from": "start", "to": "t1"}]})
    document = DOCUMENT.model_copy(update={"flow": broken})
    fake.push(Reply(calls=(Call("check_graph", {}),)),
              Reply(content=json.dumps({"findings": ["Step 1 leads to no end; connect it to the end."]})))
    report = _engines(fake, tmp_path).reviewer.review(document, 0)
    (result,) = _tool_results(fake.chat_requests()[1])
    assert "step 1 ('Create the CRM account') leads to no end" in result.splitlines()
    assert report.findings[-1] == MODEL_FINDING + "Step 1 leads to no end; connect it to the end."
    assert report.score == review_document(document, revisions=0).score  # scores stay deterministic


def _template() -> dict[str, Any]:
    return {"id": "saas-onboarding", "title": "SaaS onboarding", "description": "Onboard a new SaaS customer",
            "category": "customer", "business_domain": "saas", "document": DOCUMENT.model_dump(mode="json")}


def test_an_answer_given_beside_a_tool_call_is_asked_again(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.push(Reply(calls=(Call("search_templates", {"query": "onboarding"}), Call("answer", ANALYSIS))),
              Reply(content=json.dumps({**ANALYSIS, "title": "Onboarding, after the search"})))
    requirement = _engines(fake, tmp_path).analyst.analyze("Onboard customers", DesignContext(), [], None)
    assert requirement.title == "Onboarding, after the search"
    results = _tool_results(fake.chat_requests()[1])
    assert results == ["[]", "not taken yet: read the other tools' results, then answer again"]
