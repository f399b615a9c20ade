"""Re-deriving the prose that depends on the steps after an edit, and keeping steps and graph in step.

Sections the writer composed from the steps (scope, purpose, prerequisites, error handling,
monitoring) are recomposed with the writer's own compose functions; lines the user added stay,
once each. Open questions quote each step by its number and name after the edit, and what an edit
answered ("who performs step 2?" once step 2 has an owner) goes. Structural edits go through the process
graph: the steps follow its order and their ``depends_on`` follows its edges.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from process_designer.agents.writer.compose import (
    default_error_handling,
    default_monitoring,
    default_prerequisites,
    default_purpose,
    default_scope,
)
from process_designer.domain.flow import ProcessFlow, renumber
from process_designer.domain.models import ProcessDocument, Requirement, Step
from process_designer.errors import InputError

__all__ = ["rederive", "restructure", "synced_flow"]


def _monitoring(doc: ProcessDocument) -> list[str]:
    requirement = Requirement(text="", title=doc.title, systems=doc.integrations)
    return default_monitoring(doc.steps, requirement, doc.effective_flow())


_TRIGGER = re.compile(r"^Take each case of .+? from (?P<trigger>[^'].*?) to ")


def _purpose(before: ProcessDocument, after: ProcessDocument) -> str | None:
    """The purpose re-derived for ``after`` when ``before``'s was the derived one; ``None`` when the user wrote it."""
    stated = _TRIGGER.match(before.overview.purpose)
    trigger = stated.group("trigger") if stated else ""
    derived = default_purpose(before.title, before.steps, before.effective_flow(), trigger)
    if before.overview.purpose != derived:
        return None
    return default_purpose(after.title, after.steps, after.effective_flow(), trigger)


def _recomposed(old_lines: Sequence[str], generated_before: Sequence[str], generated_now: Sequence[str]) -> list[str]:
    """The section with its generated lines replaced and every other line kept, each line once."""
    stale = set(generated_before)
    kept = [line for line in old_lines if line not in stale and line not in generated_now]
    return list(dict.fromkeys([*generated_now, *kept]))


_QUOTED = re.compile(r"(\d+) \('(.*?)'\)")
_WHO = re.compile(r"^Who performs steps? (?P<steps>\d+ \('.*?'\)(?:, \d+ \('.*?'\))*)\?(?P<rest>.*)$")


def _paired(before: ProcessDocument, after: ProcessDocument) -> dict[int, Step]:
    """Each step of ``before`` that ``after`` still has: the one of the same name, else the one at its number."""
    by_name: dict[str, Step] = {}
    for step in after.steps:
        by_name.setdefault(step.name, step)
    paired: dict[int, Step] = {}
    for old in before.steps:
        if (same := by_name.get(old.name)) is not None and same not in paired.values():
            paired[old.number] = same
    for old in before.steps:
        if old.number not in paired and (at := after.step(old.number)) is not None and at.name not in (
                s.name for s in before.steps) and at not in paired.values():
            paired[old.number] = at  # renamed or merged in place
    return paired


def _questions(before: ProcessDocument, after: ProcessDocument) -> list[str]:
    """The open questions quoting each step by its number and name now ("step 2 ('Verify order')").

    A step that is gone leaves the questions; "who performs step N?" goes once the edit gave step N a
    performer.
    """
    paired = _paired(before, after)
    assigned = {new.number for number, new in paired.items() if before.steps[number - 1].responsible != new.responsible}

    def step_of(quote: re.Match[str]) -> Step | None:
        """The step a quote ("2 ('Look up order')") named before the edit, as it is after it."""
        old = before.step(int(quote.group(1)))
        return paired.get(old.number) if old is not None and old.name == quote.group(2) else None

    def requote(quote: re.Match[str]) -> str:
        step = step_of(quote)
        return f"{step.number} ('{step.name}')" if step is not None else quote.group(0)

    kept: list[str] = []
    for line in after.open_questions:
        asked = _WHO.match(line)
        if asked is None:
            kept.append(_QUOTED.sub(requote, line))
            continue
        steps = sorted((step for quote in _QUOTED.finditer(asked.group("steps")) if (step := step_of(quote))),
                       key=lambda step: step.number)
        steps = [step for step in steps if step.number not in assigned]
        if steps:
            names = ", ".join(f"{step.number} ('{step.name}')" for step in steps)
            kept.append(f"Who performs step{'s' if len(steps) > 1 else ''} {names}?{asked.group('rest')}")
    return kept


_SEVERITY = ("loop_without_exit", "dead_end", "unreachable")


def rederive(before: ProcessDocument, after: ProcessDocument) -> ProcessDocument:
    """``after`` with the sections composed from ``before``'s steps recomposed from its own."""
    overview = after.overview
    updates: dict[str, object] = {}
    if overview.scope.startswith("Included:"):
        updates["scope"] = default_scope(after.steps, after.integrations, after.effective_flow())
    purpose = _purpose(before, after)
    if purpose is not None:
        updates["purpose"] = purpose
    owner = after.overview.owner
    document = after.model_copy(update={"overview": overview.model_copy(update=updates)}) if updates else after
    return document.model_copy(update={
        "prerequisites": _recomposed(before.prerequisites,
                                     default_prerequisites(before.steps, before.integrations, before.effective_flow()),
                                     default_prerequisites(after.steps, after.integrations, after.effective_flow())),
        "error_handling": _recomposed(before.error_handling,
                                      default_error_handling(before.steps, before.integrations, before.overview.owner,
                                                             before.effective_flow()),
                                      default_error_handling(after.steps, after.integrations, owner,
                                                             after.effective_flow())),
        "monitoring": _recomposed(before.monitoring, _monitoring(before), _monitoring(document)),
        "open_questions": _questions(before, after),
    })


def restructure(before: ProcessDocument, steps: Mapping[int, Step], flow: ProcessFlow) -> tuple[ProcessDocument,
                                                                                                  dict[int, int]]:
    """The document whose steps are ``steps`` (keyed by their task's step number in ``flow``) in the graph's order.

    Returns it with the mapping from the keys to the new step numbers. A graph with a defect
    (a loop without exit, a dead end) is refused with the reason.
    """
    problems = sorted(flow.problems(), key=lambda p: _SEVERITY.index(p.code) if p.code in _SEVERITY else len(_SEVERITY))
    if problems:
        raise InputError(f"that change would break the process graph: {problems[0].text}; "
                         "nothing was changed — say where the flow goes on instead")
    order = flow.step_order()
    mapping = {old: new for new, old in enumerate(order, start=1)}
    graph = renumber(flow, mapping)
    predecessors = graph.step_predecessors()
    renumbered: list[Step] = []
    for old in order:
        number = mapping[old]
        step = steps[old]
        renumbered.append(step.model_copy(update={"number": number, "depends_on": predecessors.get(number, [])}))
    nodes = []
    for node in graph.nodes:
        if node.kind == "task" and node.step is not None:
            step = renumbered[node.step - 1]
            node = node.model_copy(update={"label": step.name, "performer": step.responsible})
        nodes.append(node)
    graph = ProcessFlow(nodes=nodes, edges=graph.edges)
    document = before.model_copy(update={"steps": renumbered, "flow": graph})
    return rederive(before, document), mapping


def synced_flow(document: ProcessDocument) -> ProcessFlow:
    """The document's graph with each task's label and performer taken from its step."""
    flow = document.effective_flow()
    nodes = []
    for node in flow.nodes:
        step = document.step(node.step) if node.kind == "task" and node.step is not None else None
        nodes.append(node.model_copy(update={"label": step.name, "performer": step.responsible}) if step else node)
    return ProcessFlow(nodes=nodes, edges=flow.edges)
