"""Observability: OpenTelemetry traces and metrics, JSON logs, and session analytics.

Spans (GenAI conventions): ``invoke_workflow`` per turn, ``invoke_agent <node>`` per graph node,
``chat <model>`` per LLM call (:func:`llm_span`), ``retrieval`` per template search and
``execute_tool <tool>`` per SPy check or test run — under the gRPC or HTTP request span.
"""

from __future__ import annotations

from process_designer.telemetry.analytics import (
    AnalyticsReport,
    AnalyticsStore,
    SessionSummary,
    TurnRecord,
)
from process_designer.telemetry.logs import JsonLogFormatter, configure_json_logging
from process_designer.telemetry.prometheus import CONTENT_TYPE as PROMETHEUS_CONTENT_TYPE
from process_designer.telemetry.setup import Telemetry, current, exporting, install, setup_telemetry
from process_designer.telemetry.spans import (
    LlmCall,
    llm_span,
    tool_span,
    traced_node,
    traced_retrieval,
)
from process_designer.telemetry.turns import TurnObserver, observe_turn

__all__ = [
    "PROMETHEUS_CONTENT_TYPE",
    "AnalyticsReport",
    "AnalyticsStore",
    "JsonLogFormatter",
    "LlmCall",
    "SessionSummary",
    "Telemetry",
    "TurnObserver",
    "TurnRecord",
    "configure_json_logging",
    "current",
    "exporting",
    "install",
    "llm_span",
    "observe_turn",
    "setup_telemetry",
    "tool_span",
    "traced_node",
    "traced_retrieval",
]
