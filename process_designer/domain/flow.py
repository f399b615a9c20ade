"""The process model as a graph: start, tasks, exclusive and parallel gateways, ends, and the edges between them.

Every other view of a process is derived from this one graph: the steps' ``depends_on``, the
document's decision text, the SPy ``ProcessRunner`` and its path tests, the Mermaid and BPMN maps
and the efficiency analysis. The JSON shape is DESIGN.md's additive ``flow`` object.

Semantics (shared with the generated SPy runner, see :func:`simulate`):

- a ``task`` node is exactly one step (``step`` = its number) and has one outgoing edge;
- an ``exclusive`` gateway has two or more outgoing edges, each with a ``condition`` (and, when the
  runner can test it, ``rules`` on the case's data, all of which must hold) or ``default: true``;
  edges are tried in order, the default last;
- a ``parallel`` gateway either splits (several out: every branch runs; alternatives that meet
  just before it may enter it by several edges) or joins (several in, one out: it waits for every
  branch of the split it closes);
- a loop is an edge back to an earlier node; the runner bounds how often a gateway is passed;
- several edges may enter a task or an end: that is where exclusive branches meet again.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "MAX_GATEWAY_PASSES",
    "FlowEdge",
    "FlowNode",
    "FlowProblem",
    "FlowRunError",
    "NodeKind",
    "Operator",
    "PathRun",
    "ProcessFlow",
    "Rule",
    "RuleValue",
    "pass_value",
    "rules_hold",
]

NodeKind = Literal["start", "task", "exclusive", "parallel", "end"]
Operator = Literal[">", ">=", "<", "<=", "==", "!="]
RuleValue = bool | int | float | str | None

MAX_GATEWAY_PASSES = 5
"""How often one gateway may be passed in one run before the runner stops a loop."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Rule(_Model):
    """A testable condition on one field of the case: ``amount > 10000``, ``claim_status == "Not OK"``."""

    subject: str
    operator: Operator = "=="
    value: RuleValue = True
    unit: str = ""

    def holds(self, actual: Any) -> bool:
        """Whether ``actual`` (the case's value of ``subject``) satisfies the rule."""
        expected = self.value
        if self.operator == "==":
            return _same(actual, expected)
        if self.operator == "!=":
            return not _same(actual, expected)
        numeric = (int, float)
        if (isinstance(actual, bool) or isinstance(expected, bool) or not isinstance(actual, numeric)
                or not isinstance(expected, numeric)):
            return False
        if self.operator == ">":
            return actual > expected
        if self.operator == ">=":
            return actual >= expected
        if self.operator == "<":
            return actual < expected
        return actual <= expected

    def text(self) -> str:
        """``amount > 10000`` as the runner writes it."""
        value = self.value
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        shown = "true" if value is True else "false" if value is False else "null" if value is None else (
            f'"{value}"' if isinstance(value, str) else str(value))
        return f"{self.subject} {self.operator} {shown}"


def _same(a: Any, b: Any) -> bool:
    """Equality as SPy has it: values of different kinds (``true`` and ``1``) are never equal."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return bool(a == b)


def rules_hold(rules: Iterable[Rule], case: Mapping[str, Any]) -> bool:
    """Whether every rule holds on ``case`` (fields read as they are, no per-pass lists)."""
    return all(rule.holds(case.get(rule.subject)) for rule in rules)


class FlowNode(_Model):
    id: str
    kind: NodeKind
    label: str = ""
    step: int | None = None
    performer: str | None = None


class FlowEdge(_Model):
    """``from`` → ``to``; a gateway's outgoing edge carries its ``condition`` or ``default``."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, populate_by_name=True,
                              serialize_by_alias=True)

    source: str = Field(alias="from")
    target: str = Field(alias="to")
    condition: str | None = None
    default: bool = False
    rules: list[Rule] = Field(default_factory=list)


@dataclass(frozen=True)
class FlowProblem:
    """A structural defect of a flow: ``code`` names the kind, ``node`` where it is."""

    code: Literal["no_start", "no_end", "unknown_node", "task_fan_out", "gateway_branches", "gateway_default",
                  "parallel_shape", "unreachable", "dead_end", "loop_without_exit", "duplicate_step"]
    node: str
    text: str


@dataclass
class PathRun:
    """One run of the flow: the branch taken at each gateway pass, and what ran."""

    choices: list[tuple[str, int]] = field(default_factory=list)  # (gateway id, index of the edge taken)
    visited: list[int] = field(default_factory=list)  # step numbers in the order they ran
    ends: list[str] = field(default_factory=list)  # end nodes reached
    loops: int = 0  # back edges taken


class ProcessFlow(_Model):
    """The graph of a process (DESIGN.md, "The process model")."""

    nodes: list[FlowNode] = Field(default_factory=list)
    edges: list[FlowEdge] = Field(default_factory=list)

    # ------------------------------------------------------------------ lookups
    def node(self, node_id: str) -> FlowNode:
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    def has(self, node_id: str) -> bool:
        return any(node.id == node_id for node in self.nodes)

    def outgoing(self, node_id: str) -> list[FlowEdge]:
        """Outgoing edges in evaluation order: conditional edges as listed, the default last."""
        out = [edge for edge in self.edges if edge.source == node_id]
        return [e for e in out if not e.default] + [e for e in out if e.default]

    def incoming(self, node_id: str) -> list[FlowEdge]:
        return [edge for edge in self.edges if edge.target == node_id]

    @property
    def start(self) -> FlowNode | None:
        return next((node for node in self.nodes if node.kind == "start"), None)

    @property
    def ends(self) -> list[FlowNode]:
        return [node for node in self.nodes if node.kind == "end"]

    @property
    def gateways(self) -> list[FlowNode]:
        return [node for node in self.nodes if node.kind in ("exclusive", "parallel")]

    def task(self, step: int) -> FlowNode | None:
        """The task node of step ``step``."""
        return next((node for node in self.nodes if node.kind == "task" and node.step == step), None)

    def is_split(self, node_id: str) -> bool:
        return self.node(node_id).kind == "parallel" and len(self.outgoing(node_id)) > 1

    def is_join(self, node_id: str) -> bool:
        return (self.node(node_id).kind == "parallel" and len(self.outgoing(node_id)) == 1
                and len(self.incoming(node_id)) > 1)

    def join_width(self, join_id: str) -> int:
        """How many arrivals a join waits for: the branches of the split it closes that lead to it."""
        split = self.matching_split(join_id)
        if split is None:
            return len(self.incoming(join_id))
        back = self.back_edges()
        return sum(1 for edge in self.outgoing(split)
                   if join_id in self._forward(edge.target, back))

    def matching_split(self, join_id: str) -> str | None:
        """The parallel split that ``join_id`` closes: the nearest split above all its incoming branches."""
        back = self.back_edges()
        found: list[str | None] = [self._split_above(e.source, back, set()) for e in self.incoming(join_id)
                                   if (e.source, e.target) not in back]
        named = [f for f in found if f is not None]
        return max(set(named), key=named.count) if named else None

    def _split_above(self, node_id: str, back: set[tuple[str, str]], seen: set[str]) -> str | None:
        frontier = [node_id]
        while frontier:
            current = frontier.pop(0)
            if current in seen or not self.has(current):
                continue
            seen.add(current)
            if self.is_split(current):
                return current
            if self.is_join(current):  # a nested split/join pair: continue above its split
                inner = self.matching_split(current)
                if inner is not None:
                    frontier += [e.source for e in self.incoming(inner) if (e.source, e.target) not in back]
                    continue
            frontier += [e.source for e in self.incoming(current) if (e.source, e.target) not in back]
        return None

    def _forward(self, node_id: str, back: set[tuple[str, str]]) -> set[str]:
        seen: set[str] = set()
        frontier = [node_id]
        while frontier:
            current = frontier.pop()
            if current in seen:
                continue
            seen.add(current)
            frontier += [e.target for e in self.outgoing(current) if (e.source, e.target) not in back]
        return seen

    # ------------------------------------------------------------- structure
    def back_edges(self) -> set[tuple[str, str]]:
        """Edges that close a loop: they lead to a node still open on a depth-first walk from start."""
        start = self.start
        if start is None:
            return set()
        back: set[tuple[str, str]] = set()
        state: dict[str, int] = {}  # 1 open, 2 done
        stack: list[tuple[str, int]] = [(start.id, 0)]
        state[start.id] = 1
        while stack:
            node_id, index = stack[-1]
            out = self.outgoing(node_id)
            if index >= len(out):
                state[node_id] = 2
                stack.pop()
                continue
            stack[-1] = (node_id, index + 1)
            target = out[index].target
            if state.get(target) == 1:
                back.add((node_id, target))
            elif target not in state and self.has(target):
                state[target] = 1
                stack.append((target, 0))
        return back

    def is_loop(self, edge: FlowEdge) -> bool:
        return (edge.source, edge.target) in self.back_edges()

    def order(self) -> list[str]:
        """Node ids in a topological order of the graph without its loops, branches in edge order."""
        back = self.back_edges()
        indegree = {node.id: 0 for node in self.nodes}
        for edge in self.edges:
            if (edge.source, edge.target) not in back and edge.target in indegree:
                indegree[edge.target] += 1
        ready = [node.id for node in self.nodes if indegree[node.id] == 0]
        ready.sort(key=lambda n: (self.node(n).kind != "start",))
        result: list[str] = []
        while ready:
            # depth first among the ready nodes, so a branch is laid out before its sibling
            node_id = ready.pop(0)
            result.append(node_id)
            released: list[str] = []
            for edge in self.outgoing(node_id):
                if (edge.source, edge.target) in back or edge.target not in indegree:
                    continue
                indegree[edge.target] -= 1
                if indegree[edge.target] == 0:
                    released.append(edge.target)
            ready = released + ready
        result += [node.id for node in self.nodes if node.id not in result]  # only inside unreachable cycles
        return result

    def step_order(self) -> list[int]:
        """Step numbers in the order the document should list them."""
        return [n.step for n in (self.node(i) for i in self.order()) if n.kind == "task" and n.step is not None]

    def step_predecessors(self) -> dict[int, list[int]]:
        """Each step's nearest preceding steps, looking through gateways and ignoring loops."""
        back = self.back_edges()
        result: dict[int, list[int]] = {}
        for node in self.nodes:
            if node.kind != "task" or node.step is None:
                continue
            found: list[int] = []
            seen: set[str] = set()
            frontier = [e.source for e in self.incoming(node.id) if (e.source, e.target) not in back]
            while frontier:
                current = frontier.pop(0)
                if current in seen or not self.has(current):
                    continue
                seen.add(current)
                previous = self.node(current)
                if previous.kind == "task" and previous.step is not None:
                    if previous.step not in found:
                        found.append(previous.step)
                elif previous.kind != "start":
                    frontier += [e.source for e in self.incoming(current) if (e.source, e.target) not in back]
            result[node.step] = sorted(found)
        return result

    def gateway_after(self, step: int) -> FlowNode | None:
        """The gateway a step leads straight into, if any."""
        task = self.task(step)
        if task is None:
            return None
        for edge in self.outgoing(task.id):
            target = self.node(edge.target) if self.has(edge.target) else None
            if target is not None and target.kind in ("exclusive", "parallel"):
                return target
        return None

    def first_steps(self, node_id: str) -> list[int]:
        """The steps reached first from ``node_id`` (through gateways), in edge order."""
        found: list[int] = []
        seen: set[str] = set()
        frontier = [node_id]
        while frontier:
            current = frontier.pop(0)
            if current in seen or not self.has(current):
                continue
            seen.add(current)
            node = self.node(current)
            if node.kind == "task" and node.step is not None and current != node_id:
                found.append(node.step)
                continue
            frontier += [e.target for e in self.outgoing(current)]
        return found

    def reachable(self, from_id: str, *, backwards: bool = False) -> set[str]:
        seen: set[str] = set()
        frontier = [from_id]
        while frontier:
            current = frontier.pop()
            if current in seen:
                continue
            seen.add(current)
            edges = self.incoming(current) if backwards else self.outgoing(current)
            frontier += [e.source if backwards else e.target for e in edges]
        return seen

    # ---------------------------------------------------------------- checks
    def problems(self) -> list[FlowProblem]:
        """Every structural defect; an empty list means the flow is well formed."""
        problems: list[FlowProblem] = []
        ids = {node.id for node in self.nodes}
        start = self.start
        if start is None:
            problems.append(FlowProblem("no_start", "", "the flow has no start node"))
        if not self.ends:
            problems.append(FlowProblem("no_end", "", "the flow has no end node"))
        for edge in self.edges:
            for end in (edge.source, edge.target):
                if end not in ids:
                    problems.append(FlowProblem("unknown_node", end, f"an edge refers to the unknown node '{end}'"))
        if problems:
            return problems
        steps_seen: dict[int, str] = {}
        for node in self.nodes:
            out, into = self.outgoing(node.id), self.incoming(node.id)
            if node.kind == "task" and node.step is not None:
                if node.step in steps_seen:
                    problems.append(FlowProblem("duplicate_step", node.id, f"step {node.step} appears twice"))
                steps_seen[node.step] = node.id
            if node.kind == "task" and len(out) > 1:
                problems.append(FlowProblem("task_fan_out", node.id, f"{_name(node)} has {len(out)} outgoing "
                                            "edges; a choice or parallel work needs a gateway"))
            if node.kind == "exclusive":
                if len(out) < 2:
                    problems.append(FlowProblem("gateway_branches", node.id, f"the decision '{node.label}' has "
                                                f"{len(out)} branch{'es' if len(out) != 1 else ''}; it needs two or more"))
                elif not any(e.default for e in out) and not _exhaustive(out):
                    problems.append(FlowProblem("gateway_default", node.id, f"the decision '{node.label}' says what "
                                                "happens only when its conditions hold; it needs an 'otherwise' branch"))
                for edge in out:
                    if not edge.default and not (edge.condition or edge.rules):
                        problems.append(FlowProblem("gateway_branches", node.id, f"a branch of '{node.label}' has "
                                                    "neither a condition nor default"))
            if node.kind == "parallel" and not (len(out) > 1 or (len(into) > 1 and len(out) == 1)):
                problems.append(FlowProblem("parallel_shape", node.id, f"the parallel gateway '{node.id}' must split "
                                            f"(several out) or join (several in, one out); it has {len(into)} "
                                            f"in and {len(out)} out"))
        assert start is not None
        forward = self.reachable(start.id)
        to_end: set[str] = set()
        for end_node in self.ends:
            to_end |= self.reachable(end_node.id, backwards=True)
        for node in self.nodes:
            if node.id not in forward:
                problems.append(FlowProblem("unreachable", node.id, f"{_name(node)} cannot be reached from the start"))
            elif node.id not in to_end:
                looping = any(node.id in self.reachable(e.target) for e in self.outgoing(node.id))
                code: Literal["loop_without_exit", "dead_end"] = "loop_without_exit" if looping else "dead_end"
                text = (f"{_name(node)} is in a loop that never exits" if looping
                        else f"{_name(node)} leads to no end")
                problems.append(FlowProblem(code, node.id, text))
        return problems

    # ------------------------------------------------------------ simulation
    def simulate(self, case: Mapping[str, Any], *, max_passes: int = MAX_GATEWAY_PASSES) -> PathRun:
        """Run the flow on ``case`` exactly as the generated SPy ``ProcessRunner.run`` does.

        A field read at an exclusive gateway may hold a list: pass *n* of that gateway reads item
        *n* (the last item once the list is used up) — how a case records a decision made again on
        each round of a loop. Raises :class:`FlowRunError` when a gateway's data is missing, no
        branch applies, or a gateway is passed more than ``max_passes`` times.
        """

        def choose(gateway: FlowNode, edges: list[FlowEdge], passes: int) -> int:
            for index, edge in enumerate(edges):
                if edge.default:
                    return index
                values: dict[str, Any] = {}
                for rule in edge.rules:
                    if rule.subject not in case:
                        raise FlowRunError("validation", f"the decision '{gateway.label}' needs the case field "
                                           f"'{rule.subject}'")
                    values[rule.subject] = pass_value(case[rule.subject], passes)
                if edge.rules and rules_hold(edge.rules, values):
                    return index
            raise FlowRunError("no_branch", f"no branch of the decision '{gateway.label}' applies")

        return self._run(choose, max_passes)

    def _run(self, choose: Callable[[FlowNode, list[FlowEdge], int], int], max_passes: int) -> PathRun:
        start = self.start
        if start is None:
            raise FlowRunError("flow", "the flow has no start node")
        back = self.back_edges()
        run = PathRun()
        queue = [start.id]
        position = 0
        arrived: dict[str, int] = {}
        widths: dict[str, int] = {}
        passes: dict[str, int] = {}
        budget = (len(self.nodes) + 1) * (max_passes + 1) * 2
        while position < len(queue):
            if position > budget:
                raise FlowRunError("loop_limit", "the run does not end: a loop has no decision that leaves it")
            node = self.node(queue[position])
            position += 1
            out = self.outgoing(node.id)
            if node.kind == "end":
                run.ends.append(node.id)
                continue
            if self.is_join(node.id):
                arrived[node.id] = arrived.get(node.id, 0) + 1
                if arrived[node.id] < widths.setdefault(node.id, self.join_width(node.id)):
                    continue
                arrived[node.id] = 0
            if node.kind == "task" and node.step is not None:
                run.visited.append(node.step)
            if node.kind == "exclusive":
                count = passes.get(node.id, 0)
                if count >= max_passes:
                    raise FlowRunError("loop_limit", f"the decision '{node.label}' was reached {count + 1} times; "
                                       "the loop does not end")
                passes[node.id] = count + 1
                index = choose(node, out, count)
                run.choices.append((node.id, index))
                out = [out[index]]
            for edge in out:
                if (edge.source, edge.target) in back:
                    run.loops += 1
                queue.append(edge.target)
        return run

    def paths(self, *, limit: int = 64) -> list[PathRun]:
        """Every way through the flow: one run per combination of branches, each loop taken once or not at all.

        Runs are listed in a stable order (first branches first); at most ``limit`` are returned.
        """
        back = self.back_edges()
        found: list[PathRun] = []
        pending: list[list[int]] = [[]]
        while pending and len(found) < limit:
            script = pending.pop(0)
            taken_loops: dict[tuple[str, str], int] = {}
            decisions: list[tuple[FlowNode, list[FlowEdge]]] = []

            def choose(gateway: FlowNode, edges: list[FlowEdge], passes: int,
                       script: list[int] = script, decisions: list[tuple[FlowNode, list[FlowEdge]]] = decisions,
                       taken_loops: dict[tuple[str, str], int] = taken_loops) -> int:
                position = len(decisions)
                decisions.append((gateway, edges))
                allowed = [i for i, e in enumerate(edges)
                           if (e.source, e.target) not in back or taken_loops.get((e.source, e.target), 0) < 1]
                if not allowed:
                    raise FlowRunError("loop_limit", "every branch loops again")
                index = script[position] if position < len(script) else allowed[0]
                if position >= len(script):
                    script.append(index)
                    for other in allowed:
                        if other != index:
                            pending.append([*script[:position], other])
                key = (edges[index].source, edges[index].target)
                if key in back:
                    taken_loops[key] = taken_loops.get(key, 0) + 1
                return index

            try:
                run = self._run(choose, MAX_GATEWAY_PASSES)
            except FlowRunError:
                continue
            if run.ends and all(
                    (run.visited, run.ends) != (other.visited, other.ends) for other in found):
                found.append(run)
        return found

    def case_for(self, run: PathRun) -> dict[str, Any] | None:
        """Case data that makes the runner take ``run``'s branches, or ``None`` when no data can.

        A field read on several passes of a loop's gateway gets one value per pass (a list).
        """
        constraints: list[tuple[list[Rule], bool, int]] = []  # (rules, must all hold, pass)
        passes: dict[str, int] = {}
        for gateway_id, index in run.choices:
            count = passes.get(gateway_id, 0)
            passes[gateway_id] = count + 1
            edges = self.outgoing(gateway_id)
            chosen = edges[index]
            if chosen.rules:
                constraints.append((chosen.rules, True, count))
            for earlier in edges[:index]:
                if earlier.rules and not earlier.default:
                    constraints.append((earlier.rules, False, count))
            if chosen.default or not chosen.rules:
                for other in edges:
                    if other is not chosen and other.rules and not other.default and \
                            (other.rules, False, count) not in constraints:
                        constraints.append((other.rules, False, count))
        variables: list[tuple[str, int]] = []
        for rules, _, count in constraints:
            for rule in rules:
                if (rule.subject, count) not in variables:
                    variables.append((rule.subject, count))
        candidates = {var: _candidates([r for rules, _, c in constraints for r in rules
                                        if (r.subject, c) == var]) for var in variables}
        assignment: dict[tuple[str, int], Any] = {}

        def consistent() -> bool:
            for rules, must, count in constraints:
                keys = [(r.subject, count) for r in rules]
                if any(k not in assignment for k in keys):
                    continue
                holds = all(r.holds(assignment[(r.subject, count)]) for r in rules)
                if holds != must:
                    return False
            return True

        def solve(position: int) -> bool:
            if position == len(variables):
                return True
            var = variables[position]
            for value in candidates[var]:
                assignment[var] = value
                if consistent() and solve(position + 1):
                    return True
            del assignment[var]
            return False

        if not solve(0):
            return None
        case: dict[str, Any] = {}
        for subject in dict.fromkeys(s for s, _ in variables):
            values = [assignment[(subject, c)] for c in range(max(c for s, c in variables if s == subject) + 1)
                      if (subject, c) in assignment]
            case[subject] = values[0] if len(set(map(repr, values))) == 1 else values
        return case



class FlowRunError(Exception):
    """A run of the flow that cannot go on; ``kind`` is ``validation``, ``no_branch`` or ``loop_limit``."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def pass_value(value: Any, passes: int) -> Any:
    """The value a gateway reads on its ``passes``-th pass (0-based) from a field that may hold one per pass."""
    if isinstance(value, list):
        return value[min(passes, len(value) - 1)] if value else None
    return value


def _candidates(rules: list[Rule]) -> list[Any]:
    """Values worth trying for a field the ``rules`` test: each threshold and its neighbours."""
    values: list[Any] = []
    for rule in rules:
        value = rule.value
        if isinstance(value, bool):
            values += [value, not value]
        elif isinstance(value, int | float):
            step = 1 if float(value).is_integer() else 0.5
            values += [value, value + step, value - step]
        elif isinstance(value, str):
            values += [value, f"not {value}"]
        else:
            values += [None, "present"]
    if any(isinstance(r.value, int | float) and not isinstance(r.value, bool) for r in rules):
        values.append(0)
    unique: list[Any] = []
    for value in values:
        if not any(type(value) is type(u) and value == u for u in unique):
            unique.append(value)
    return unique


def _name(node: FlowNode) -> str:
    if node.kind == "task":
        return f"step {node.step} ('{node.label}')"
    if node.kind == "exclusive":
        return f"the decision '{node.label}'"
    return f"the {node.kind} node '{node.id}'"


def _exhaustive(edges: list[FlowEdge]) -> bool:
    """Whether the conditions of ``edges`` cover every value: x > v with x <= v, x == true with x == false, …."""
    single = [e.rules[0] for e in edges if len(e.rules) == 1]
    if len(single) != len(edges):
        return len(edges) >= 2 and all(e.rules for e in edges) and _covers_ranges(edges)
    for a in single:
        for b in single:
            if a.subject != b.subject or a is b:
                continue
            if a.value == b.value and {a.operator, b.operator} in ({">", "<="}, {">=", "<"}, {"==", "!="}):
                return True
            if isinstance(a.value, bool) and isinstance(b.value, bool) and a.operator == b.operator == "==" \
                    and a.value != b.value:
                return True
    return _covers_ranges(edges)


def _covers_ranges(edges: list[FlowEdge]) -> bool:
    """Tiers on one numeric field ("up to 2,500 / 2,500–25,000 / above 25,000") that leave no gap."""
    subjects = {r.subject for e in edges for r in e.rules}
    if len(subjects) != 1 or any(not isinstance(r.value, int | float) or isinstance(r.value, bool)
                                 for e in edges for r in e.rules):
        return False
    points = sorted({float(r.value) for e in edges for r in e.rules})  # type: ignore[arg-type]
    probes = [points[0] - 1, *points, *(a + (b - a) / 2 for a, b in itertools.pairwise(points)),
              points[-1] + 1]
    return all(any(all(r.holds(p) for r in e.rules) for e in edges) for p in probes)


class FlowBuilder:
    """Builds a :class:`ProcessFlow` node by node; ids are stable and readable (``step_3``, ``decision_1``)."""

    def __init__(self) -> None:
        self.flow = ProcessFlow(nodes=[FlowNode(id="start", kind="start", label="Start")])
        self._counts: dict[str, int] = {}

    def _next_id(self, prefix: str) -> str:
        self._counts[prefix] = self._counts.get(prefix, 0) + 1
        return f"{prefix}_{self._counts[prefix]}"

    def task(self, step: int, label: str, performer: str | None = None) -> str:
        node_id = f"step_{step}"
        self.flow.nodes.append(FlowNode(id=node_id, kind="task", label=label, step=step, performer=performer))
        return node_id

    def exclusive(self, label: str) -> str:
        node_id = self._next_id("decision")
        self.flow.nodes.append(FlowNode(id=node_id, kind="exclusive", label=label))
        return node_id

    def parallel(self, label: str = "") -> str:
        node_id = self._next_id("parallel")
        self.flow.nodes.append(FlowNode(id=node_id, kind="parallel", label=label))
        return node_id

    def end(self, label: str = "End") -> str:
        node_id = "end" if not self.flow.has("end") else self._next_id("end")
        self.flow.nodes.append(FlowNode(id=node_id, kind="end", label=label))
        return node_id

    def connect(self, source: str, target: str, *, condition: str | None = None, default: bool = False,
                rules: Iterable[Rule] = ()) -> None:
        self.flow.edges.append(FlowEdge(source=source, target=target, condition=condition, default=default,
                                        rules=list(rules)))

    def build(self) -> ProcessFlow:
        return self.flow


def sequential(steps: Iterable[tuple[int, str, str | None]]) -> ProcessFlow:
    """start → each step in turn → end: the flow of a process with no decisions or parallel work."""
    builder = FlowBuilder()
    previous = "start"
    for number, label, performer in steps:
        node = builder.task(number, label, performer)
        builder.connect(previous, node)
        previous = node
    builder.connect(previous, builder.end())
    return builder.build()


def renumber(flow: ProcessFlow, mapping: Mapping[int, int]) -> ProcessFlow:
    """The flow with step numbers (and task ids) changed by ``mapping``; unmapped steps keep theirs."""
    ids: dict[str, str] = {}
    nodes: list[FlowNode] = []
    for node in flow.nodes:
        if node.kind == "task" and node.step is not None and node.step in mapping:
            new = mapping[node.step]
            ids[node.id] = f"step_{new}"
            nodes.append(node.model_copy(update={"id": f"step_{new}", "step": new}))
        else:
            nodes.append(node)
    edges = [edge.model_copy(update={"source": ids.get(edge.source, edge.source),
                                     "target": ids.get(edge.target, edge.target)}) for edge in flow.edges]
    return ProcessFlow(nodes=nodes, edges=edges)


def without_node(flow: ProcessFlow, node_id: str) -> ProcessFlow:
    """The flow with ``node_id`` removed and its predecessors wired to its (single) successor.

    A removed node with several successors (a gateway) keeps no successors: callers remove tasks.
    """
    out = [e for e in flow.edges if e.source == node_id]
    successor = out[0].target if len(out) == 1 else None
    edges: list[FlowEdge] = []
    for edge in flow.edges:
        if edge.source == node_id:
            continue
        if edge.target == node_id:
            if successor is None:
                continue
            edge = edge.model_copy(update={"target": successor})
        if not any(e.source == edge.source and e.target == edge.target and e.condition == edge.condition
                   for e in edges):
            edges.append(edge)
    return ProcessFlow(nodes=[n for n in flow.nodes if n.id != node_id], edges=edges)


def insert_after(flow: ProcessFlow, anchor: str, node: FlowNode) -> ProcessFlow:
    """``node`` placed on the way out of ``anchor``: anchor → node → what anchor led to."""
    edges: list[FlowEdge] = []
    for edge in flow.edges:
        if edge.source == anchor:
            edges.append(edge.model_copy(update={"source": node.id}))
        else:
            edges.append(edge)
    edges.append(FlowEdge(source=anchor, target=node.id))
    if not any(e.source == node.id for e in edges):
        ends = [n.id for n in flow.nodes if n.kind == "end"]
        if ends:
            edges.append(FlowEdge(source=node.id, target=ends[0]))
    return ProcessFlow(nodes=[*flow.nodes, node], edges=edges)


def insert_before(flow: ProcessFlow, anchor: str, node: FlowNode) -> ProcessFlow:
    """``node`` placed on the way into ``anchor``: what led to anchor → node → anchor."""
    edges = [edge.model_copy(update={"target": node.id}) if edge.target == anchor and not _is_back(flow, edge)
             else edge for edge in flow.edges]
    edges.append(FlowEdge(source=node.id, target=anchor))
    return ProcessFlow(nodes=[*flow.nodes, node], edges=edges)


def _is_back(flow: ProcessFlow, edge: FlowEdge) -> bool:
    return (edge.source, edge.target) in flow.back_edges()


def from_dependencies(steps: Iterable[tuple[int, str, str | None, Iterable[int]]]) -> ProcessFlow:
    """The flow of steps given as ``(number, label, performer, depends_on)``, with no decisions.

    A step without predecessors among the earlier steps follows the step before it (the first
    follows the start); a step several steps depend on opens a parallel split, a step that depends
    on several steps waits at a parallel join. For documents written before processes were graphs,
    and for imported lists.
    """
    listed = list(steps)
    numbers = [number for number, *_ in listed]
    preds: dict[int, list[int]] = {}
    for index, (number, _label, _performer, depends_on) in enumerate(listed):
        earlier = [d for d in dict.fromkeys(depends_on) if d in numbers[:index]]
        preds[number] = earlier or ([numbers[index - 1]] if index else [])
    succs: dict[int, list[int]] = {number: [] for number in numbers}
    for number, previous in preds.items():
        for p in previous:
            succs[p].append(number)
    builder = FlowBuilder()
    for number, label, performer, _ in listed:
        builder.task(number, label, performer)
    entry: dict[int, str] = {}
    for number in numbers:
        entry[number] = f"step_{number}"
        if len(preds[number]) > 1:
            join = builder.parallel()
            builder.connect(join, f"step_{number}")
            entry[number] = join
    exit_: dict[int, str] = {}
    for number in numbers:
        exit_[number] = f"step_{number}"
        if len(succs[number]) > 1:
            split = builder.parallel()
            builder.connect(f"step_{number}", split)
            exit_[number] = split
    roots = [n for n in numbers if not preds[n]]
    leaves = [n for n in numbers if not succs[n]]
    head = "start"
    if len(roots) > 1:
        head = builder.parallel()
        builder.connect("start", head)
    for root in roots:
        builder.connect(head, entry[root])
    for number in numbers:
        for successor in succs[number]:
            builder.connect(exit_[number], entry[successor])
    end = builder.end()
    if not numbers:
        builder.connect("start", end)
    tail = end
    if len(leaves) > 1:
        tail = builder.parallel()
        builder.connect(tail, end)
    for leaf in leaves:
        builder.connect(exit_[leaf], tail)
    return builder.build()
