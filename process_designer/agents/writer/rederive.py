"""Re-deriving the prose that depends on the steps after an edit, and keeping steps and graph in step.

Sections the writer composed from the steps (scope, purpose, prerequisites, error handling,
monitoring) are recomposed with the writer's own compose functions; lines the user added stay,
once each. Open questions that quote a renamed step quote its new name, and what an edit answered
("who performs step 2?" once step 2 has an owner) goes. Structural edits go through the process
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


def _renamed(before: ProcessDocument, after: ProcessDocument, lines: Sequence[str]) -> list[str]:
    """``lines`` with each step quoted by its old name ("step 2 ('Look up order')") quoted by its new one.

    Only when the steps kept their numbers; a line naming no renamed step stays as it was.
    """
    if len(before.steps) != len(after.steps):
        return list(lines)
    names = {f"('{old.name}')": f"('{new.name}')" for old, new in zip(before.steps, after.steps, strict=True)
             if old.name != new.name}
    if not names:
        return list(lines)
    quoted = re.compile("|".join(re.escape(name) for name in names))
    return [quoted.sub(lambda m: names[m.group(0)], line) for line in lines]


_WHO = re.compile(r"^Who performs steps? (?P<steps>\d+ \('.*?'\)(?:, \d+ \('.*?'\))*)\?(?P<rest>.*)$")
_ASKED = re.compile(r"(\d+) \('.*?'\)")


def _unanswered(before: ProcessDocument, after: ProcessDocument, lines: Sequence[str]) -> list[str]:
    """``lines`` without the steps whose performer the edit set: "Who performs step 2 …?" is answered."""
    if len(before.steps) != len(after.steps):
        return list(lines)
    assigned = {new.number for old, new in zip(before.steps, after.steps, strict=True)
                if old.name == new.name and old.responsible != new.responsible}
    kept: list[str] = []
    for line in lines:
        asked = _WHO.match(line)
        if not assigned or asked is None:
            kept.append(line)
            continue
        steps = [m.group(0) for m in _ASKED.finditer(asked.group("steps")) if int(m.group(1)) not in assigned]
        if steps:
            kept.append(f"Who performs step{'s' if len(steps) > 1 else ''} {', '.join(steps)}?{asked.group('rest')}")
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
        "open_questions": _unanswered(before, after, _renamed(before, after, after.open_questions)),
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
