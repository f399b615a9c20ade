"""Edits to one field of the process: a step's performer, duration, name or systems, a threshold, the title, the owner.

Each changes exactly that field and re-derives the prose built from it (``rederive``); the text
that quoted an old value (a threshold in an action, a name in the scope) says the new one.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from process_designer.agents.vocabulary import system_label
from process_designer.agents.writer.phrasing import describe_decision, value_text
from process_designer.agents.writer.rederive import rederive, synced_flow
from process_designer.domain.durations import format_minutes, parse_duration
from process_designer.domain.flow import ProcessFlow
from process_designer.domain.models import Decision, ProcessDocument, Step
from process_designer.errors import InputError
from process_designer.language.messages import Quantity

__all__ = [
    "change_duration",
    "change_owner",
    "change_process_owner",
    "change_systems",
    "change_threshold",
    "rename_process",
    "rename_step",
    "restate_step",
    "threshold_candidates",
]


def _with_step(doc: ProcessDocument, step: Step) -> ProcessDocument:
    steps = [step if s.number == step.number else s for s in doc.steps]
    edited = doc.model_copy(update={"steps": steps})
    edited = edited.model_copy(update={"flow": synced_flow(edited)})
    return rederive(doc, edited)


def change_owner(doc: ProcessDocument, number: int, role: str) -> tuple[ProcessDocument, str]:
    step = doc.steps[number - 1]
    if step.responsible == role:
        raise InputError(f"step {number} ('{step.name}') is already done by the {role}; nothing to change")
    lines = [a.replace(step.responsible, role) for a in step.actions]
    updated = step.model_copy(update={"responsible": role, "performer_source": "stated", "actions": lines,
                                      "validation": [v.replace(step.responsible, role) for v in step.validation]})
    return _with_step(doc, updated), (f"Step {number} ('{step.name}') is now done by the {role} "
                                      f"(was the {step.responsible}).")


def change_duration(doc: ProcessDocument, number: int, quantity: Quantity) -> tuple[ProcessDocument, str]:
    step = doc.steps[number - 1]
    minutes = parse_duration(f"{quantity.number} {quantity.unit}")
    if minutes is None:
        raise InputError(f"I could not read '{quantity.text}' as a duration; say e.g. '2 hours' or '1 business day'")
    duration = format_minutes(minutes)
    if quantity.unit in ("business days", "days", "weeks"):
        duration = f"{quantity.number} {quantity.unit if quantity.number != 1 else quantity.unit.rstrip('s')}"
    updated = step.model_copy(update={"duration": duration})
    return _with_step(doc, updated), f"Step {number} ('{step.name}') now takes {duration} (was {step.duration})."


def rename_step(doc: ProcessDocument, number: int, name: str) -> tuple[ProcessDocument, str]:
    step = doc.steps[number - 1]
    name = name[:1].upper() + name[1:]
    if name == step.name:
        raise InputError(f"step {number} is already called '{name}'")
    lower_old, lower_new = step.name[:1].lower() + step.name[1:], name[:1].lower() + name[1:]
    updated = step.model_copy(update={"name": name, "objective": step.objective.replace(lower_old, lower_new)})
    return _with_step(doc, updated), f"Renamed step {number} from '{step.name}' to '{name}'."


def rename_process(doc: ProcessDocument, title: str) -> tuple[ProcessDocument, str]:
    title = title[:1].upper() + title[1:]
    edited = doc.model_copy(update={"title": title})
    return rederive(doc, edited), f"Renamed the process from '{doc.title}' to '{title}'."


def change_process_owner(doc: ProcessDocument, owner: str) -> tuple[ProcessDocument, str]:
    edited = doc.model_copy(update={"overview": doc.overview.model_copy(update={"owner": owner})})
    return rederive(doc, edited), f"The process is now owned by {owner} (was {doc.overview.owner})."


def change_systems(doc: ProcessDocument, number: int, add: list[str], remove: list[str]) -> tuple[ProcessDocument,
                                                                                                   str]:
    step = doc.steps[number - 1]
    missing = [s for s in remove if s not in step.systems]
    if missing:
        raise InputError(f"step {number} ('{step.name}') does not use the {system_label(missing[0])}; it uses "
                         f"{', '.join(system_label(s) for s in step.systems) or 'no system'}")
    systems = [s for s in step.systems if s not in remove] + [s for s in add if s not in step.systems]
    if systems == step.systems:
        raise InputError(f"step {number} ('{step.name}') already uses "
                         f"{', '.join(system_label(s) for s in add)}")
    updated = step.model_copy(update={"systems": systems})
    edited = doc.model_copy(update={"context": doc.context.model_copy(update={
        "integrations": [s for s in doc.context.integrations if s not in remove or _used_elsewhere(doc, s, number)]})})
    said = ", ".join(system_label(s) for s in systems) or "no system"
    return _with_step(edited, updated), f"Step {number} ('{step.name}') now uses {said}."


def _used_elsewhere(doc: ProcessDocument, system: str, number: int) -> bool:
    return any(system in s.systems for s in doc.steps if s.number != number)


_KINDS = {"money": ("USD", "EUR", "GBP"), "percent": ("%", "percent"), "duration": ("day", "hour", "week", "month",
                                                                                     "minute")}


def _fits(decision: Decision, quantity: Quantity) -> bool:
    unit = (decision.unit or "").lower()
    if quantity.kind == "money":
        return unit.upper() in _KINDS["money"] or "amount" in decision.subject
    if quantity.kind == "percent":
        return unit in _KINDS["percent"] or "percent" in decision.subject or "rate" in decision.subject
    if quantity.kind == "duration":
        return any(u in unit for u in _KINDS["duration"])
    if quantity.kind == "date":
        return "date" in decision.subject or bool(re.match(r"\d{4}-\d\d-\d\d$", str(decision.value)))
    return isinstance(decision.value, int | float) and not isinstance(decision.value, bool)


def threshold_candidates(doc: ProcessDocument, quantity: Quantity,
                         related: Callable[[Decision, Step], float]) -> list[tuple[float, Step, int]]:
    """Decisions that ``quantity`` could set, best first: (how well the words match, step, index)."""
    found = []
    for step in doc.steps:
        for index, decision in enumerate(step.decisions):
            score = related(decision, step)
            fits = _fits(decision, quantity)
            if fits or (quantity.kind == "number" and score >= 1):
                found.append((score + (1.0 if fits else 0.0), step, index))
    return sorted(found, key=lambda item: -item[0])


def _new_value(decision: Decision, quantity: Quantity) -> tuple[int | float | str, str]:
    if quantity.kind == "date":
        return quantity.unit, ""
    if quantity.kind == "percent":
        return quantity.number, "%"
    if quantity.kind == "money":
        return quantity.number, quantity.unit
    if quantity.kind == "duration":
        return quantity.number, quantity.unit
    return quantity.number, decision.unit


def _measured(decision: Decision) -> Decision:
    """The decision with the unit its subject names: ``discount_percent > 25`` is ``25%``."""
    if not decision.unit and decision.subject.endswith("percent"):
        return decision.model_copy(update={"unit": "%"})
    return decision


def change_threshold(doc: ProcessDocument, number: int, index: int, quantity: Quantity) -> tuple[ProcessDocument,
                                                                                                   str]:
    step = doc.steps[number - 1]
    stated = step.decisions[index]
    decision = _measured(stated)
    value, unit = _new_value(decision, quantity)
    new = decision.model_copy(update={"value": value, "unit": unit})
    old_text, new_text = value_text(decision), value_text(new)
    if old_text == new_text:
        raise InputError(f"step {number} ('{step.name}') already uses {decision.subject.replace('_', ' ')} "
                         f"{decision.operator} {old_text}")
    new = new.model_copy(update={"text": _swap_value(decision.text, decision, old_text, new_text)})
    old_line, new_line = describe_decision(stated), describe_decision(new)

    def swap(line: str) -> str:
        return new_line if line == old_line else _swap_value(line, decision, old_text, new_text)

    decisions = list(step.decisions)
    decisions[index] = new
    updated = step.model_copy(update={"decisions": decisions, "actions": [swap(a) for a in step.actions],
                                      "validation": [swap(v) for v in step.validation]})
    others = [s.model_copy(update={"actions": [_swap_value(a, decision, old_text, new_text) for a in s.actions]})
              if s.number != number else updated for s in doc.steps]
    edited = doc.model_copy(update={"steps": others, "flow": _flow_with_value(doc, decision, new),
                                    "open_questions": [_swap_value(q, decision, old_text, new_text)
                                                       for q in doc.open_questions]})
    edited = edited.model_copy(update={"flow": synced_flow(edited)})
    return rederive(doc, edited), (f"Step {number} ('{step.name}') now uses {decision.subject.replace('_', ' ')} "
                                   f"{decision.operator} {new_text} (was {old_text}).")


def _written_forms(decision: Decision, shown: str) -> list[str]:
    """How a value may be written in prose: "$1,000", "$1000", "1000 USD", "30 days", "15%"."""
    raw = str(decision.value)
    forms = [shown, shown.replace(",", ""), f"{raw} {decision.unit}".strip(), f"{raw}{decision.unit}"]
    return sorted(set(forms), key=len, reverse=True)


def _swap_value(line: str, decision: Decision, old_text: str, new_text: str) -> str:
    for form in _written_forms(decision, old_text):
        if form and re.search(rf"(?<![\d.,]){re.escape(form)}(?![\d])", line):
            return re.sub(rf"(?<![\d.,]){re.escape(form)}(?![\d])", new_text, line)
    return line


def _flow_with_value(doc: ProcessDocument, old: Decision, new: Decision) -> ProcessFlow:
    flow = doc.effective_flow()
    old_text, new_text = value_text(old), value_text(new)
    edges = []
    for edge in flow.edges:
        rules = [r.model_copy(update={"value": new.value, "unit": new.unit}) if r.subject == old.subject
                 and r.value == old.value
                 else r for r in edge.rules]
        condition = _swap_value(edge.condition, old, old_text, new_text) if edge.condition else edge.condition
        edges.append(edge.model_copy(update={"rules": rules, "condition": condition}))
    nodes = [n.model_copy(update={"label": _swap_value(n.label, old, old_text, new_text)}) if n.kind == "exclusive"
             else n for n in flow.nodes]
    return ProcessFlow(nodes=nodes, edges=edges)


def restate_step(doc: ProcessDocument, number: int, clause: Step, decision: Decision | None) -> tuple[ProcessDocument,
                                                                                                      str]:
    """Step ``number`` does what ``clause`` (a step composed from the request) says, with ``decision`` if given."""
    step = doc.steps[number - 1]
    decisions = [*step.decisions, decision] if decision is not None else list(step.decisions)
    actions = [clause.actions[0], *step.actions[1:]]
    actions += [line for d in decisions if (line := describe_decision(d)) not in actions]
    updated = step.model_copy(update={"actions": actions, "decisions": decisions,
                                      "systems": sorted(set(step.systems) | set(clause.systems))})
    return _with_step(doc, updated), f"Changed step {number} ('{step.name}'): {clause.actions[0]}."
