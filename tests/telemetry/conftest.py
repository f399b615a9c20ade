"""Fixtures of the telemetry tests: in-memory span and metric exporters, and one chat through a real server."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from process_designer.config import Settings
from process_designer.telemetry import Telemetry, install, setup_telemetry

sys.path.insert(0, str(Path(__file__).parents[1] / "http"))
from http_harness import Running, running_server

TURN_TIMEOUT = 180.0
REQUIREMENTS = "Create process for automated customer onboarding with CRM, email and billing"
MESSAGES_ROUTE = "POST /api/v1/process-designer/sessions/{session_id}/messages"
TURNS = (REQUIREMENTS, "regenerate the code", "Who owns this process?")


@dataclass(frozen=True)
class Installed:
    telemetry: Telemetry
    spans: InMemorySpanExporter
    metrics: InMemoryMetricReader


@dataclass(frozen=True)
class Chat:
    """A session chatted through the HTTP API: its thread, the turns' answers and the spans left."""

    server: Running
    session_id: str
    thread_id: str
    answers: list[list[dict[str, Any]]]
    spans: tuple[ReadableSpan, ...]


@pytest.fixture(scope="session")
def installed() -> Iterator[Installed]:
    spans, metrics = InMemorySpanExporter(), InMemoryMetricReader()
    telemetry = setup_telemetry(Settings(), span_exporter=spans, metric_readers=(metrics,))
    previous = install(telemetry)
    yield Installed(telemetry, spans, metrics)
    if previous is not None:
        install(previous)
    telemetry.shutdown()


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(data_dir=tmp_path_factory.mktemp("telemetry") / "data")


@pytest.fixture(scope="session")
def chat(installed: Installed, settings: Settings) -> Iterator[Chat]:
    with running_server(settings) as server, httpx.Client(base_url=server.api, timeout=TURN_TIMEOUT) as http:
        created = http.post("/sessions", json={"title": "Onboarding"}).json()
        answers = [http.post(f"/sessions/{created['session_id']}/messages", json={"content": text}).json()["messages"]
                   for text in TURNS]
        yield Chat(server, created["session_id"], created["thread_id"], answers, _settled(installed.spans))


def _settled(exporter: InMemorySpanExporter) -> tuple[ReadableSpan, ...]:
    """The spans once the last request's span has ended: the server ends it just after the response is sent."""
    deadline = time.monotonic() + 10
    while True:
        spans = exporter.get_finished_spans()
        if sum(1 for s in spans if s.name == MESSAGES_ROUTE) == len(TURNS) or time.monotonic() > deadline:
            return spans
        time.sleep(0.02)
