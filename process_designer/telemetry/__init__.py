"""Observability: OpenTelemetry traces and metrics, JSON logs, and session analytics.

Spans (GenAI conventions): ``invoke_workflow`` per turn, ``invoke_agent <node>`` per graph node,
``chat <model>`` per LLM call (:func:`llm_span`), ``retrieval`` per template search and
``execute_tool <tool>`` per SPy check or test run — under the gRPC or HTTP request span.

The names below load their module on first use: a command that only traces a template search
does not pay for the metrics SDK and the analytics store.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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

# name → (module, attribute in it)
_EXPORTS: dict[str, tuple[str, str]] = {
    "AnalyticsReport": ("analytics", "AnalyticsReport"),
    "AnalyticsStore": ("analytics", "AnalyticsStore"),
    "SessionSummary": ("analytics", "SessionSummary"),
    "TurnRecord": ("analytics", "TurnRecord"),
    "JsonLogFormatter": ("logs", "JsonLogFormatter"),
    "configure_json_logging": ("logs", "configure_json_logging"),
    "PROMETHEUS_CONTENT_TYPE": ("prometheus", "CONTENT_TYPE"),
    "Telemetry": ("setup", "Telemetry"),
    "current": ("setup", "current"),
    "exporting": ("setup", "exporting"),
    "install": ("setup", "install"),
    "setup_telemetry": ("setup", "setup_telemetry"),
    "LlmCall": ("spans", "LlmCall"),
    "llm_span": ("spans", "llm_span"),
    "tool_span": ("spans", "tool_span"),
    "traced_node": ("spans", "traced_node"),
    "traced_retrieval": ("spans", "traced_retrieval"),
    "TurnObserver": ("turns", "TurnObserver"),
    "observe_turn": ("turns", "observe_turn"),
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


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"{__name__}.{module}"), attribute)
    globals()[name] = value
    return value
