"""The process graph in words: where each decision's branches go, which steps run in parallel, how loops end.

The document's Markdown draws these sentences from ``ProcessDocument.effective_flow()``, so what the
document says about decisions, parallel work and loops is what the SPy runner and the maps do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from process_designer.domain.flow import MAX_GATEWAY_PASSES, FlowEdge, ProcessFlow
from process_designer.domain.models import ProcessDocument

__all__ = ["DecisionText", "FlowText", "StepFlowText", "describe_flow", "step_list"]


@dataclass(frozen=True)
class DecisionText:
    """A decision and one line per branch: ``amount over 10,000 → Step 2 (Approve as CFO)``."""

    label: str
    branches: list[str]


@dataclass
class StepFlowText:
    """What the graph adds to one step: decisions after it, parallel work beside it, the loop it closes."""

    parallel: str = ""
    next: str = ""  # where the step leads when that is not simply the step after it
    decisions: list[DecisionText] = field(default_factory=list)
    loops: list[str] = field(default_factory=list)


@dataclass
class FlowText:
    steps: dict[int, StepFlowText] = field(default_factory=dict)
    at_start: list[DecisionText] = field(default_factory=list)  # decisions taken before any step

    def of(self, step: int) -> StepFlowText:
        return self.steps.setdefault(step, StepFlowText())


def step_list(numbers: list[int], names: dict[int, str]) -> str:
    """``Step 5 (Order from vendor) and Step 6 (Reserve budget)``."""
    shown = [f"Step {n} ({names[n]})" if n in names else f"Step {n}" for n in numbers]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


class _Words:
    def __init__(self, flow: ProcessFlow, names: dict[int, str]) -> None:
        self.flow = flow
        self.names = names
        self.back = flow.back_edges()

    def condition(self, edge: FlowEdge) -> str:
        if edge.default:
            return "otherwise"
        words = edge.condition or " and ".join(rule.text() for rule in edge.rules)
        return " ".join(words.split()) or "unconditionally"

    def target(self, node_id: str, seen: frozenset[str] = frozenset()) -> str:
        """Where arriving at ``node_id`` leads, as the reader needs it: a step, an end, a decision, parallel work."""
        if node_id in seen or not self.flow.has(node_id):
            return "the next step"
        node = self.flow.node(node_id)
        if node.kind == "task" and node.step is not None:
            return step_list([node.step], self.names)
        if node.kind == "end":
            label = " ".join(node.label.split())
            return "End" if label.lower() in ("", "end") else f"End: {label}"
        if node.kind == "exclusive":
            return f"the decision '{' '.join(node.label.split()) or node.id}'"
        out = self.flow.outgoing(node_id)
        if self.flow.is_split(node_id):
            return " and ".join(self.target(e.target, seen | {node_id}) for e in out) + ", in parallel"
        return self.target(out[0].target, seen | {node_id}) if out else "the next step"

    def branch(self, edge: FlowEdge) -> str:
        if (edge.source, edge.target) in self.back:
            return f"{self.condition(edge)} → back to {self.target(edge.target)}"
        return f"{self.condition(edge)} → {self.target(edge.target)}"


def _owners(flow: ProcessFlow, node_id: str, back: set[tuple[str, str]]) -> list[int | None]:
    """The steps whose completion leads into ``node_id`` through gateways (``None`` for the start)."""
    found: list[int | None] = []
    seen: set[str] = set()
    frontier = [e.source for e in flow.incoming(node_id) if (e.source, e.target) not in back]
    while frontier:
        current = frontier.pop(0)
        if current in seen or not flow.has(current):
            continue
        seen.add(current)
        node = flow.node(current)
        if node.kind == "task":
            found.append(node.step)
        elif node.kind == "start":
            found.append(None)
        else:
            frontier += [e.source for e in flow.incoming(current) if (e.source, e.target) not in back]
    return list(dict.fromkeys(found))


def _branch_steps(flow: ProcessFlow, first: str, stop: str | None, back: set[tuple[str, str]]) -> list[int]:
    steps: list[int] = []
    seen: set[str] = set()
    frontier = [first]
    while frontier:
        current = frontier.pop(0)
        if current in seen or current == stop or not flow.has(current):
            continue
        seen.add(current)
        node = flow.node(current)
        if node.kind == "task" and node.step is not None:
            steps.append(node.step)
        frontier += [e.target for e in flow.outgoing(current) if (e.source, e.target) not in back]
    return steps


def _describe_parallel(flow: ProcessFlow, words: _Words, text: FlowText) -> None:
    back = words.back
    joins = {flow.matching_split(n.id): n.id for n in flow.nodes if flow.is_join(n.id)}
    best: dict[int, tuple[int, str]] = {}  # step → (size of its parallel group, sentence); innermost wins
    for node in flow.nodes:
        if not flow.is_split(node.id):
            continue
        join = joins.get(node.id)
        branches = [_branch_steps(flow, e.target, join, back) for e in flow.outgoing(node.id)]
        after = (f"the branches join before {words.target(flow.outgoing(join)[0].target)}" if join is not None
                 and flow.outgoing(join) else "each branch ends on its own")
        size = sum(len(b) for b in branches)
        for index, branch in enumerate(branches):
            others = [n for i, b in enumerate(branches) if i != index for n in b if n not in branch]
            if not others:
                continue
            sentence = f"runs at the same time as {step_list(others, words.names)}; {after}"
            for number in branch:
                if number not in best or size < best[number][0]:
                    best[number] = (size, sentence[:1].upper() + sentence[1:])
    for number, (_size, sentence) in best.items():
        text.of(number).parallel = sentence


def _describe_loops(flow: ProcessFlow, words: _Words, text: FlowText) -> None:
    for source, target in sorted(words.back):
        node = flow.node(source)
        body = _branch_steps(flow, target, None, words.back)
        inside = [n for n in body if (task := flow.task(n)) is not None and source in flow.reachable(task.id)]
        span = step_list(inside or body[:1], words.names)
        owners = [n for n in _owners(flow, source, words.back) if n is not None] if node.kind != "task" else [node.step]
        if node.kind != "exclusive":
            sentence = f"{span} repeat with no decision that leaves the loop"
        else:
            loop_edge = next(e for e in flow.outgoing(source) if e.target == target)
            exits = [e for e in flow.outgoing(source) if (e.source, e.target) not in words.back]
            leave = "; ".join(f"{'otherwise' if e.default else 'when ' + words.condition(e)}, on to "
                              f"{words.target(e.target)}" for e in exits) or "never"
            sentence = (f"{span} repeat when {words.condition(loop_edge)} (at most {MAX_GATEWAY_PASSES} passes); "
                        f"the loop ends {leave}")
        for owner in owners:
            if owner is not None:
                text.of(owner).loops.append(sentence)


def _describe_next(flow: ProcessFlow, words: _Words, text: FlowText, numbers: list[int]) -> None:
    for position, number in enumerate(numbers):
        task = flow.task(number)
        out = flow.outgoing(task.id) if task is not None else []
        if len(out) != 1 or (out[0].source, out[0].target) in words.back:
            continue
        target = flow.node(out[0].target) if flow.has(out[0].target) else None
        if target is None or target.kind == "exclusive" or flow.is_split(target.id):
            continue  # the decision or the parallel work is described on its own
        if flow.is_join(target.id) and text.of(number).parallel:
            continue
        following = numbers[position + 1] if position + 1 < len(numbers) else None
        where = words.target(target.id)
        if (target.kind == "task" and target.step == following) or (following is None and where == "End"):
            continue
        text.of(number).next = where


def describe_flow(document: ProcessDocument) -> FlowText:
    """The sentences the document shows for its graph, keyed by step number."""
    flow = document.effective_flow()
    names = {step.number: step.name for step in document.steps}
    words = _Words(flow, names)
    text = FlowText()
    for node in flow.nodes:
        if node.kind != "exclusive":
            continue
        decision = DecisionText(" ".join(node.label.split()) or node.id,
                                [words.branch(edge) for edge in flow.outgoing(node.id)])
        for owner in _owners(flow, node.id, words.back):
            if owner is None:
                text.at_start.append(decision)
            else:
                text.of(owner).decisions.append(decision)
    _describe_parallel(flow, words, text)
    _describe_loops(flow, words, text)
    _describe_next(flow, words, text, [step.number for step in document.steps])
    return text
