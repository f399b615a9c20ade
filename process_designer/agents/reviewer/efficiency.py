"""Efficiency analysis of a process graph: durations, the critical path, hand-offs, parallel work, bottlenecks.

The critical path is the longest way from the start to an end through the graph without its loops:
a join waits for its slowest branch, and of a decision's alternatives the longest is reported, with
the branch it takes. Working time and calendar waits are added up apart (``domain.durations``); they
are ranked together by the elapsed working time they take, so a 14-day wait counts as the 10
business days that pass meanwhile — never as 14 days of 24 working hours.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from process_designer.domain.durations import Span, parse_span
from process_designer.domain.flow import ProcessFlow
from process_designer.domain.models import Efficiency, Step, flow_of

__all__ = ["analyse_efficiency", "step_span"]

BOTTLENECK_SHARE = 0.4  # a step holding this share of the critical path or more is a bottleneck


def step_span(step: Step) -> Span:
    """What the step takes; a duration that names no time span takes none."""
    return parse_span(step.duration) or Span()


def _branch(flow: ProcessFlow, source: str, target: str) -> str:
    gateway = flow.node(source)
    edge = next(e for e in flow.outgoing(source) if e.target == target)
    words = "otherwise" if edge.default else " ".join(
        (edge.condition or " and ".join(r.text() for r in edge.rules)).split())
    return f"{' '.join(gateway.label.split()) or gateway.id} → {words}"


def analyse_efficiency(steps: Sequence[Step], flow: ProcessFlow | None = None) -> Efficiency:
    """The efficiency of the process ``flow`` whose tasks are ``steps``.

    Without ``flow`` (or with one whose tasks are not exactly ``steps``) the graph is the steps' ``depends_on``.
    """
    if not steps:
        return Efficiency()
    graph = flow_of(steps, flow)
    by_number = {s.number: s for s in steps}
    spans = {s.number: step_span(s) for s in steps}
    back = graph.back_edges()

    def own(node_id: str) -> Span:
        node = graph.node(node_id)
        return spans.get(node.step, Span()) if node.kind == "task" and node.step is not None else Span()

    # Longest elapsed time to each node over the graph without its loops.
    best: dict[str, Span] = {}
    came_from: dict[str, str | None] = {}
    for node_id in graph.order():
        arrivals = [e.source for e in graph.incoming(node_id)
                    if (e.source, e.target) not in back and e.source in best]
        before = max(arrivals, key=lambda s: best[s].minutes, default=None)
        best[node_id] = (best[before] if before is not None else Span()) + own(node_id)
        came_from[node_id] = before
    ends = [n.id for n in graph.ends if n.id in best] or list(best)
    cursor: str | None = max(ends, key=lambda n: best[n].minutes)
    critical = best[cursor] if cursor is not None else Span()
    path: list[str] = []
    while cursor is not None:
        path.append(cursor)
        cursor = came_from[cursor]
    path.reverse()
    branches = [_branch(graph, a, b) for a, b in itertools.pairwise(path)
                if graph.node(a).kind == "exclusive"]

    handoffs = sum(1 for number, preds in graph.step_predecessors().items() if number in by_number
                   for p in preds if p in by_number and by_number[p].responsible != by_number[number].responsible)
    groups = [sorted(graph.first_steps(n.id)) for n in graph.gateways if graph.is_split(n.id)]
    total = sum(spans.values(), Span())
    numbers = [n for n in (graph.node(i).step for i in path if graph.node(i).kind == "task") if n in by_number]
    bottlenecks = [n for n in numbers if critical.minutes and len(numbers) > 1
                   and spans[n].minutes / critical.minutes >= BOTTLENECK_SHARE]
    return Efficiency(
        total_minutes=total.minutes,
        critical_path=numbers,
        critical_path_minutes=critical.minutes,
        handoffs=handoffs,
        parallel_groups=[g for g in groups if len(g) > 1],
        bottlenecks=bottlenecks,
        total_work_minutes=total.work_minutes,
        total_wait_days=total.calendar_days,
        critical_path_work_minutes=critical.work_minutes,
        critical_path_wait_days=critical.calendar_days,
        critical_path_branches=branches,
    )
