"""``define ProcessRunner``: the process graph as SPy that routes a case through the step handlers.

The runner is :meth:`ProcessFlow.simulate` written out in SPy, node by node: a queue of nodes to
enter, starting at the start event; a task runs its handler and records its step; an exclusive
gateway reads the case's fields (one value per pass when a field holds a list) and follows the
first branch whose rules hold, the default last; a parallel split follows every branch and a join
waits for every branch of its split; a gateway passed more than ``MAX_GATEWAY_PASSES`` times stops
the run with a ``loop_limit`` error. ``run(case)`` returns
``{status, visited: [step numbers in run order], results: [handler results], end: the end reached}``.
"""

from __future__ import annotations

from process_designer.agents.coder.spy_source import SpyWriter, identifier, literal, string
from process_designer.domain.flow import MAX_GATEWAY_PASSES, FlowEdge, FlowNode, ProcessFlow, Rule

__all__ = ["runner_define", "value_name"]

_NUMERIC = (">", ">=", "<", "<=")
# Names a gateway's locals must not take: the runner's own locals and methods, and SPy's built-ins.
_TAKEN = {"case", "state", "passes", "node", "target", "targets", "count", "value", "label", "field", "width",
          "arrived", "gateway", "failure", "position", "run", "enter", "follow", "joined", "count_pass",
          "decision_value", "number", "is_list", "len", "str", "int", "float", "bool", "lower", "upper", "trim",
          "split", "join", "contains", "starts_with", "keys", "values", "get", "append", "range", "min", "max",
          "abs", "round", "now", "log", "error"}


def value_name(subject: str) -> str:
    """The local that holds a case field inside a decision method."""
    name = identifier(subject)
    return f"{name}_value" if name in _TAKEN or name.startswith("decide_") else name


def _condition(rule: Rule) -> str:
    """The SPy test of one rule; exactly :meth:`Rule.holds` (order tests only between numbers)."""
    name, expected = value_name(rule.subject), rule.value
    if rule.operator in _NUMERIC:
        if isinstance(expected, bool) or not isinstance(expected, int | float):
            return "false"
        return f"number({name}) and {name} {rule.operator} {literal(expected)}"
    return f"{name} {rule.operator} {literal(expected)}"


def _end_label(node: FlowNode) -> str:
    return node.label or "End"


def _targets(edges: list[FlowEdge]) -> str:
    return "[" + ", ".join(string(edge.target) for edge in edges) + "]"


class _Runner:
    def __init__(self, flow: ProcessFlow, handlers: dict[int, str]) -> None:
        self.flow = flow
        self.handlers = handlers
        self.methods: dict[str, str] = {}
        for node in flow.nodes:
            if node.kind == "exclusive":
                base = f"decide_{identifier(node.id)}"
                name, n = base, 1
                while name in self.methods.values():
                    n += 1
                    name = f"{base}_{n}"
                self.methods[node.id] = name

    def write(self) -> str:
        flow = self.flow
        start = flow.start
        assert start is not None, "the runner needs a flow with a start node"
        budget = (len(flow.nodes) + 1) * (MAX_GATEWAY_PASSES + 1) * 2
        w = SpyWriter()
        w.line("# The process graph: each case is routed through the steps by its data.")
        w.open("define ProcessRunner")
        w.line(f"MAX_GATEWAY_PASSES = {MAX_GATEWAY_PASSES}")
        w.line(f"MAX_NODE_VISITS = {budget}")
        w.line()
        w.open("run(case)")
        w.open("if case == null")
        w.line('raise error("validation", "ProcessRunner.run needs the case data (a map)")')
        w.close()
        w.line(f"state = {{queue: [{string(start.id)}], visited: [], results: [], ends: [], arrived: {{}}, "
               "passes: {}}")
        w.line("position = 0")
        w.open("while position < len(state.queue)")
        w.open("if position > MAX_NODE_VISITS")
        w.line('raise error("loop_limit", "the run does not end: a loop has no decision that leaves it")')
        w.close()
        w.line("node = state.queue[position]")
        w.line("position = position + 1")
        w.line("enter(node, case, state)")
        w.close()
        w.open("if len(state.ends) == 0")
        w.line('return {status: "stopped", visited: state.visited, results: state.results, end: null}')
        w.close()
        w.line('return {status: "completed", visited: state.visited, results: state.results, end: state.ends[-1]}')
        w.close()
        w.line()
        self._enter(w)
        for node in flow.nodes:
            if node.kind == "exclusive":
                w.line()
                self._decide(w, node)
        w.line()
        self._helpers(w)
        w.close()
        return w.text()

    def _enter(self, w: SpyWriter) -> None:
        w.open("enter(node, case, state)")
        first = True
        for node in self.flow.nodes:
            test = f"node == {string(node.id)}"
            if first:
                w.open(f"if {test}")
                first = False
            else:
                w.reopen(f"else if {test}")
            self._node_body(w, node)
        if not first:
            w.close()
        w.close()

    def _node_body(self, w: SpyWriter, node: FlowNode) -> None:
        out = self.flow.outgoing(node.id)
        if node.kind == "end":
            w.line(f"append(state.ends, {string(_end_label(node))})")
            return
        if node.kind == "exclusive":
            w.line(f"{self.methods[node.id]}(case, state)")
            return
        if node.kind == "task" and node.step is not None:
            w.line(f"append(state.visited, {node.step})")
            if node.step in self.handlers:
                w.line(f"append(state.results, {self.handlers[node.step]}.execute(case))")
        if self.flow.is_join(node.id):
            w.open(f"if joined(state, {string(node.id)}, {self.flow.join_width(node.id)})")
            w.line(f"follow(state, {_targets(out)})")
            w.close()
        elif out:
            w.line(f"follow(state, {_targets(out)})")

    def _decide(self, w: SpyWriter, node: FlowNode) -> None:
        label = string(node.label or node.id)
        w.comment(node.label or node.id)
        w.open(f"{self.methods[node.id]}(case, state)")
        w.line(f"passes = count_pass(state, {string(node.id)}, {label})")
        read: set[str] = set()
        default: FlowEdge | None = None
        for edge in self.flow.outgoing(node.id):
            if edge.default:
                default = edge
                break
            if not edge.rules:
                continue  # a branch nothing can test is never taken (as in ProcessFlow.simulate)
            for rule in edge.rules:
                name = value_name(rule.subject)
                if name not in read:
                    read.add(name)
                    w.line(f"{name} = decision_value(case, {string(rule.subject)}, passes, {label})")
            if edge.condition:
                w.comment(edge.condition)
            w.open("if " + " and ".join(_condition(rule) for rule in edge.rules))
            w.line(f"follow(state, [{string(edge.target)}])")
            w.line("return")
            w.close()
        if default is not None:
            w.line(f"follow(state, [{string(default.target)}])")
        else:
            w.line(f"raise error(\"no_branch\", {string(f'no branch of the decision {chr(39)}{node.label}{chr(39)} applies')})")
        w.close()

    @staticmethod
    def _helpers(w: SpyWriter) -> None:
        w.open("follow(state, targets)")
        w.open("for target in targets")
        w.line("append(state.queue, target)")
        w.close()
        w.close()
        w.line()
        w.line("# A join lets the flow on once every branch of its split has arrived.")
        w.open("joined(state, gateway, width)")
        w.line("arrived = get(state.arrived, gateway, 0) + 1")
        w.open("if arrived < width")
        w.line("state.arrived[gateway] = arrived")
        w.line("return false")
        w.close()
        w.line("state.arrived[gateway] = 0")
        w.line("return true")
        w.close()
        w.line()
        w.open("count_pass(state, gateway, label)")
        w.line("count = get(state.passes, gateway, 0)")
        w.open("if count >= MAX_GATEWAY_PASSES")
        w.line('raise error("loop_limit", "the decision \'" + label + "\' was reached " + str(count + 1) + '
               '" times; the loop does not end")')
        w.close()
        w.line("state.passes[gateway] = count + 1")
        w.line("return count")
        w.close()
        w.line()
        w.line("# A field may hold one value per pass of its decision (a list): pass n reads item n, then the last.")
        w.open("decision_value(case, field, passes, label)")
        w.open("if not (field in case)")
        w.line('raise error("validation", "the decision \'" + label + "\' needs the case field \'" + field + "\'")')
        w.close()
        w.line("value = case[field]")
        w.open("if is_list(value)")
        w.open("if len(value) == 0")
        w.line("return null")
        w.close()
        w.line("return value[min(passes, len(value) - 1)]")
        w.close()
        w.line("return value")
        w.close()
        w.line()
        w.open("number(value)")
        w.open("try")
        w.line("value - 0")
        w.line("return true")
        w.reopen("catch failure")
        w.line("return false")
        w.close()
        w.close()
        w.line()
        w.open("is_list(value)")
        w.open("try")
        w.line("value + []")
        w.line("return true")
        w.reopen("catch failure")
        w.line("return false")
        w.close()
        w.close()


def runner_define(flow: ProcessFlow, handlers: dict[int, str]) -> str:
    """``define ProcessRunner`` for ``flow``; ``handlers`` names the define of each step number."""
    return _Runner(flow, handlers).write()
