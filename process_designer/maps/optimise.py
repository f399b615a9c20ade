"""Optimisation suggestions: steps that can run in parallel, redundant hand-offs, manual work a connector could do.

Every rule is conservative — it only fires where the document itself shows the change is safe — and every
suggestion carries its effect, recomputed with :func:`analyse_efficiency` on the step graph as it would be after
the change:

- **parallelise**: a notification or record step (its name starts with *notify*, *inform*, *email*, *alert*,
  *record*, *log*, *archive*, or *send … notification/confirmation/email*) produces nothing a later step reads,
  so the steps after it may start as soon as the step before it is done; and two consecutive checks
  (*check*, *verify*, *validate*, *screen*) on different systems read different data, so the second may start
  with the first. Neither fires after a step with a decision, whose outcome may route the flow.
- **handoff**: a role that hands work to another role and gets it straight back (A → B → A) could do the middle
  step itself, unless that step is an approval or review (a second pair of eyes on purpose); two consecutive steps by different roles on the same systems could be one step by the first role.
- **automate**: a step done by a person whose systems are all declared integrations (``context.integrations`` or
  ``integration.systems``) could be a connector call; approvals and reviews stay with people. An automated step
  is assumed to take :data:`AUTOMATED_MINUTES`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel

from process_designer.agents.reviewer.efficiency import analyse_efficiency
from process_designer.domain.durations import format_minutes, parse_duration
from process_designer.domain.models import ProcessDocument, Step
from process_designer.maps.flow import predecessors

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


Graph = list[Step]


def _explicit(document: ProcessDocument) -> Graph:
    """The steps with every predecessor written out, so the efficiency analysis sees the flow the maps draw."""
    preds = predecessors(document)
    return [s.model_copy(update={"depends_on": preds[s.number]}) for s in document.steps]


def _successors(graph: Graph, number: int) -> list[Step]:
    return [s for s in graph if number in s.depends_on]


def _sole_predecessor(graph: Graph, step: Step) -> Step | None:
    if len(step.depends_on) != 1:
        return None
    return next(s for s in graph if s.number == step.depends_on[0])


def _role(step: Step) -> str:
    return step.responsible.strip().lower()


def _label(step: Step) -> str:
    return f"step {step.number} '{step.name}'"


def _rewired(graph: Graph, change: Callable[[Step], Step | None]) -> Graph:
    """``graph`` with each step replaced by ``change(step)``; ``None`` drops the step."""
    return [changed for step in graph if (changed := change(step)) is not None]


def _measure(kind: OptimisationKind, steps: list[int], suggestion: str, reason: str, before: Graph,
             after: Graph) -> Optimisation:
    old, new = analyse_efficiency(before), analyse_efficiency(after)
    return Optimisation(kind=kind, steps=steps, suggestion=suggestion, reason=reason,
                        total_minutes_before=old.total_minutes, total_minutes_after=new.total_minutes,
                        critical_path_minutes_before=old.critical_path_minutes,
                        critical_path_minutes_after=new.critical_path_minutes,
                        handoffs_before=old.handoffs, handoffs_after=new.handoffs)


def _parallel_notifications(graph: Graph) -> list[Optimisation]:
    found = []
    for step in graph:
        before = _sole_predecessor(graph, step)
        later = _successors(graph, step.number)
        if before is None or before.decisions or step.decisions or not later or not _NOTIFY.search(step.name):
            continue

        def bypass(s: Step, n: int = step.number, origin: int = before.number) -> Step:
            if n not in s.depends_on:
                return s
            return s.model_copy(update={"depends_on": sorted({*(d for d in s.depends_on if d != n), origin})})

        found.append(_measure(
            "parallelise", [step.number, *(s.number for s in later)],
            f"Run {_label(step)} alongside {', '.join(_label(s) for s in later)}: start them after "
            f"{_label(before)}",
            "a notification or record produces nothing the following steps read", graph, _rewired(graph, bypass)))
    return found


def _parallel_checks(graph: Graph) -> list[Optimisation]:
    found = []
    for step in graph:
        first = _sole_predecessor(graph, step)
        if first is None or first.decisions or not (_CHECK.search(first.name) and _CHECK.search(step.name)):
            continue
        mine, theirs = {s.lower() for s in step.systems}, {s.lower() for s in first.systems}
        if not mine or not theirs or mine & theirs:
            continue

        def alongside(s: Step, n: int = step.number, f: Step = first) -> Step:
            if s.number == n:
                return s.model_copy(update={"depends_on": list(f.depends_on)})
            if n in s.depends_on:  # what waited for both checks in turn still waits for both
                return s.model_copy(update={"depends_on": sorted({*s.depends_on, f.number})})
            return s

        found.append(_measure(
            "parallelise", [first.number, step.number],
            f"Run {_label(first)} and {_label(step)} at the same time",
            f"independent checks on different systems ({', '.join(sorted(theirs))} and {', '.join(sorted(mine))})",
            graph, _rewired(graph, alongside)))
    return found


def _ping_pong(graph: Graph) -> tuple[list[Optimisation], set[tuple[int, int]]]:
    found, covered = [], set()
    for last in graph:
        middle = _sole_predecessor(graph, last)
        first = _sole_predecessor(graph, middle) if middle is not None else None
        if (first is None or middle is None or _role(first) != _role(last) or _role(first) == _role(middle)
                or _HUMAN_JUDGEMENT.search(middle.name)):
            continue

        def reassign(s: Step, n: int = middle.number, role: str = first.responsible) -> Step:
            return s.model_copy(update={"responsible": role}) if s.number == n else s

        covered |= {(first.number, middle.number), (middle.number, last.number)}
        found.append(_measure(
            "handoff", [first.number, middle.number, last.number],
            f"Let {first.responsible} do {_label(middle)} instead of {middle.responsible}",
            f"the work goes {first.responsible} → {middle.responsible} → {first.responsible}", graph,
            _rewired(graph, reassign)))
    return found, covered


def _merges(graph: Graph, covered: set[tuple[int, int]]) -> list[Optimisation]:
    found = []
    for second in graph:
        first = _sole_predecessor(graph, second)
        if (first is None or (first.number, second.number) in covered or first.decisions
                or _role(first) == _role(second) or [s.number for s in _successors(graph, first.number)]
                != [second.number]):
            continue
        systems = {s.lower() for s in first.systems}
        if not systems or systems != {s.lower() for s in second.systems}:
            continue
        minutes = (parse_duration(first.duration) or 0.0) + (parse_duration(second.duration) or 0.0)

        def merge(s: Step, f: Step = first, n: int = second.number, m: float = minutes) -> Step | None:
            if s.number == n:
                return None
            if s.number == f.number:
                return s.model_copy(update={"duration": f"{m:g} minutes"})
            if n in s.depends_on:
                return s.model_copy(update={"depends_on": sorted({*(d for d in s.depends_on if d != n), f.number})})
            return s

        found.append(_measure(
            "handoff", [first.number, second.number],
            f"Merge {_label(second)} into {_label(first)}, done by {first.responsible}",
            f"consecutive steps on the same systems ({', '.join(sorted(systems))}) by {first.responsible} and "
            f"{second.responsible}", graph, _rewired(graph, merge)))
    return found


def _declared_connectors(document: ProcessDocument) -> set[str]:
    declared = set(document.context.integrations)
    if document.integration is not None:
        declared |= {s.strip().lower().replace("-", "_").replace(" ", "_") for s in document.integration.systems}
    return declared


def _automation(document: ProcessDocument, graph: Graph) -> list[Optimisation]:
    connectors = _declared_connectors(document)
    found = []
    for step in graph:
        systems = {s.lower() for s in step.systems}
        if (not systems or not systems <= connectors or _AUTOMATED_ROLE.search(step.responsible)
                or _HUMAN_JUDGEMENT.search(step.name)):
            continue

        def automate(s: Step, n: int = step.number) -> Step:
            if s.number != n:
                return s
            return s.model_copy(update={"responsible": AUTOMATION_ROLE, "duration": f"{AUTOMATED_MINUTES:g} minutes"})

        found.append(_measure(
            "automate", [step.number],
            f"Automate {_label(step)} through the {', '.join(sorted(systems))} integration",
            f"{step.responsible} does it by hand in a system the process already has a connector for", graph,
            _rewired(graph, automate)))
    return found


def suggest(document: ProcessDocument) -> list[Optimisation]:
    """Optimisations of ``document``: parallel steps, then redundant hand-offs, then automation, each by step."""
    graph = _explicit(document)
    parallel = sorted(_parallel_notifications(graph) + _parallel_checks(graph), key=lambda o: o.steps)
    ping_pong, covered = _ping_pong(graph)
    handoffs = sorted(ping_pong + _merges(graph, covered), key=lambda o: o.steps)
    return parallel + handoffs + _automation(document, graph)


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
