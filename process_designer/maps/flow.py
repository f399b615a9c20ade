"""The process graph as the maps draw it: events, tasks, decisions, parallel splits and joins, each in a lane.

Mermaid, BPMN and the SVG of the web page all draw this one view of ``document.effective_flow()``,
so every export agrees with the document, the SPy runner and each other on the process's shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from process_designer.domain.flow import FlowEdge as ModelEdge
from process_designer.domain.flow import FlowNode as ModelNode
from process_designer.domain.flow import ProcessFlow
from process_designer.domain.models import ProcessDocument, Step

__all__ = ["Flow", "FlowEdge", "FlowNode", "NodeKind", "build_flow", "expression", "predecessors"]

NodeKind = Literal["start", "task", "decision", "split", "join", "end"]
_SAFE_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_EVENT_ID = re.compile(r"^(start|end)(_\d+)?$")


@dataclass(frozen=True)
class FlowNode:
    id: str
    kind: NodeKind
    label: str
    lane: str
    step: Step | None = None


@dataclass(frozen=True)
class FlowEdge:
    id: str
    source: str
    target: str
    label: str = ""  # the condition's words, "otherwise" on a decision's default branch
    expression: str = ""  # the condition as rules: "amount > 10000 and amount <= 25000"
    default: bool = False
    loop: bool = False  # goes back to an earlier node


@dataclass
class Flow:
    nodes: list[FlowNode] = field(default_factory=list)
    edges: list[FlowEdge] = field(default_factory=list)

    def node(self, node_id: str) -> FlowNode:
        return next(n for n in self.nodes if n.id == node_id)

    @property
    def lanes(self) -> list[str]:
        """Performers in order of first appearance: one lane each."""
        seen: list[str] = []
        for node in self.nodes:
            if node.lane not in seen:
                seen.append(node.lane)
        return seen


def predecessors(document: ProcessDocument) -> dict[int, list[int]]:
    """Each step's nearest preceding steps in the document's graph (through gateways, loops ignored)."""
    return document.effective_flow().step_predecessors()


def expression(edge: ModelEdge) -> str:
    """The branch's rules as one expression: ``amount > 2500 and amount <= 25000``; empty without rules."""
    return " and ".join(rule.text() for rule in edge.rules)


def _role(step: Step) -> str:
    return " ".join(step.responsible.split()) or "Unassigned"


class _Drawing:
    def __init__(self, document: ProcessDocument) -> None:
        self.document = document
        self.model: ProcessFlow = document.effective_flow()
        self.back = self.model.back_edges()
        self.ids = self._ids()

    def _ids(self) -> dict[str, str]:
        """Drawing ids: the model's, except events (``end`` is a Mermaid keyword) and ids no format accepts."""
        ids: dict[str, str] = {}
        counts: dict[str, int] = {}
        for node in self.model.nodes:
            if node.kind == "task" and node.step is not None:
                wanted = f"step_{node.step}"
            elif node.kind in ("start", "end"):
                counts[node.kind] = counts.get(node.kind, 0) + 1
                named = _EVENT_ID.match(node.id)  # "end_1" → "end_event_1", which the BPMN import reads back
                suffix = named.group(2) if named and named.group(1) == node.kind else (
                    f"_{counts[node.kind]}" if counts[node.kind] > 1 else "")
                wanted = f"{node.kind}_event{suffix or ''}"
            elif _SAFE_ID.match(node.id) and not node.id.startswith(("step_", "start_event", "end_event")):
                wanted = node.id
            else:
                counts[node.kind] = counts.get(node.kind, 0) + 1
                wanted = f"{'decision' if node.kind == 'exclusive' else 'parallel'}_g{counts[node.kind]}"
            while wanted in ids.values():
                wanted += "_x"
            ids[node.id] = wanted
        return ids

    def kind(self, node: ModelNode) -> NodeKind:
        if node.kind == "exclusive":
            return "decision"
        if node.kind == "parallel":
            return "join" if self.model.is_join(node.id) else "split"
        return node.kind

    def lane(self, node: ModelNode, steps: dict[int, Step], seen: frozenset[str] = frozenset()) -> str:
        """A task's performer; an event or gateway sits in the lane of the task before it (else after it)."""
        if node.kind == "task" and node.step is not None:
            step = steps.get(node.step)
            return _role(step) if step is not None else (node.performer or "Unassigned")
        seen = seen | {node.id}
        before = [e.source for e in self.model.incoming(node.id) if (e.source, e.target) not in self.back]
        after = [e.target for e in self.model.outgoing(node.id)]
        for neighbour in (before if node.kind != "start" else []) + after:
            if neighbour not in seen and self.model.has(neighbour):
                return self.lane(self.model.node(neighbour), steps, seen)
        first = next(iter(steps.values()), None)
        return _role(first) if first is not None else "Process"

    def build(self) -> Flow:
        steps = {step.number: step for step in self.document.steps}
        flow = Flow()
        ordered = [self.model.node(node_id) for node_id in self.model.order()]
        for node in ordered:
            step = steps.get(node.step) if node.kind == "task" and node.step is not None else None
            label = step.name if step is not None else node.label
            if node.kind in ("start", "end") and not label:
                label = node.kind.capitalize()
            flow.nodes.append(FlowNode(self.ids[node.id], self.kind(node), label, self.lane(node, steps), step))
        order = {node.id: index for index, node in enumerate(ordered)}
        # By source only: a decision's branches keep the model's order, the order they are tried in.
        edges = sorted((e for e in self.model.edges if e.source in self.ids and e.target in self.ids),
                       key=lambda e: order[e.source])
        for number, edge in enumerate(edges, start=1):
            decision = self.model.node(edge.source).kind == "exclusive"
            label = ("otherwise" if edge.default else " ".join((edge.condition or expression(edge)).split())
                     ) if decision else ""
            flow.edges.append(FlowEdge(f"flow_{number}", self.ids[edge.source], self.ids[edge.target], label,
                                       expression(edge), edge.default and decision,
                                       (edge.source, edge.target) in self.back))
        return flow


def build_flow(document: ProcessDocument) -> Flow:
    """The drawing of ``document``'s process graph (its flow, or its steps' ``depends_on`` without one)."""
    return _Drawing(document).build()
