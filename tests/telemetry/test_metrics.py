"""Metric values after the three-turn chat, read from an in-memory reader and from ``GET /metrics``."""

from __future__ import annotations

from typing import Any

import httpx
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader

from process_designer.telemetry.prometheus import render_prometheus
from telemetry.conftest import Chat, Installed


def _points(installed: Installed, name: str) -> dict[tuple[tuple[str, Any], ...], Any]:
    data = installed.metrics.get_metrics_data()
    assert data is not None
    return {tuple(sorted((p.attributes or {}).items())): p
            for r in data.resource_metrics for s in r.scope_metrics for m in s.metrics if m.name == name
            for p in m.data.data_points}


def _version(chat: Chat, number: int) -> dict[str, Any]:
    response = httpx.get(f"{chat.server.api}/sessions/{chat.session_id}/process/versions/{number}")
    document: dict[str, Any] = response.json()["document"]
    return document


def test_turns_and_latencies_are_counted_by_route(chat: Chat, installed: Installed) -> None:
    turns = _points(installed, "pd.turns")
    assert {key: p.value for key, p in turns.items()} == {
        (("pd.role", "USER"), ("pd.route", route)): 1 for route in ("design", "code", "question")}
    durations = _points(installed, "pd.turn.duration")
    assert {key: p.count for key, p in durations.items()} == {
        (("pd.outcome", "ok"), ("pd.route", route)): 1 for route in ("design", "code", "question")}
    first_chunks = _points(installed, "pd.turn.time_to_first_chunk")
    assert [p.count for p in first_chunks.values()] == [3]
    assert _points(installed, "pd.errors") == {}


def test_quality_revisions_and_template_hits_match_the_documents(chat: Chat, installed: Installed) -> None:
    first, second = _version(chat, 1), _version(chat, 2)
    quality = _points(installed, "pd.quality.score")
    for dimension in ("score", "completeness", "clarity"):
        point = quality[(("pd.quality.dimension", dimension),)]
        assert (point.count, point.sum) == (2, first["quality"][dimension] + second["quality"][dimension])
    rounds = _points(installed, "pd.revision.rounds")
    assert {key: p.count for key, p in rounds.items()} == {(("pd.route", "design"),): 1, (("pd.route", "code"),): 1}
    hits = _points(installed, "pd.template.hits")
    assert {key: p.value for key, p in hits.items()} == {
        (("pd.template.id", t),): 1 for t in first["templates_used"]}
    assert first["templates_used"]


def test_metrics_endpoint_serves_prometheus_text(chat: Chat) -> None:
    response = httpx.get(f"{chat.server.base}/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    lines = response.text.splitlines()
    for route in ("design", "code", "question"):
        assert f'pd_turns_total{{pd_role="USER",pd_route="{route}"}} 1' in lines
        assert f'pd_turn_duration_seconds_count{{pd_outcome="ok",pd_route="{route}"}} 1' in lines
    assert "# TYPE pd_turn_duration_seconds histogram" in lines
    assert "# TYPE pd_turns_total counter" in lines


def test_prometheus_text_format_is_exact() -> None:
    reader = InMemoryMetricReader()
    meter = MeterProvider(metric_readers=[reader]).get_meter("test")
    meter.create_counter("pd.demo", unit="{x}", description="Demo").add(2, {"b": "1", "a": 'x"y'})
    latency = meter.create_histogram("demo.latency", unit="s", description="Latency",
                                     explicit_bucket_boundaries_advisory=(1.0,))
    latency.record(0.5)
    latency.record(3.0)
    assert render_prometheus(reader.get_metrics_data()) == (
        "# HELP demo_latency_seconds Latency\n"
        "# TYPE demo_latency_seconds histogram\n"
        'demo_latency_seconds_bucket{le="1.0"} 1\n'
        'demo_latency_seconds_bucket{le="+Inf"} 2\n'
        "demo_latency_seconds_sum 3.5\n"
        "demo_latency_seconds_count 2\n"
        "# HELP pd_demo_total Demo\n"
        "# TYPE pd_demo_total counter\n"
        'pd_demo_total{a="x\\"y",b="1"} 2\n'
    )
    assert render_prometheus(None) == ""
