"""Optimisation suggestions: steps that can run in parallel, redundant hand-offs, manual work a connector could do.

Every rule is conservative — it only fires where the process graph itself shows the change is safe:
on plain sequences of steps (a step whose only way in is the step before it, and whose only way
out is the step after it), never across a decision, whose outcome may route the flow. Every
suggestion carries its effect, recomputed with :func:`analyse_efficiency` on the graph as it would
be after the change:

- **parallelise**: a notification or record step (its name starts with *notify*, *inform*, *email*, *alert*,
  *record*, *log*, *archive*, or *send … notification/confirmation/email*) produces nothing a later step reads,
  so it may run on a branch of its own beside the steps after it; and two consecutive checks
  (*check*, *verify*, *validate*, *screen*) on different systems read different data, so they may run side by
  side and join before the step after them.
- **handoff**: a role that hands work to another role and gets it straight back (A → B → A) could do the middle
  step itself, unless that step is an approval or review (a second pair of eyes on purpose); two consecutive
  steps by different roles on the same systems could be one step by the first role. Hands-on work (a meeting,
  physical work, work on site) stays with the role that does it.
- **automate**: a step done by a person whose systems are all declared integrations (``context.integrations`` or
  ``integration.systems``) could be a connector call; approvals and reviews stay with people, and so does
  hands-on work — physical work, meetings, work on site (:mod:`process_designer.maps.hands_on`). An automated
  step is assumed to take :data:`AUTOMATED_MINUTES`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel

from process_designer.agents.reviewer.efficiency import analyse_efficiency, step_span
from process_designer.domain.durations import format_minutes, format_span
from process_designer.domain.flow import FlowEdge, FlowNode, ProcessFlow, without_node
from process_designer.domain.models import ProcessDocument, Step
from process_designer.maps.hands_on import hands_on

__all__ = ["AUTOMATED_MINUTES", "AUTOMATION_ROLE", "Optimisation", "OptimisationKind", "describe", "suggest"]

OptimisationKind = Literal["parallelise", "handoff", "automate"]
AUTOMATED_MINUTES = 1.0  # a connector call with its retries; the person's time is what automation saves
AUTOMATION_ROLE = "System"

_NOTIFY = re.compile(r"^(notify|inform|e-?mail|alert|record|log|archive)\b|^send\b.*\b(notification|confirmation|"
                     r"e-?mail|message)\b", re.IGNORECASE)
_CHECK = re.compile(r"^(check|verify|validate|screen)\b", re.IGNORECASE)
_HUMAN_JUDGEMENT = re.compile(r"\b(approv\w*|review\w*|sign\w*|decide|decision|interview\w*|negotiat\w*)\b",
                              re.IGNORECASE)
_AUTOMATED_ROLE = re.compile(r"\b(system|automat\w*|bot|service|integration|scheduler)\b", re.IGNORECASE)


class Optimisation(BaseModel):
    """One suggested change and what it does to the process's durations and hand-offs."""

    kind: OptimisationKind
    steps: list[int]
    suggestion: str
    reason: str
    total_minutes_before: float
    total_minutes_after: float
    critical_path_minutes_before: float
    critical_path_minutes_after: float
    handoffs_before: int
    handoffs_after: int


@dataclass(frozen=True)
class _Design:
    """Steps and their graph: what a suggestion changes and the efficiency analysis measures."""

    steps: list[Step]
    flow: ProcessFlow

    def step(self, number: int) -> Step:
        return next(s for s in self.steps if s.number == number)

    def with_steps(self, change: dict[int, dict[str, object]]) -> _Design:
        return _Design([s.model_copy(update=change[s.number]) if s.number in change else s for s in self.steps],
                       self.flow)

    def before(self, number: int) -> int | None:
        """The step right before ``number`` when it is the only way in: a plain sequence."""
        task = self.flow.task(number)
        into = self.flow.incoming(task.id) if task is not None else []
        if len(into) != 1 or not self.flow.has(into[0].source) or self.flow.is_loop(into[0]):
            return None
        source = self.flow.node(into[0].source)
        return source.step if source.kind == "task" else None

    def after(self, number: int) -> int | None:
        """The step right after ``number`` when ``number`` is its only way in."""
        task = self.flow.task(number)
        out = self.flow.outgoing(task.id) if task is not None else []
        if len(out) != 1 or not self.flow.has(out[0].target):
            return None
        target = self.flow.node(out[0].target)
        return target.step if target.kind == "task" and target.step is not None and \
            self.before(target.step) == number else None


def _role(step: Step) -> str:
    return step.responsible.strip().lower()


def _label(step: Step) -> str:
    return f"step {step.number} '{step.name}'"


def _measure(kind: OptimisationKind, steps: list[int], suggestion: str, reason: str, before: _Design,
             after: _Design) -> Optimisation:
    old, new = analyse_efficiency(before.steps, before.flow), analyse_efficiency(after.steps, after.flow)
    return Optimisation(kind=kind, steps=steps, suggestion=suggestion, reason=reason,
                        total_minutes_before=old.total_minutes, total_minutes_after=new.total_minutes,
                        critical_path_minutes_before=old.critical_path_minutes,
                        critical_path_minutes_after=new.critical_path_minutes,
                        handoffs_before=old.handoffs, handoffs_after=new.handoffs)


def _fresh(flow: ProcessFlow, prefix: str) -> str:
    count = 1
    while flow.has(f"{prefix}_{count}"):
        count += 1
    return f"{prefix}_{count}"


def _aside(flow: ProcessFlow, number: int) -> ProcessFlow:
    """``step`` on a branch of its own: what led to it now splits into it (then an end) and what followed it."""
    task = flow.task(number)
    assert task is not None
    split, end = _fresh(flow, "parallel"), _fresh(flow, "end")
    following = flow.outgoing(task.id)[0].target
    edges = [e.model_copy(update={"target": split}) if e.target == task.id else e for e in flow.edges
             if e.source != task.id]
    edges += [FlowEdge(source=split, target=task.id), FlowEdge(source=split, target=following),
              FlowEdge(source=task.id, target=end)]
    nodes = [*flow.nodes, FlowNode(id=split, kind="parallel"), FlowNode(id=end, kind="end", label=f"{task.label} done")]
    return ProcessFlow(nodes=nodes, edges=edges)


def _side_by_side(flow: ProcessFlow, first: int, second: int) -> ProcessFlow:
    """Two consecutive steps split apart after what led to the first, and joined before what followed the second."""
    a, b = flow.task(first), flow.task(second)
    assert a is not None and b is not None
    split = _fresh(flow, "parallel")
    join = f"{split}_join"
    following = flow.outgoing(b.id)[0].target
    edges = [e.model_copy(update={"target": split}) if e.target == a.id else e for e in flow.edges
             if e.source not in (a.id, b.id)]
    edges += [FlowEdge(source=split, target=a.id), FlowEdge(source=split, target=b.id),
              FlowEdge(source=a.id, target=join), FlowEdge(source=b.id, target=join),
              FlowEdge(source=join, target=following)]
    nodes = [*flow.nodes, FlowNode(id=split, kind="parallel"), FlowNode(id=join, kind="parallel")]
    return ProcessFlow(nodes=nodes, edges=edges)


def _parallel_notifications(design: _Design) -> list[Optimisation]:
    found = []
    for step in design.steps:
        previous = design.before(step.number)
        task = design.flow.task(step.number)
        if previous is None or task is None or not _NOTIFY.search(step.name):
            continue
        out = design.flow.outgoing(task.id)
        if len(out) != 1 or design.flow.node(out[0].target).kind in ("end", "exclusive"):
            continue  # nothing follows it, or a decision reads what it did
        later = design.flow.first_steps(out[0].target) if design.flow.node(out[0].target).kind != "task" else \
            [design.flow.node(out[0].target).step or 0]
        after = _Design(design.steps, _aside(design.flow, step.number))
        found.append(_measure(
            "parallelise", [step.number, *later],
            f"Run {_label(step)} alongside {', '.join(_label(design.step(n)) for n in later)}: start them after "
            f"{_label(design.step(previous))}",
            "a notification or record produces nothing the following steps read", design, after))
    return found


def _parallel_checks(design: _Design) -> list[Optimisation]:
    found = []
    for first in design.steps:
        number = design.after(first.number)
        if number is None:
            continue
        second = design.step(number)
        if not (_CHECK.search(first.name) and _CHECK.search(second.name)):
            continue
        mine, theirs = {s.lower() for s in second.systems}, {s.lower() for s in first.systems}
        task = design.flow.task(second.number)
        if not mine or not theirs or mine & theirs or task is None or len(design.flow.outgoing(task.id)) != 1:
            continue
        after = _Design(design.steps, _side_by_side(design.flow, first.number, second.number))
        found.append(_measure(
            "parallelise", [first.number, second.number],
            f"Run {_label(first)} and {_label(second)} at the same time",
            f"independent checks on different systems ({', '.join(sorted(theirs))} and {', '.join(sorted(mine))})",
            design, after))
    return found


def _ping_pong(design: _Design) -> tuple[list[Optimisation], set[tuple[int, int]]]:
    found, covered = [], set()
    for first in design.steps:
        middle_number = design.after(first.number)
        last_number = design.after(middle_number) if middle_number is not None else None
        if middle_number is None or last_number is None:
            continue
        middle, last = design.step(middle_number), design.step(last_number)
        if (_role(first) != _role(last) or _role(first) == _role(middle) or _HUMAN_JUDGEMENT.search(middle.name)
                or hands_on(middle) is not None):
            continue
        covered |= {(first.number, middle.number), (middle.number, last.number)}
        found.append(_measure(
            "handoff", [first.number, middle.number, last.number],
            f"Let {first.responsible} do {_label(middle)} instead of {middle.responsible}",
            f"the work goes {first.responsible} → {middle.responsible} → {first.responsible}", design,
            design.with_steps({middle.number: {"responsible": first.responsible}})))
    return found, covered


def _merges(design: _Design, covered: set[tuple[int, int]]) -> list[Optimisation]:
    found = []
    for first in design.steps:
        number = design.after(first.number)
        if number is None or (first.number, number) in covered:
            continue
        second = design.step(number)
        systems = {s.lower() for s in first.systems}
        if (_role(first) == _role(second) or not systems or systems != {s.lower() for s in second.systems}
                or hands_on(first) is not None or hands_on(second) is not None):
            continue
        both = step_span(first) + step_span(second)
        duration = format_span(both) if both.calendar_days else f"{both.work_minutes:g} minutes"
        task = design.flow.task(second.number)
        assert task is not None
        after = _Design([s.model_copy(update={"duration": duration}) if s.number == first.number else s
                         for s in design.steps if s.number != second.number], without_node(design.flow, task.id))
        found.append(_measure(
            "handoff", [first.number, second.number],
            f"Merge {_label(second)} into {_label(first)}, done by {first.responsible}",
            f"consecutive steps on the same systems ({', '.join(sorted(systems))}) by {first.responsible} and "
            f"{second.responsible}", design, after))
    return found


def _declared_connectors(document: ProcessDocument) -> set[str]:
    declared = set(document.context.integrations)
    if document.integration is not None:
        declared |= {s.strip().lower().replace("-", "_").replace(" ", "_") for s in document.integration.systems}
    return declared


def _automation(document: ProcessDocument, design: _Design) -> list[Optimisation]:
    connectors = _declared_connectors(document)
    found = []
    for step in design.steps:
        systems = {s.lower() for s in step.systems}
        if (not systems or not systems <= connectors or _AUTOMATED_ROLE.search(step.responsible)
                or _HUMAN_JUDGEMENT.search(step.name) or hands_on(step) is not None):
            continue
        after = design.with_steps({step.number: {"responsible": AUTOMATION_ROLE,
                                                 "duration": f"{AUTOMATED_MINUTES:g} minutes"}})
        found.append(_measure(
            "automate", [step.number],
            f"Automate {_label(step)} through the {', '.join(sorted(systems))} integration",
            f"{step.responsible} does it by hand in a system the process already has a connector for", design, after))
    return found


def suggest(document: ProcessDocument) -> list[Optimisation]:
    """Optimisations of ``document``: parallel steps, then redundant hand-offs, then automation, each by step."""
    design = _Design(list(document.steps), document.effective_flow())
    parallel = sorted(_parallel_notifications(design) + _parallel_checks(design), key=lambda o: o.steps)
    ping_pong, covered = _ping_pong(design)
    handoffs = sorted(ping_pong + _merges(design, covered), key=lambda o: o.steps)
    return parallel + handoffs + _automation(document, design)


def _duration(minutes: float) -> str:
    """``155`` → ``"2 h 35 min"``: exact, where :func:`format_minutes` would print 2.58333 hours."""
    if minutes < 60 or minutes % 60 == 0:
        return format_minutes(minutes)
    hours, rest = divmod(minutes, 60)
    return f"{hours:g} h {rest:g} min"


def _change(before: float, after: float) -> str:
    if before == after:
        return f"{_duration(before)} (unchanged)"
    sign = "+" if after > before else "-"
    return f"{_duration(before)} → {_duration(after)} ({sign}{_duration(abs(after - before))})"


def describe(optimisation: Optimisation) -> str:
    """One line: the suggestion, why, and its effect on critical path, total duration and hand-offs."""
    o = optimisation
    critical = _change(o.critical_path_minutes_before, o.critical_path_minutes_after)
    return (f"{o.suggestion} — {o.reason}. Critical path {critical}; total {_change(o.total_minutes_before, o.total_minutes_after)}; "
            f"hand-offs {o.handoffs_before} → {o.handoffs_after}")
