"""A multi-turn chat through the Designer with PD_MODEL=openai:test-model over the real ChatOpenAI client."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from langchain_core.runnables import RunnableConfig

from process_designer.agents.llm import LLMEngines
from process_designer.agents.reviewer import review_document, revisable_score
from process_designer.designer import Designer
from process_designer.errors import EngineError
from process_designer.knowledge.library import TemplateLibrary

from .conftest import settings_for
from .fake_openai import Fail, FakeOpenAI, Reply
from .scripted_model import answer_as_agents, data_of

REQUIREMENTS = "Automated customer onboarding for a SaaS product with CRM, e-mail and billing"


@pytest.fixture(scope="module")
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(responder=answer_as_agents) as fake:
        yield fake


@pytest.fixture(scope="module")
def designer(server: FakeOpenAI, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Designer]:
    settings = settings_for(server, tmp_path_factory.mktemp("llm-chat"), PD_LLM_RETRIES="2")
    with TemplateLibrary(settings) as library:
        library.ensure_index()
        instance = Designer(settings, library=library)
        instance.deps.clock = lambda: datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
        yield instance
        instance.close()


def _engines(designer: Designer) -> LLMEngines:
    engines = designer.deps.engines
    assert isinstance(engines, LLMEngines)
    return engines


def _roles(server: FakeOpenAI, since: int) -> list[str]:
    return [r.system.splitlines()[0].removeprefix("ROLE: ") for r in server.chat_requests()[since:]]


def test_design_edit_and_question_over_three_turns(server: FakeOpenAI, designer: Designer) -> None:
    engines = _engines(designer)
    timeline: list[str] = []
    engines.add_partial_listener(lambda agent, text: timeline.append(f"partial:{agent}"))

    streamed_partials = 0
    for event in designer.stream_turn("chat-1", REQUIREMENTS):
        if event.partial:  # the designer forwards the writer's prose as it is generated
            assert (event.agent, event.final) == ("process_writer", False)
            streamed_partials += 1
            continue
        timeline.append(event.agent)
    assert streamed_partials == timeline.count("partial:process_writer") > 0
    document = designer.document("chat-1")
    assert document is not None
    writer_at = timeline.index("process_writer")
    assert timeline[:2] == ["route_turn", "requirement_analyst"]
    assert set(timeline[2:writer_at]) == {"partial:process_writer"}
    assert timeline[writer_at:] == ["process_writer", "spy_coder", "quality_reviewer", "respond"]
    assert _roles(server, 0) == ["requirement_analyst", "process_writer", "spy_coder", "spy_coder", "spy_coder",
                                 "quality_reviewer"]
    analyst_data = data_of(server.chat_requests()[0].messages[1]["content"])
    assert analyst_data["requirements"] == REQUIREMENTS
    assert [s.duration for s in document.steps] == ["15 minutes", "30 minutes", "5 minutes"]
    assert document.overview.last_updated == "2026-03-02"
    assert (document.spy.tests_passed, document.spy.tests_failed, document.spy.diagnostics) == (14, 0, [])
    offline_scores = review_document(document, revisions=0)
    # the scores are the offline reviewer's; in the chat it also holds the design against the requirements
    assert (revisable_score(document.quality), document.quality.completeness, document.quality.clarity) == (
        revisable_score(offline_scores), offline_scores.completeness, offline_scores.clarity)
    assert document.quality.soundness <= offline_scores.soundness
    assert document.quality.findings[-1] == "Model review: Step 2 has no four-eyes check on the billing plan."
    turn = engines.usage_snapshot("chat-1")["turn"]
    assert (turn["calls"], turn["input_tokens"], turn["output_tokens"]) == (6, 2400, 1300)
    assert turn["by_agent"]["coder"]["calls"] == 3

    events = [e for e in designer.run_turn("chat-1", "change step 2 so that it takes 45 minutes") if not e.partial]
    assert [e.agent for e in events] == ["route_turn", "process_writer", "spy_coder", "quality_reviewer", "respond"]
    assert _roles(server, 6) == ["process_writer", "spy_coder", "quality_reviewer"]
    assert data_of(server.chat_requests()[7].messages[1]["content"])["handler"] == "Step2Handler"
    edited = designer.document("chat-1")
    assert edited is not None
    assert [s.duration for s in edited.steps] == ["15 minutes", "45 minutes", "5 minutes"]
    assert edited.steps[0].code == document.steps[0].code
    assert [v.number for v in designer.versions("chat-1")] == [1, 2]

    answer = designer.run_turn("chat-1", "who owns step 2?")[-1]
    assert answer.final
    assert answer.content == "Step 2 is owned by Finance and takes 30 minutes."
    usage = engines.usage_snapshot("chat-1")
    assert usage["turn"]["calls"] == 1
    assert usage["thread"]["calls"] == 10
    assert usage["thread"]["total_tokens"] == 3700 + 2330 + 365


def test_a_failing_model_ends_the_turn_and_the_thread_stays_usable(server: FakeOpenAI, designer: Designer) -> None:
    engines = _engines(designer)
    designer.run_turn("chat-2", REQUIREMENTS)
    before = designer.document("chat-2")
    sent = len(server.chat_requests())
    server.push(*[Fail(503)] * 3)
    failed_turn = designer.run_turn("chat-2", "change step 2 so that it takes 45 minutes")
    final = failed_turn[-1]
    assert final.final and final.agent == "respond"
    assert re.search(r"kept failing for the writer \(3 attempt\(s\), last: HTTP 503\)", final.content)
    assert final.content.endswith("Nothing was changed; send the message again to retry.")
    assert len(server.chat_requests()) == sent + 3
    failed = engines.usage_snapshot("chat-2")["turn"]
    assert (failed["calls"], failed["attempts"], failed["total_tokens"]) == (0, 3, 0)
    assert designer.document("chat-2") == before
    assert [v.number for v in designer.versions("chat-2")] == [1]
    retried = designer.run_turn("chat-2", "change step 2 so that it takes 45 minutes")
    assert retried[-1].final
    edited = designer.document("chat-2")
    assert edited is not None
    assert edited.steps[1].duration == "45 minutes"
    assert [v.number for v in designer.versions("chat-2")] == [1, 2]


def test_designer_start_up_fails_clearly_without_the_model(server: FakeOpenAI, tmp_path: Path) -> None:
    settings = settings_for(server, tmp_path, PD_MODEL="openai:gpt-nope")
    with pytest.raises(EngineError, match=r"does not serve model 'gpt-nope' \(PD_MODEL\); it serves: test-model"):
        Designer(settings, library=None)


def test_writer_tokens_are_custom_stream_events_of_the_graph(server: FakeOpenAI, designer: Designer) -> None:
    config: RunnableConfig = {"configurable": {"thread_id": "chat-3"}}
    updates: list[str] = []
    partials: list[dict[str, str]] = []
    for mode, chunk in designer.graph.stream({"input": REQUIREMENTS, "role": "USER"}, config,
                                             stream_mode=["updates", "custom"], context=designer.deps):
        if mode == "custom":
            assert isinstance(chunk, dict)
            partials.append(chunk)
            assert updates[-1] == "requirement_analyst"
        else:
            updates.extend(chunk)
    assert {tuple(sorted(p)) for p in partials} == {("agent", "partial")}
    assert {p["agent"] for p in partials} == {"process_writer"}
    writer_answer = answer_as_agents({"messages": [{"role": "system", "content": "ROLE: process_writer"},
                                                   {"role": "user", "content": "Write the process document."}]})
    assert isinstance(writer_answer, Reply)
    assert "".join(p["partial"] for p in partials) == writer_answer.content
