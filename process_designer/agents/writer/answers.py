"""Answers to questions about the current document, grounded in its own text.

The question is read with the shared English pipeline: "who" asks for performers, "how long" for
durations, "which systems" for integrations, "where … go" for the branches of the process graph,
"what happens when/if" for decisions and error handling. Answers never change the document.
"""

from __future__ import annotations

import re

from process_designer.agents.vocabulary import classify_action, detect_systems, system_label
from process_designer.agents.writer.phrasing import describe_decision
from process_designer.domain.durations import format_minutes, parse_duration
from process_designer.domain.flow import ProcessFlow
from process_designer.domain.models import ProcessDocument, Step
from process_designer.language.messages import Reading, read_message

__all__ = ["answer_question"]

_STOP = {"what", "happens", "happen", "does", "the", "and", "when", "which", "who", "how", "long", "step", "this",
         "that", "process", "there", "with", "for", "are", "is", "if", "do", "we", "our", "about", "any", "from",
         "will", "responsible", "take", "takes", "system", "systems", "use", "used", "where", "go", "goes", "branch",
         "steps", "run", "runs", "parallel", "flow"}


def _keys(text: str) -> set[str]:
    """Word keys that meet across word forms: "approves" and "approval" share "appro"."""
    return {w[:5] if len(w) > 5 else w.rstrip("s") for w in re.findall(r"[a-z]{3,}", text.lower())
            if w not in _STOP}


def _steps_asked(document: ProcessDocument, reading: Reading) -> list[Step]:
    numbers = [len(document.steps) if n == -1 else n for n in reading.steps]
    named = [s for s in (document.step(n) for n in numbers) if s is not None]
    if named or reading.steps:
        return named
    asked = _keys(reading.text)
    if not asked:
        return []
    kind = classify_action(reading.text).name

    def score(step: Step) -> float:
        overlap = len(asked & _keys(step.name))
        return overlap + 0.25 * len(asked & _keys(step.objective)) + (
            0.5 if overlap and classify_action(step.name).name == kind else 0.0)

    scored = [(score(s), s) for s in document.steps]
    best = max((score for score, _ in scored), default=0)
    if best < 1:  # only the objectives share a word: the question names no step
        return []
    return [s for score, s in scored if best and score == best]


def _who(document: ProcessDocument, reading: Reading) -> list[str]:
    if reading.has("process") and reading.has("own", "owner", "owns") and not reading.steps:
        return [f"The process is owned by {document.overview.owner}."]
    steps = _steps_asked(document, reading)
    if not steps:
        return [f"The process is owned by {document.overview.owner}.",
                *(f"Step {s.number} ({s.name}) is done by the {s.responsible}." for s in document.steps)]
    return [f"Step {s.number} ({s.name}) is done by the {s.responsible}." for s in steps]


def _how_long(document: ProcessDocument, reading: Reading) -> list[str]:
    steps = _steps_asked(document, reading) if reading.steps or not reading.has("process", "whole", "total",
                                                                                 "end") else []
    if steps:
        return [f"Step {s.number} ({s.name}) takes {s.duration}." for s in steps]
    eff = document.quality.efficiency
    total = sum(parse_duration(s.duration) or 0 for s in document.steps)
    lines = [f"The steps add up to {format_minutes(total)} of work; per step: "
             + "; ".join(f"{s.number}. {s.name}: {s.duration}" for s in document.steps) + "."]
    if eff.critical_path:
        lines.append(f"The critical path takes {format_minutes(eff.critical_path_minutes)} through steps "
                     f"{', '.join(map(str, eff.critical_path))}.")
    return lines


def _systems(document: ProcessDocument, reading: Reading) -> list[str]:
    steps = _steps_asked(document, reading) if reading.steps else []
    if steps:
        return [f"Step {s.number} ({s.name}) uses "
                + (", ".join(system_label(x) for x in s.systems) or "no system") + "." for s in steps]
    if not document.integrations:
        return ["The process uses no systems."]
    lines = [f"The process uses {', '.join(system_label(s) for s in document.integrations)}."]
    lines += [f"Step {s.number} ({s.name}): {', '.join(system_label(x) for x in s.systems)}."
              for s in document.steps if s.systems]
    return lines


def _target(flow: ProcessFlow, document: ProcessDocument, node_id: str) -> str:
    steps = flow.first_steps(node_id) if flow.node(node_id).kind != "task" else [flow.node(node_id).step or 0]
    if not steps:
        return "the end"
    return " and ".join(f"step {n} ({s.name})" for n in steps if (s := document.step(n)) is not None)


def _gateway(flow: ProcessFlow, document: ProcessDocument, gateway_id: str) -> str:
    gateway = flow.node(gateway_id)
    out = flow.outgoing(gateway_id)
    if gateway.kind == "parallel":
        return "In parallel: " + " and ".join(_target(flow, document, e.target) for e in out) + "."
    ways = [f"{'otherwise' if e.default else 'if ' + (e.condition or 'chosen')} → {_target(flow, document, e.target)}"
            for e in out]
    return f"Decision '{gateway.label}': " + "; ".join(ways) + "."


def _after(flow: ProcessFlow, document: ProcessDocument, number: int) -> str:
    task = flow.task(number)
    step = document.step(number)
    if task is None or step is None:
        return f"There is no step {number}."
    out = flow.outgoing(task.id)
    target = flow.node(out[0].target) if out else None
    if target is not None and target.kind in ("exclusive", "parallel") and len(flow.outgoing(target.id)) > 1:
        return f"After step {number} ({step.name}): " + _gateway(flow, document, target.id)
    return f"After step {number} ({step.name}) the flow goes to {_next(flow, document, task.id)}."


def _next(flow: ProcessFlow, document: ProcessDocument, node_id: str) -> str:
    following = [e.target for e in flow.outgoing(node_id)]
    return " and ".join(_target(flow, document, t) for t in following) or "the end"


def _branches(document: ProcessDocument, reading: Reading) -> list[str]:
    flow = document.effective_flow()
    if reading.steps:
        return [_after(flow, document, len(document.steps) if n == -1 else n) for n in reading.steps]
    asked = _keys(reading.text) - {"parallel", "run", "flow"}
    lines = []
    for gateway in flow.gateways:
        out = flow.outgoing(gateway.id)
        if len(out) < 2 or (reading.has("parallel") and gateway.kind != "parallel"):
            continue
        before = [e.source for e in flow.incoming(gateway.id)]
        names = " ".join(flow.node(b).label for b in before if flow.has(b))
        if asked and not asked & _keys(f"{gateway.label} {names} {' '.join(e.condition or '' for e in out)}"):
            continue
        lines.append(_gateway(flow, document, gateway.id))
    if not lines:
        for step in document.steps:
            lines += [f"Step {step.number} ({step.name}): {describe_decision(d)}." for d in step.decisions
                      if not asked or asked & _keys(f"{d.subject} {d.text} {step.name}")]
    return lines


def _happens(document: ProcessDocument, reading: Reading) -> list[str]:
    asked = _keys(reading.text)
    systems = detect_systems(reading.text)
    lines: list[str] = []
    for step in document.steps:
        for decision in step.decisions:
            subject = decision.subject.replace("_", " ")
            if asked & _keys(f"{subject} {decision.text}") or any(
                    q.kind == "money" and decision.unit in ("USD", "EUR", "GBP") for q in reading.quantities):
                lines.append(f"Step {step.number} ({step.name}): {describe_decision(decision)}.")
    scored: list[tuple[int, str]] = []
    for line in document.error_handling:
        score = len(asked & _keys(line)) + sum(3 for s in systems if system_label(s).lower() in line.lower())
        if reading.has("down", "fail", "fails", "error", "unavailable", "outage", "broken"):
            score += 1 if "unavailable" in line or "fail" in line else 0
        scored.append((score, f"Error handling: {line}."))
    for step in document.steps:
        text = " ".join([step.name, step.objective, *step.actions, *step.validation])
        score = len(asked & _keys(text)) + sum(2 for s in systems if s in step.systems)
        scored.append((score, f"Step {step.number} ({step.name}): " + "; ".join(step.actions[:3]) + "."))
    for line in document.monitoring:
        scored.append((len(asked & _keys(line)), f"Monitoring: {line}."))
    lines += [text for _, text in sorted((i for i in scored if i[0] >= 2), key=lambda i: -i[0])[:4]]
    return lines


def _what_step(document: ProcessDocument, reading: Reading) -> list[str]:
    return [f"Step {s.number} ({s.name}), by the {s.responsible}, {s.duration}: {s.objective}. Actions: "
            + "; ".join(s.actions) + "." for s in _steps_asked(document, reading)]


def answer_question(document: ProcessDocument, question: str) -> str:
    """Quote the parts of ``document`` that answer ``question``; say so when nothing does."""
    reading = read_message(question)
    first = reading.words[0] if reading.words else ""
    lines: list[str]
    if first == "who" or reading.has("responsible", "performer", "owner", "owns"):
        lines = _who(document, reading)
    elif reading.has("long", "duration") or (reading.verb == "take" and first in ("how", "what")):
        lines = _how_long(document, reading)
    elif reading.has("system", "systems", "tool", "tools", "integration", "integrations") and first in (
            "which", "what", "does", "do"):
        lines = _systems(document, reading)
    elif first == "where" or reading.has("branch", "branches", "gateway", "route", "parallel"):
        lines = _branches(document, reading)
    elif reading.steps and first == "what" and not reading.has("happen", "happens"):
        lines = _what_step(document, reading)
    else:
        lines = _happens(document, reading)
    if not lines:
        return ("The document does not cover that yet. You can ask me to add it, e.g. 'add error handling "
                "for …' or 'add a step to … after step 2'.")
    return "From the current document:\n" + "\n".join(f"- {line}" for line in dict.fromkeys(lines))
