"""Edits to the shape of the process: add, remove, move, merge and split steps, add a branch or parallel work.

Every change is made on the process graph (``domain.flow``); the steps are then renumbered in the
graph's order and the prose that depends on them is re-derived (``rederive.restructure``).
"""

from __future__ import annotations

from dataclasses import dataclass

from process_designer.agents.writer.phrasing import describe_decision
from process_designer.agents.writer.rederive import restructure
from process_designer.domain.durations import format_minutes, parse_duration
from process_designer.domain.flow import (
    FlowEdge,
    FlowNode,
    ProcessFlow,
    Rule,
    insert_after,
    insert_before,
    without_node,
)
from process_designer.domain.models import Decision, ProcessDocument, Step
from process_designer.errors import InputError

__all__ = ["NEW_STEP", "Shaped", "add_branch", "add_loop", "add_parallel", "add_step", "merge_steps", "move_step",
           "remove_step", "split_step"]

NEW_STEP = 1000  # step numbers of new tasks until the graph's order renumbers them


@dataclass(frozen=True)
class Shaped:
    """A document after a structural edit: the new numbers of the steps it touched."""

    document: ProcessDocument
    mapping: dict[int, int]

    def number(self, key: int) -> int:
        return self.mapping[key]


def _task_id(number: int) -> str:
    return f"step_{number}"


def _node(number: int, step: Step) -> FlowNode:
    return FlowNode(id=_task_id(number), kind="task", label=step.name, step=number, performer=step.responsible)


def _steps(doc: ProcessDocument) -> dict[int, Step]:
    return {step.number: step for step in doc.steps}


def _shape(doc: ProcessDocument, steps: dict[int, Step], flow: ProcessFlow) -> Shaped:
    document, mapping = restructure(doc, steps, flow)
    return Shaped(document, mapping)


def add_step(doc: ProcessDocument, step: Step, where: str, anchor: int | None) -> Shaped:
    """``step`` placed ``where`` ("after", "before", "start", "end") ``anchor``."""
    flow, steps = doc.effective_flow(), _steps(doc)
    steps[NEW_STEP] = step
    node = _node(NEW_STEP, step)
    if where == "before" and anchor is not None:
        flow = insert_before(flow, _task_id(anchor), node)
    elif where == "start" or (where == "before" and anchor is None):
        first = flow.first_steps(flow.start.id if flow.start else "start")
        flow = insert_before(flow, _task_id(first[0]), node) if first else insert_after(flow, "start", node)
    else:
        last = anchor if anchor is not None else _last_task(flow)
        flow = insert_after(flow, _task_id(last), node)
    return _shape(doc, steps, flow)


def _last_task(flow: ProcessFlow) -> int:
    order = flow.step_order()
    ends = {n.id for n in flow.ends}
    leading_to_end = [n for n in order if any(e.target in ends for e in flow.outgoing(_task_id(n)))]
    return (leading_to_end or order)[-1]


def remove_step(doc: ProcessDocument, number: int) -> Shaped:
    if len(doc.steps) <= 2:
        raise InputError("a process needs at least two steps; add one before removing another")
    steps = _steps(doc)
    del steps[number]
    return _shape(doc, steps, without_node(doc.effective_flow(), _task_id(number)))


def move_step(doc: ProcessDocument, number: int, where: str, anchor: int) -> Shaped:
    if number == anchor:
        raise InputError(f"step {number} cannot move {where} itself; name another step")
    flow = without_node(doc.effective_flow(), _task_id(number))
    node = _node(number, doc.steps[number - 1])
    flow = insert_before(flow, _task_id(anchor), node) if where == "before" else insert_after(flow, _task_id(anchor),
                                                                                              node)
    return _shape(doc, _steps(doc), flow)


def merge_steps(doc: ProcessDocument, numbers: list[int], name: str | None) -> Shaped:
    """The steps ``numbers`` as one step (the first's place and performer), named ``name`` or by both names."""
    first, *rest = [doc.steps[n - 1] for n in numbers]
    minutes = sum(parse_duration(s.duration) or 0 for s in [first, *rest])
    merged = first.model_copy(update={
        "name": name or " and ".join([first.name, *(s.name[:1].lower() + s.name[1:] for s in rest)]),
        "duration": format_minutes(minutes) if minutes else first.duration,
        "actions": list(dict.fromkeys([a for s in [first, *rest] for a in s.actions])),
        "validation": list(dict.fromkeys([v for s in [first, *rest] for v in s.validation])),
        "decisions": [d for s in [first, *rest] for d in s.decisions],
        "systems": list(dict.fromkeys([x for s in [first, *rest] for x in s.systems])),
    })
    steps, flow = _steps(doc), doc.effective_flow()
    steps[first.number] = merged
    for step in rest:
        del steps[step.number]
        flow = without_node(flow, _task_id(step.number))
    return _shape(doc, steps, flow)


def split_step(doc: ProcessDocument, number: int, parts: list[Step]) -> Shaped:
    """Step ``number`` replaced by ``parts`` in a row; the first part keeps the step's decisions."""
    old = doc.steps[number - 1]
    steps, flow = _steps(doc), doc.effective_flow()
    steps[number] = parts[0].model_copy(update={"decisions": old.decisions,
                                                "actions": [*parts[0].actions,
                                                            *(describe_decision(d) for d in old.decisions)]})
    previous = number
    for offset, part in enumerate(parts[1:]):
        key = NEW_STEP + offset
        steps[key] = part
        flow = insert_after(flow, _task_id(previous), _node(key, part))
        previous = key
    return _shape(doc, steps, flow)


def _gateway_id(flow: ProcessFlow, prefix: str) -> str:
    count = 1
    while flow.has(f"{prefix}_{count}"):
        count += 1
    return f"{prefix}_{count}"


def _rules(decision: Decision) -> list[Rule]:
    operator = {"is": "==", "is_not": "!="}.get(decision.operator, decision.operator)
    return [Rule(subject=decision.subject, operator=operator, value=decision.value,
                 unit=decision.unit)]


def _question(decision: Decision) -> str:
    line = describe_decision(decision).removeprefix("If ").split(":", 1)[0]
    return line[:1].upper() + line[1:] + "?"


def add_branch(doc: ProcessDocument, anchor: int, decision: Decision, step: Step) -> Shaped:
    """After step ``anchor``, a decision: when ``decision`` holds, ``step`` runs, then the flow goes on."""
    flow, steps = doc.effective_flow(), _steps(doc)
    out = flow.outgoing(_task_id(anchor))
    if not out:
        raise InputError(f"step {anchor} leads nowhere; add the branch after another step")
    onward = out[0].target
    gateway = _gateway_id(flow, "decision")
    node = _node(NEW_STEP, step)
    edges = [e for e in flow.edges if e.source != _task_id(anchor)]
    edges += [FlowEdge(source=_task_id(anchor), target=gateway),
              FlowEdge(source=gateway, target=node.id, condition=_question(decision).rstrip("?"),
                       rules=_rules(decision)),
              FlowEdge(source=gateway, target=onward, default=True),
              FlowEdge(source=node.id, target=onward)]
    nodes = [*flow.nodes, FlowNode(id=gateway, kind="exclusive", label=_question(decision)), node]
    owner = steps[anchor]
    steps[anchor] = owner.model_copy(update={"decisions": [*owner.decisions, decision],
                                             "actions": [*owner.actions, describe_decision(decision)]})
    steps[NEW_STEP] = step
    return _shape(doc, steps, ProcessFlow(nodes=nodes, edges=edges))


def add_parallel(doc: ProcessDocument, alongside: int, step: Step) -> Shaped:
    """``step`` running at the same time as step ``alongside``: a parallel split before it, a join after."""
    flow, steps = doc.effective_flow(), _steps(doc)
    task = _task_id(alongside)
    back = flow.back_edges()
    out = flow.outgoing(task)
    if len(out) != 1:
        raise InputError(f"step {alongside} does not lead on to one place; name another step to run alongside")
    split, join = _gateway_id(flow, "parallel"), ""
    node = _node(NEW_STEP, step)
    interim = ProcessFlow(nodes=[*flow.nodes, FlowNode(id=split, kind="parallel")], edges=flow.edges)
    join = _gateway_id(interim, "parallel")
    edges: list[FlowEdge] = []
    for edge in flow.edges:
        if edge.target == task and (edge.source, edge.target) not in back:
            edges.append(edge.model_copy(update={"target": split}))
        elif edge.source == task:
            edges.append(edge.model_copy(update={"source": join}))
        else:
            edges.append(edge)
    edges += [FlowEdge(source=split, target=task), FlowEdge(source=split, target=node.id),
              FlowEdge(source=task, target=join), FlowEdge(source=node.id, target=join)]
    nodes = [*flow.nodes, FlowNode(id=split, kind="parallel"), FlowNode(id=join, kind="parallel"), node]
    steps[NEW_STEP] = step
    return _shape(doc, steps, ProcessFlow(nodes=nodes, edges=edges))


def add_loop(doc: ProcessDocument, source: int, target: int, decision: Decision | None) -> Shaped:
    """After step ``source`` go back to step ``target``: only when ``decision`` holds (otherwise on), or always."""
    flow = doc.effective_flow()
    task = _task_id(source)
    out = flow.outgoing(task)
    if decision is None:
        edges = [e for e in flow.edges if e.source != task] + [FlowEdge(source=task, target=_task_id(target))]
        return _shape(doc, _steps(doc), ProcessFlow(nodes=flow.nodes, edges=edges))
    gateway = _gateway_id(flow, "decision")
    onward = out[0].target if out else (flow.ends[0].id if flow.ends else "end")
    edges = [e for e in flow.edges if e.source != task]
    edges += [FlowEdge(source=task, target=gateway),
              FlowEdge(source=gateway, target=_task_id(target), condition=_question(decision).rstrip("?"),
                       rules=_rules(decision)),
              FlowEdge(source=gateway, target=onward, default=True)]
    steps = _steps(doc)
    owner = steps[source]
    steps[source] = owner.model_copy(update={"decisions": [*owner.decisions, decision],
                                             "actions": [*owner.actions, describe_decision(decision)]})
    nodes = [*flow.nodes, FlowNode(id=gateway, kind="exclusive", label=_question(decision))]
    return _shape(doc, steps, ProcessFlow(nodes=nodes, edges=edges))
