"""The designer graph's wiring; ``graph`` is compiled without a checkpointer for ``langgraph.json``."""

from __future__ import annotations

from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from process_designer.graphs.context import DesignerDeps
from process_designer.graphs.nodes import (
    answer_question,
    compare_processes,
    manage_versions,
    process_writer,
    quality_reviewer,
    requirement_analyst,
    respond,
    route_turn,
    save_as_template,
    spy_coder,
    update_context,
)
from process_designer.graphs.state import DesignerInput, DesignerState
from process_designer.telemetry.spans import traced_node

__all__ = ["build_graph", "graph"]


def build_graph(checkpointer: BaseCheckpointSaver | None = None) -> CompiledStateGraph[Any, Any, Any, Any]:
    """Wire the nodes; every route is declared by the nodes' ``Command[Literal[...]]`` annotations.

    Each node runs in an ``invoke_agent <node>`` span; the wrapper keeps the node's annotations.
    """
    builder = StateGraph(DesignerState, context_schema=DesignerDeps, input_schema=DesignerInput)
    builder.add_node("route_turn", traced_node("route_turn", route_turn))
    builder.add_node("requirement_analyst", traced_node("requirement_analyst", requirement_analyst))
    builder.add_node("process_writer", traced_node("process_writer", process_writer))
    builder.add_node("spy_coder", traced_node("spy_coder", spy_coder))
    builder.add_node("quality_reviewer", traced_node("quality_reviewer", quality_reviewer))
    builder.add_node("answer_question", traced_node("answer_question", answer_question))
    builder.add_node("compare_processes", traced_node("compare_processes", compare_processes))
    builder.add_node("manage_versions", traced_node("manage_versions", manage_versions))
    builder.add_node("save_as_template", traced_node("save_as_template", save_as_template))
    builder.add_node("update_context", traced_node("update_context", update_context))
    builder.add_node("respond", traced_node("respond", respond))
    builder.add_edge(START, "route_turn")
    return builder.compile(checkpointer=checkpointer, name="process_designer")


graph = build_graph()
