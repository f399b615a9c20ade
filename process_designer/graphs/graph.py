"""The designer graph as ``langgraph.json`` serves it to LangGraph Studio: no checkpointer, deps from the environment.

The wiring lives in :mod:`process_designer.graphs.wiring`; the CLI and servers build their own graph there.
"""

from __future__ import annotations

from process_designer.config import load_settings
from process_designer.graphs.context import DesignerDeps
from process_designer.graphs.wiring import build_graph

__all__ = ["build_graph", "graph"]

# Studio's server loads this file and sets PD_* from langgraph.json's env; a bad value stops it here, at start-up.
graph = build_graph(deps=DesignerDeps(settings=load_settings(dotenv=None)))
