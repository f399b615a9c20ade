"""``llm_span`` for the LLM engine, content capture, and JSON log lines with trace ids."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from opentelemetry.sdk.metrics.export import HistogramDataPoint, InMemoryMetricReader
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from process_designer.config import Settings, load_settings
from process_designer.errors import ConfigError
from process_designer.telemetry import Telemetry, install, llm_span, setup_telemetry
from process_designer.telemetry.logs import JsonLogFormatter
from process_designer.telemetry.spans import conversation


def _swap(capture: bool) -> Iterator[tuple[Telemetry, InMemorySpanExporter, InMemoryMetricReader]]:
    spans, metrics = InMemorySpanExporter(), InMemoryMetricReader()
    telemetry = setup_telemetry(Settings(otel_capture_content=capture), span_exporter=spans,
                                metric_readers=(metrics,))
    previous = install(telemetry)
    yield telemetry, spans, metrics
    if previous is not None:
        install(previous)


@pytest.fixture
def quiet() -> Iterator[tuple[Telemetry, InMemorySpanExporter, InMemoryMetricReader]]:
    yield from _swap(capture=False)


@pytest.fixture
def capturing() -> Iterator[tuple[Telemetry, InMemorySpanExporter, InMemoryMetricReader]]:
    yield from _swap(capture=True)


MESSAGES = [{"role": "user", "content": "secret requirements"}]


def test_llm_span_records_usage_and_no_content(quiet: tuple[Telemetry, InMemorySpanExporter,
                                                             InMemoryMetricReader]) -> None:
    _, spans, metrics = quiet
    with conversation("thread-7"), llm_span("gpt-4o-mini", agent="process_writer", temperature=0.0,
                                            max_tokens=512) as call:
        call.record_usage(120, 30)
        call.record_response(model="gpt-4o-mini-2024", response_id="r1", finish_reasons=["stop"])
        call.record_messages(MESSAGES, [{"role": "assistant", "content": "secret answer"}])
    (span,) = spans.get_finished_spans()
    assert span.name == "chat gpt-4o-mini"
    assert dict(span.attributes or {}) == {
        "gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o-mini",
        "gen_ai.agent.name": "process_writer", "gen_ai.request.temperature": 0.0, "gen_ai.request.max_tokens": 512,
        "gen_ai.conversation.id": "thread-7", "gen_ai.usage.input_tokens": 120, "gen_ai.usage.output_tokens": 30,
        "gen_ai.response.model": "gpt-4o-mini-2024", "gen_ai.response.id": "r1",
        "gen_ai.response.finish_reasons": ("stop",),
    }
    data = metrics.get_metrics_data()
    assert data is not None
    usage = {p.attributes["gen_ai.token.type"]: p.sum for r in data.resource_metrics for s in r.scope_metrics
             for m in s.metrics if m.name == "gen_ai.client.token.usage" for p in m.data.data_points
             if isinstance(p, HistogramDataPoint) and p.attributes}
    assert usage == {"input": 120, "output": 30}


def test_llm_span_captures_content_only_when_enabled(capturing: tuple[Telemetry, InMemorySpanExporter,
                                                                       InMemoryMetricReader]) -> None:
    _, spans, _ = capturing
    with pytest.raises(TimeoutError, match="slow"), llm_span("m") as call:
        call.record_messages(MESSAGES)
        raise TimeoutError("slow")
    (span,) = spans.get_finished_spans()
    attributes = span.attributes or {}
    assert json.loads(str(attributes["gen_ai.input.messages"])) == MESSAGES
    assert attributes["error.type"] == "TimeoutError"
    assert span.status.is_ok is False


def test_capture_switch_is_read_from_the_environment() -> None:
    assert load_settings({"PD_OTEL_CAPTURE_CONTENT": "true"}, dotenv=None).otel_capture_content is True
    assert load_settings({}, dotenv=None).otel_capture_content is False
    with pytest.raises(ConfigError, match="PD_OTEL_CAPTURE_CONTENT='maybe' is not a switch; use true or false"):
        load_settings({"PD_OTEL_CAPTURE_CONTENT": "maybe"}, dotenv=None)


def test_json_log_lines_carry_the_trace_of_the_current_span(quiet: tuple[Telemetry, InMemorySpanExporter,
                                                                         InMemoryMetricReader]) -> None:
    telemetry, _, _ = quiet
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLogFormatter())
    logger = logging.getLogger("pd.test.json")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        with telemetry.tracer.start_as_current_span("work") as span:
            logger.info("turn %s done", 3, extra={"thread_id": "t-1"})
        logger.warning("outside")
    finally:
        logger.removeHandler(handler)
    inside, outside = (json.loads(line) for line in stream.getvalue().splitlines())
    context = span.get_span_context()
    assert {k: inside[k] for k in ("level", "logger", "message", "thread_id", "trace_id", "span_id")} == {
        "level": "INFO", "logger": "pd.test.json", "message": "turn 3 done", "thread_id": "t-1",
        "trace_id": format(context.trace_id, "032x"), "span_id": format(context.span_id, "016x")}
    assert "trace_id" not in outside and outside["message"] == "outside"
