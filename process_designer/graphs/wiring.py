"""The designer graph's wiring: every node, its dependencies and (through ``Command[Literal[...]]``) its routes."""

from __future__ import annotations

import functools
from typing import Any, Protocol

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import Runtime

from process_designer.errors import ConfigError
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

__all__ = ["build_graph"]



class Node(Protocol):
    """A node of the designer graph: the state in, a ``Command`` naming the next node out."""

    __name__: str

    def __call__(self, state: DesignerState, *, runtime: Runtime[DesignerDeps]) -> Any: ...


_NODES: tuple[Node, ...] = (
    route_turn, requirement_analyst, process_writer, spy_coder, quality_reviewer, answer_question,
    compare_processes, manage_versions, save_as_template, update_context, respond,
)


def _with_deps(node: Node, deps: DesignerDeps | None) -> Node:
    """``node`` run with ``deps`` unless the caller passed its own as the run's context.

    The wrapper keeps the node's signature and ``Command[Literal[...]]`` annotation (``__wrapped__``).
    """

    @functools.wraps(node)
    def run(state: DesignerState, runtime: Runtime[DesignerDeps]) -> Any:
        if not isinstance(runtime.context, DesignerDeps):  # Studio sends none, or a plain dict
            if deps is None:
                raise ConfigError(f"node {node.__name__} has no DesignerDeps; pass them to build_graph(deps=...) "
                                  "or as the run's context")
            runtime = runtime.override(context=deps)
        return node(state, runtime=runtime)

    return run


def build_graph(checkpointer: BaseCheckpointSaver | None = None, *,
                deps: DesignerDeps | None = None) -> CompiledStateGraph[Any, Any, Any, Any]:
    """Wire the nodes over ``deps``; every route is declared by the nodes' ``Command[Literal[...]]`` annotations.

    Each node runs in an ``invoke_agent <node>`` span. The deps are not part of the graph's schemas: they
    hold engines and stores, which no client can send, so Studio draws input and state forms only.
    """
    builder = StateGraph[DesignerState, DesignerDeps, DesignerInput, DesignerState](
        DesignerState, input_schema=DesignerInput)
    for node in _NODES:
        builder.add_node(node.__name__, traced_node(node.__name__, _with_deps(node, deps)))
    builder.add_edge(START, "route_turn")
    return builder.compile(checkpointer=checkpointer, name="process_designer")
