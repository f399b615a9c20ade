"""Observability: OpenTelemetry traces and metrics, JSON logs, and session analytics.

Spans (GenAI conventions): ``invoke_workflow`` per turn, ``invoke_agent <node>`` per graph node,
``chat <model>`` per LLM call (:func:`llm_span`), ``retrieval`` per template search and
``execute_tool <tool>`` per SPy check or test run — under the gRPC or HTTP request span.

The names below load their module on first use: a command that only traces a template search
does not pay for the metrics SDK and the analytics store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from process_designer.lazy import exports

if TYPE_CHECKING:
    from process_designer.telemetry.analytics import (
        AnalyticsReport,
        AnalyticsStore,
        SessionSummary,
        TurnRecord,
    )
    from process_designer.telemetry.logs import JsonLogFormatter, configure_json_logging
    from process_designer.telemetry.prometheus import CONTENT_TYPE as PROMETHEUS_CONTENT_TYPE
    from process_designer.telemetry.setup import (
        Telemetry,
        current,
        exporting,
        install,
        setup_telemetry,
    )
    from process_designer.telemetry.spans import (
        LlmCall,
        llm_span,
        tool_span,
        traced_node,
        traced_retrieval,
    )
    from process_designer.telemetry.turns import TurnObserver, observe_turn

_EXPORTS = {
    "AnalyticsReport": "process_designer.telemetry.analytics",
    "AnalyticsStore": "process_designer.telemetry.analytics",
    "SessionSummary": "process_designer.telemetry.analytics",
    "TurnRecord": "process_designer.telemetry.analytics",
    "JsonLogFormatter": "process_designer.telemetry.logs",
    "configure_json_logging": "process_designer.telemetry.logs",
    "PROMETHEUS_CONTENT_TYPE": "process_designer.telemetry.prometheus:CONTENT_TYPE",
    "Telemetry": "process_designer.telemetry.setup",
    "current": "process_designer.telemetry.setup",
    "exporting": "process_designer.telemetry.setup",
    "install": "process_designer.telemetry.setup",
    "setup_telemetry": "process_designer.telemetry.setup",
    "LlmCall": "process_designer.telemetry.spans",
    "llm_span": "process_designer.telemetry.spans",
    "tool_span": "process_designer.telemetry.spans",
    "traced_node": "process_designer.telemetry.spans",
    "traced_retrieval": "process_designer.telemetry.spans",
    "TurnObserver": "process_designer.telemetry.turns",
    "observe_turn": "process_designer.telemetry.turns",
}

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


__getattr__ = exports(__name__, _EXPORTS)
