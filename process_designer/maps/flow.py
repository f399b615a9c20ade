"""A process document as a flow graph: start, tasks, decision and parallel gateways, end, and the flows between them.

Mermaid and BPMN both draw this one graph, so the two exports always agree on the process's shape.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Literal

from process_designer.domain.models import Decision, ProcessDocument, Step

__all__ = ["Flow", "FlowEdge", "FlowNode", "NodeKind", "build_flow", "condition", "predecessors"]

NodeKind = Literal["start", "task", "decision", "fork", "join", "end"]


@dataclass(frozen=True)
class FlowNode:
    id: str
    kind: NodeKind
    label: str
    lane: str
    step: Step | None = None
    decision: Decision | None = None


@dataclass(frozen=True)
class FlowEdge:
    id: str
    source: str
    target: str
    label: str = ""
    branch: bool | None = None  # True/False for the two out-flows of a decision
    decision: Decision | None = None


@dataclass
class Flow:
    nodes: list[FlowNode] = field(default_factory=list)
    edges: list[FlowEdge] = field(default_factory=list)

    def node(self, node_id: str) -> FlowNode:
        return next(n for n in self.nodes if n.id == node_id)

    @property
    def lanes(self) -> list[str]:
        """Responsible roles in order of first appearance."""
        seen: list[str] = []
        for node in self.nodes:
            if node.lane not in seen:
                seen.append(node.lane)
        return seen


def predecessors(document: ProcessDocument) -> dict[int, list[int]]:
    """Each step's predecessors: its ``depends_on`` on earlier steps, else the step before it."""
    numbers = [s.number for s in document.steps]
    result: dict[int, list[int]] = {}
    for index, step in enumerate(document.steps):
        deps = [d for d in step.depends_on if d in numbers and numbers.index(d) < index]
        result[step.number] = sorted(set(deps)) or ([numbers[index - 1]] if index else [])
    return result


def _value_text(value: bool | int | float | str | None) -> str:
    return json.dumps(value, ensure_ascii=False)


def condition(decision: Decision, branch: bool) -> str:
    """The branch's condition as an expression: ``amount > 250`` or ``not (amount > 250)``."""
    subject = decision.subject or "condition"
    operator = {"is": "==", "is_not": "!="}.get(decision.operator, decision.operator)
    expression = f"{subject} {operator} {_value_text(decision.value)}"
    return expression if branch else f"not ({expression})"


def _role(step: Step) -> str:
    return step.responsible.strip() or "Unassigned"


class _Builder:
    def __init__(self, document: ProcessDocument) -> None:
        self.document = document
        self.flow = Flow()
        self.preds = predecessors(document)
        self.succs: dict[int, list[int]] = {s.number: [] for s in document.steps}
        for number, deps in self.preds.items():
            for dep in deps:
                self.succs[dep].append(number)
        self.entry: dict[int, str] = {}
        self.exit: dict[int, str] = {}
        self.exit_decision: dict[int, Decision] = {}

    def add(self, node: FlowNode) -> str:
        self.flow.nodes.append(node)
        return node.id

    def connect(self, source: str, target: str, decision: Decision | None = None) -> None:
        if decision is None:
            self.flow.edges.append(FlowEdge(f"flow_{len(self.flow.edges) + 1}", source, target))
            return
        for branch, outcome in ((True, decision.if_true), (False, decision.if_false)):
            label = f"{'yes' if branch else 'no'}: {outcome}" if outcome else ("yes" if branch else "no")
            self.flow.edges.append(FlowEdge(f"flow_{len(self.flow.edges) + 1}", source, target, label,
                                            branch, decision))

    def steps(self) -> None:
        for step in self.document.steps:
            n, lane = step.number, _role(step)
            entry = task = f"step_{n}"
            if len(self.preds[n]) > 1:
                entry = self.add(FlowNode(f"join_{n}", "join", "", lane, step))
            self.add(FlowNode(task, "task", step.name, lane, step))
            if entry != task:
                self.connect(entry, task)
            current, pending = task, None
            for index, decision in enumerate(step.decisions, start=1):
                gateway = self.add(FlowNode(f"decision_{n}_{index}", "decision", decision.text, lane, step, decision))
                self.connect(current, gateway, pending)
                current, pending = gateway, decision
            if len(self.succs[n]) > 1:
                fork = self.add(FlowNode(f"fork_{n}", "fork", "", lane, step))
                self.connect(current, fork, pending)
                current, pending = fork, None
            self.entry[n], self.exit[n] = entry, current
            if pending is not None:
                self.exit_decision[n] = pending

    def build(self) -> Flow:
        steps = self.document.steps
        first_lane = _role(steps[0]) if steps else "Process"
        start = self.add(FlowNode("start_event", "start", "Start", first_lane))
        self.steps()
        for step in steps:
            for dep in self.preds[step.number]:
                self.connect(self.exit[dep], self.entry[step.number], self.exit_decision.get(dep))
        roots = [s.number for s in steps if not self.preds[s.number]]
        leaves = [s.number for s in steps if not self.succs[s.number]]
        if len(roots) > 1:
            fork = self.add(FlowNode("fork_start", "fork", "", first_lane))
            self.connect(start, fork)
            start = fork
        for root in roots:
            self.connect(start, self.entry[root])
        last_lane = _role(steps[-1]) if steps else first_lane
        end = self.add(FlowNode("end_event", "end", "End", last_lane))
        if len(leaves) > 1:
            join = self.add(FlowNode("join_end", "join", "", last_lane))
            self.connect(join, end)
            end = join
        for leaf in leaves:
            self.connect(self.exit[leaf], end, self.exit_decision.get(leaf))
        if not steps:
            self.connect(start, end)
        return self._in_node_order()

    def _in_node_order(self) -> Flow:
        """Flows sorted by where their ends are drawn, numbered in that order, so exports read top-down."""
        index = {node.id: i for i, node in enumerate(self.flow.nodes)}
        edges = sorted(self.flow.edges, key=lambda e: (index[e.source], index[e.target], e.branch is False))
        self.flow.edges = [replace(e, id=f"flow_{i}") for i, e in enumerate(edges, start=1)]
        return self.flow


def build_flow(document: ProcessDocument) -> Flow:
    """The flow graph of ``document``; parallel steps get fork and join gateways."""
    return _Builder(document).build()
