"""Retries, back-off, Retry-After, deadlines and usage of single model calls against a real HTTP server."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from process_designer.agents.llm import llm_engines
from process_designer.agents.llm.calls import retry_after_seconds
from process_designer.errors import EngineError

from .conftest import settings_for
from .fake_openai import Drop, Fail, FakeOpenAI, Reply

MESSAGES = [SystemMessage(content="ROLE: test"), HumanMessage(content="hello")]


def _call(fake: FakeOpenAI, tmp_path: Path, stream: bool = False, **env: str) -> tuple[str, dict]:
    engines = llm_engines(settings_for(fake, tmp_path, **env))
    assert engines.runtime is not None
    engines.begin_turn()
    answer = engines.runtime.call("writer", list(MESSAGES), stream_as="process_writer" if stream else None)
    return str(answer.content), engines.usage_snapshot("-")


def test_answer_and_usage_are_recorded(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.push(Reply(content="hi there", usage=(12, 3)))
    content, usage = _call(fake, tmp_path, PD_LLM_PRICE_INPUT="1000", PD_LLM_PRICE_OUTPUT="2000")
    assert content == "hi there"
    assert usage["turn"]["calls"] == 1
    assert usage["turn"]["input_tokens"] == 12
    assert usage["turn"]["output_tokens"] == 3
    assert usage["turn"]["cost_usd"] == pytest.approx(0.018)
    assert usage["thread"]["by_agent"]["writer"]["total_tokens"] == 15
    body = fake.chat_requests()[0].body
    assert body["model"] == "test-model"
    assert body["temperature"] == 0.0
    assert body["max_completion_tokens"] == 4096
    assert fake.chat_requests()[0].headers["authorization"] == "Bearer sk-test"


def test_streamed_answer_reaches_listeners_with_usage(fake: FakeOpenAI, tmp_path: Path) -> None:
    text = "The writer's prose, streamed in many small pieces."
    fake.push(Reply(content=text, usage=(30, 11)))
    engines = llm_engines(settings_for(fake, tmp_path))
    heard: list[tuple[str, str]] = []
    engines.add_partial_listener(lambda agent, piece: heard.append((agent, piece)))
    assert engines.runtime is not None
    answer = engines.runtime.call("writer", list(MESSAGES), stream_as="process_writer")
    assert answer.content == text
    assert len(heard) == 4
    assert {agent for agent, _ in heard} == {"process_writer"}
    assert "".join(piece for _, piece in heard) == text
    assert fake.chat_requests()[0].body["stream"] is True
    assert fake.chat_requests()[0].body["stream_options"] == {"include_usage": True}
    assert engines.usage_snapshot()["total"]["total_tokens"] == 41


def test_429_waits_as_long_as_retry_after_says(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.push(Fail(429, retry_after="0.4"), Reply(content="ok"))
    started = time.monotonic()
    content, usage = _call(fake, tmp_path)
    assert content == "ok"
    requests = fake.chat_requests()
    assert len(requests) == 2
    assert requests[1].at - requests[0].at >= 0.4
    assert time.monotonic() - started < 3
    assert usage["turn"]["attempts"] == 2
    assert usage["turn"]["calls"] == 1


@pytest.mark.parametrize("failure", [Fail(500), Fail(503), Drop(), Reply(content="late", delay=2.0)],
                         ids=["500", "503", "dropped", "slow"])
def test_transient_failures_are_retried(fake: FakeOpenAI, tmp_path: Path, failure: Fail | Drop | Reply) -> None:
    fake.push(failure, Reply(content="recovered"))
    content, _ = _call(fake, tmp_path, PD_LLM_TIMEOUT="0.5")
    assert content == "recovered"
    assert len(fake.chat_requests()) == 2


@pytest.mark.parametrize("retries", [0, 2, 4])
def test_retry_count_is_exactly_as_configured(fake: FakeOpenAI, tmp_path: Path, retries: int) -> None:
    fake.push(*[Fail(500)] * 10)
    with pytest.raises(EngineError, match=rf"kept failing for the writer \({retries + 1} attempt\(s\), "
                                          r"last: HTTP 500\); .*PD_LLM_RETRIES"):
        _call(fake, tmp_path, PD_LLM_RETRIES=str(retries))
    assert len(fake.chat_requests()) == retries + 1


def test_client_errors_are_not_retried(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.push(Fail(401))
    with pytest.raises(EngineError, match=r"refused the credentials \(HTTP 401\); check OPENAI_API_KEY"):
        _call(fake, tmp_path)
    assert len(fake.chat_requests()) == 1


def test_turn_deadline_stops_retrying(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.push(Fail(429, retry_after="5"), Reply(content="too late"))
    started = time.monotonic()
    with pytest.raises(EngineError, match=r"within the turn's deadline of 1 s after 1 attempt\(s\) "
                                          r"\(last: HTTP 429\); .*PD_LLM_TURN_DEADLINE"):
        _call(fake, tmp_path, PD_LLM_TURN_DEADLINE="1")
    assert time.monotonic() - started < 1
    assert len(fake.chat_requests()) == 1


def test_retry_after_accepts_seconds_and_dates() -> None:
    class Response:
        def __init__(self, value: str) -> None:
            self.headers = {"retry-after": value}

    class Failure(Exception):
        def __init__(self, value: str) -> None:
            self.response = Response(value)

    assert retry_after_seconds(Failure("7")) == 7.0
    assert retry_after_seconds(Failure("Thu, 01 Jan 1970 00:00:00 GMT")) == 0.0
    assert retry_after_seconds(ValueError("no response")) is None


def test_every_attempt_is_a_chat_span_with_usage(fake: FakeOpenAI, tmp_path: Path) -> None:
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from process_designer.config import Settings
    from process_designer.telemetry import install, setup_telemetry

    spans = InMemorySpanExporter()
    previous = install(setup_telemetry(Settings(), span_exporter=spans))
    try:
        fake.push(Fail(500), Reply(content="ok", usage=(9, 4)))
        _call(fake, tmp_path, stream=True)
    finally:
        install(previous or setup_telemetry(Settings()))
    failed, answered = spans.get_finished_spans()
    assert (failed.name, answered.name) == ("chat test-model", "chat test-model")
    attributes = dict(answered.attributes or {})
    assert attributes["gen_ai.agent.name"] == "process_writer"
    assert (attributes["gen_ai.usage.input_tokens"], attributes["gen_ai.usage.output_tokens"]) == (9, 4)
    assert attributes["gen_ai.response.finish_reasons"] == ("stop",)
    assert "gen_ai.usage.input_tokens" not in dict(failed.attributes or {})
