"""Edits to an existing document from a chat request, leaving everything else as it was."""

from __future__ import annotations

import re
from dataclasses import dataclass

from process_designer.agents.analyst.parsing import (
    expand_abbreviations,
    find_constraints,
    find_decision,
    step_name,
)
from process_designer.agents.vocabulary import classify_action, detect_roles, detect_systems
from process_designer.agents.writer.amend import amend
from process_designer.agents.writer.compose import (
    compose_step,
    default_error_handling,
    default_monitoring,
)
from process_designer.agents.writer.phrasing import describe_decision, value_text
from process_designer.domain.models import ProcessDocument, Requirement, RequirementStep, Step
from process_designer.errors import InputError

__all__ = ["EditResult", "apply_edit", "looks_like_edit"]

_STEP_REF = r"(?:step\s+(?P<{n}num>\d+)|(?:the\s+)?(?P<{n}name>[\w\s-]{{2,40}}?)(?:\s+step)?)"
_ADD = re.compile(
    r"\b(?:add|insert|include|put)\s+(?:an?\s+|another\s+|one more\s+)?(?P<what>.+?)\s+(?:step\s+)?"
    r"(?P<where>before|after|between)\s+" + _STEP_REF.format(n="ref") + r"\s*[.!]?$",
    re.IGNORECASE,
)
_ADD_END = re.compile(r"\b(?:add|append|include)\s+(?:an?\s+)?(?:final\s+|new\s+)?(?:step\s+(?:to|that)\s+)?"
                      r"(?P<what>.+?)(?:\s+step)?(?:\s+at the end)?\s*[.!]?$", re.IGNORECASE)
_RENAME = re.compile(r"\brename\s+step\s+(?P<num>\d+)\s+(?:to|as|into)\s+[\"']?(?P<name>[^\"']+?)[\"']?\s*[.!]?$",
                     re.IGNORECASE)
_REMOVE = re.compile(r"\b(?:remove|delete|drop|skip)\s+" + _STEP_REF.format(n="ref") + r"\s*[.!]?$", re.IGNORECASE)
_REMOVE_NAMED = re.compile(r"\b(?:remove|delete|drop|skip)\s+(?:the\s+)?(?P<ref>[\w\s-]{2,30}?)\s+step\b", re.I)
_MOVE = re.compile(r"\bmove\s+step\s+(?P<num>\d+)\s+(?P<where>before|after)\s+step\s+(?P<target>\d+)", re.IGNORECASE)
_NUMBER_CHANGE = re.compile(
    r"\b(?:make|set|change|raise|lower|increase|decrease|update)\s+(?:the\s+)?(?P<what>[\w\s-]{2,40}?)\s+"
    r"(?:to\s+|at\s+|=\s*)?(?P<currency>[$€£])?\s?(?P<num>\d[\d,]*(?:\.\d+)?)\s?(?P<mult>k\b)?\s*(?P<unit>[a-z ]*)",
    re.IGNORECASE,
)
_CHANGE_STEP = re.compile(r"\b(?:change|update|modify|rewrite)\s+step\s+(?P<num>\d+)\s+(?:so\s+that|so|to)\s+(?P<text>.+)$",
                          re.IGNORECASE)
_OWNER = re.compile(r"(?:\b(?:change|set|make|update)\s+(?:the\s+)?(?:process\s+)?owner\s+(?:to|as|into)|"
                    r"^(?:the\s+)?(?:process\s+)?owner\s+(?:is|should be)|\bowned by)\s+(?:the\s+)?"
                    r"(?P<owner>[\w\s&-]{2,60}?)\s*[.!]?$", re.IGNORECASE)
_TITLE = re.compile(r"\b(?:rename|call)\s+(?:the\s+)?(?:process|document|it)\s+(?:to\s+|as\s+)?[\"']?(?P<title>[^\"']+?)"
                    r"[\"']?\s*[.!]?$", re.IGNORECASE)


@dataclass(frozen=True)
class EditResult:
    document: ProcessDocument
    summary: str
    changed_steps: frozenset[int]


def looks_like_edit(text: str) -> bool:
    """Whether ``text`` asks to change an existing document."""
    return any(p.search(text) for p in (_ADD, _RENAME, _REMOVE, _MOVE, _CHANGE_STEP, _TITLE)) or bool(
        _NUMBER_CHANGE.search(text) and re.search(r"\b(?:make|set|change|raise|lower|increase|decrease|update)\b",
                                                  text, re.I)) or bool(
        re.search(r"\b(?:change|set|make)\b.*\bowner\b", text, re.I)) or bool(
        re.match(r"^\s*(?:also\s+)?(?:add|insert|include|append)\b", text, re.I))


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in re.findall(r"[a-z]{3,}", text.lower())} - {"the", "and", "step", "for", "with"}


def _find_step(doc: ProcessDocument, number: str | None, name: str | None) -> Step:
    if number:
        step = doc.step(int(number))
        if step is None:
            raise InputError(f"there is no step {number}; the document has steps 1 to {len(doc.steps)}")
        return step
    wanted = _words(name or "")
    want_kind = classify_action(name or "").name

    def score(step: Step) -> float:
        overlap = len(wanted & _words(step.name))
        return overlap + (0.5 if overlap and classify_action(step.name).name == want_kind else 0.0)

    best = max(doc.steps, key=score, default=None)
    if best is None or score(best) == 0:
        names = "; ".join(f"{s.number}. {s.name}" for s in doc.steps)
        raise InputError(f"no step matches '{name}'; the steps are: {names}. Say e.g. 'after step 2'")
    return best


def _renumber(doc: ProcessDocument, steps: list[Step], mapping: dict[int, int]) -> ProcessDocument:
    renumbered = []
    for index, step in enumerate(steps, start=1):
        deps = sorted({mapping[d] for d in step.depends_on if d in mapping and mapping[d] < index})
        if not deps and index > 1:
            deps = [index - 1]
        renumbered.append(step.model_copy(update={"number": index, "depends_on": deps}))
    return _refresh(doc.model_copy(update={"steps": renumbered}))


def _refresh(doc: ProcessDocument) -> ProcessDocument:
    """Regenerate the derived sections (error handling, monitoring) for the current steps."""
    requirement = Requirement(text="", title=doc.title, systems=doc.integrations,
                              constraints=find_constraints(" ".join(doc.monitoring)))
    handling = default_error_handling(doc.steps, doc.integrations, doc.overview.owner)
    extra = [e for e in doc.error_handling if not re.search(r"\(Step[s]? [\d, ]+\)|unavailable or returning", e)]
    monitoring = default_monitoring(doc.steps, requirement)
    custom = [m for m in doc.monitoring if not re.match(r"(?:Cycle time|Share of cases|Integration error rate|"
                                                        r"First-pass completion|SLA adherence)", m)]
    return doc.model_copy(update={"error_handling": handling + extra, "monitoring": monitoring + custom})


def _new_step(text: str, doc: ProcessDocument) -> Step:
    clause = re.sub(r"^(?:an?\s+)?(?:new\s+|extra\s+|final\s+)?step\s+(?:to|that|for|which)\s+", "", text.strip().rstrip("."),
                    flags=re.IGNORECASE)
    name = step_name(clause)
    if len(name.split()) == 1 or not re.match(r"^[A-Z][a-z]+\s", name):
        name = name[:1].upper() + name[1:]
    roles = detect_roles(clause)
    requirement = Requirement(text=clause, title=doc.title, systems=doc.integrations)
    step = RequirementStep(name=name, description=clause[:1].upper() + clause[1:], actor=roles[0] if roles else None,
                           systems=detect_systems(clause))
    return compose_step(step, 0, requirement)


def apply_edit(doc: ProcessDocument, text: str) -> EditResult:
    """Apply the change ``text`` asks for; raises :class:`InputError` when it cannot be applied."""
    text = expand_abbreviations(text.strip())
    if match := _RENAME.search(text):
        step = _find_step(doc, match.group("num"), None)
        name = match.group("name").strip()
        steps = [s.model_copy(update={"name": name}) if s.number == step.number else s for s in doc.steps]
        return EditResult(doc.model_copy(update={"steps": steps}), f"Renamed step {step.number} to '{name}'.",
                          frozenset({step.number}))
    if match := _MOVE.search(text):
        step = _find_step(doc, match.group("num"), None)
        target = _find_step(doc, match.group("target"), None)
        others = [s for s in doc.steps if s.number != step.number]
        index = others.index(target) + (1 if match.group("where").lower() == "after" else 0)
        others.insert(index, step.model_copy(update={"depends_on": []}))
        mapping = {s.number: i for i, s in enumerate(others, start=1)}
        moved = _renumber(doc, others, mapping)
        return EditResult(moved, f"Moved '{step.name}' {match.group('where')} '{target.name}'.",
                          frozenset(range(1, len(moved.steps) + 1)))
    if match := _REMOVE.search(text):
        step = _find_step(doc, match.group("refnum"), match.group("refname"))
        if len(doc.steps) <= 2:
            raise InputError("a process needs at least two steps; add one before removing another")
        others = [s for s in doc.steps if s.number != step.number]
        mapping = {s.number: i for i, s in enumerate(others, start=1)}
        trimmed = _renumber(doc, others, mapping)
        return EditResult(trimmed, f"Removed step {step.number} ('{step.name}').",
                          frozenset(range(1, len(trimmed.steps) + 1)))
    if match := _CHANGE_STEP.search(text):
        step = _find_step(doc, match.group("num"), None)
        changed = _new_step(match.group("text"), doc)
        condition = re.match(r"^(?P<cond>(?:if|when)\b.+?),\s*(?P<rest>.+)$", match.group("text"), re.I)
        decisions = list(step.decisions)
        if condition:
            decision = find_decision(condition.group("cond"), condition.group("rest"))
            if decision:
                decisions.append(decision)
        actions = [changed.actions[0], *step.actions[1:]]
        actions += [describe_decision(d) for d in decisions if describe_decision(d) not in actions]
        updated = step.model_copy(update={"actions": actions, "decisions": decisions,
                                          "systems": sorted(set(step.systems) | set(changed.systems))})
        steps = [updated if s.number == step.number else s for s in doc.steps]
        return EditResult(_refresh(doc.model_copy(update={"steps": steps})),
                          f"Changed step {step.number} ('{step.name}').", frozenset({step.number}))
    if match := _TITLE.search(text):
        title = match.group("title").strip()
        return EditResult(doc.model_copy(update={"title": title}), f"Renamed the process to '{title}'.", frozenset())
    if (match := _OWNER.search(text)):
        owner = match.group("owner").strip()
        overview = doc.overview.model_copy(update={"owner": owner})
        return EditResult(_refresh(doc.model_copy(update={"overview": overview})),
                          f"The owner is now {owner}.", frozenset())
    if (match := _ADD.search(text)) and not re.match(r"^(?:that|it|this|them)$", match.group("what").strip(), re.I):
        anchor = _find_step(doc, match.group("refnum"), match.group("refname"))
        new = _new_step(match.group("what"), doc)
        steps = list(doc.steps)
        index = steps.index(anchor) + (0 if match.group("where").lower() == "before" else 1)
        steps.insert(index, new)
        mapping = {s.number: (i if s is not new else 0) for i, s in enumerate(steps, start=1)}
        ordered = [s.model_copy(update={"depends_on": [] if s is new else s.depends_on}) for s in steps]
        result = _renumber(doc, ordered, mapping)
        placed = index + 1
        return EditResult(result, f"Added step {placed} ('{new.name}') {match.group('where')} '{anchor.name}'.",
                          frozenset(range(placed, len(result.steps) + 1)))
    if match := _NUMBER_CHANGE.search(text):
        return _change_number(doc, match)
    if (match := _ADD_END.search(text)) and not re.search(r"\b(?:before|after)\b", text, re.I):
        new = _new_step(match.group("what"), doc)
        steps = [*doc.steps, new]
        mapping = {s.number: i for i, s in enumerate(doc.steps, start=1)}
        result = _renumber(doc, steps, mapping)
        return EditResult(result, f"Added step {len(steps)} ('{new.name}') at the end.", frozenset({len(steps)}))
    if match := _REMOVE_NAMED.search(text):
        return apply_edit(doc, f"remove {match.group('ref')} step")
    amended, summary, touched = amend(doc, text, compose=_new_step, renumber=_renumber, refresh=_refresh)
    return EditResult(amended, summary, touched)


def _change_number(doc: ProcessDocument, match: re.Match[str]) -> EditResult:
    raw = float(match.group("num").replace(",", "")) * (1000 if match.group("mult") else 1)
    value: int | float = int(raw) if raw.is_integer() else raw
    what = match.group("what").lower()
    unit = (match.group("unit") or "").strip().lower()
    money = bool(match.group("currency")) or re.search(r"amount|threshold|limit|approval|value|spend", what)
    timed = re.search(r"sla|deadline|window|days?|hours?", f"{what} {unit}")
    candidates = []
    for step in doc.steps:
        for index, decision in enumerate(step.decisions):
            is_money = (decision.unit or "").upper() in ("USD", "EUR", "GBP") or "amount" in decision.subject
            is_time = any(u in (decision.unit or "") for u in ("day", "hour", "week", "month"))
            related = bool(_words(what) & _words(decision.subject.replace("_", " ") + " " + decision.text))
            if (money and is_money) or (timed and is_time) or related:
                candidates.append((related, step, index, decision))
    if not candidates:
        return _change_sla(doc, value, f"{what} {unit}")
    candidates.sort(key=lambda c: not c[0])
    _, step, index, decision = candidates[0]
    old_text = value_text(decision)
    new_decision = decision.model_copy(update={"value": value,
                                               "text": decision.text.replace(str(decision.value), str(value))})
    new_text = value_text(new_decision)
    old_line = describe_decision(decision)

    def swap(line: str) -> str:
        return describe_decision(new_decision) if line == old_line else line.replace(old_text, new_text)

    decisions = list(step.decisions)
    decisions[index] = new_decision
    updated = step.model_copy(update={"decisions": decisions, "actions": [swap(a) for a in step.actions],
                                      "validation": [swap(v) for v in step.validation]})
    steps = [updated if s.number == step.number else s for s in doc.steps]
    new_doc = doc.model_copy(update={
        "steps": steps,
        "prerequisites": [p.replace(old_text, new_text) for p in doc.prerequisites],
    })
    return EditResult(_refresh(new_doc), f"Step {step.number} ('{step.name}') now uses {decision.subject} "
                      f"{decision.operator} {new_text} (was {old_text}).", frozenset({step.number}))


def _change_sla(doc: ProcessDocument, value: int | float, phrase: str) -> EditResult:
    unit_match = re.search(r"(business days?|days?|hours?|minutes?|weeks?)", phrase)
    if not unit_match:
        raise InputError(f"I found no threshold or SLA matching '{phrase.strip()}' to change; name the value "
                         "with its unit, e.g. 'make the SLA 48 hours' or 'make the approval threshold $1000'")
    unit = unit_match.group(1)
    pattern = re.compile(r"\b\d+(?:\.\d+)?\s*(?:business days?|days?|hours?|minutes?|weeks?)\b")
    new_phrase = f"{value} {unit}"
    monitoring = [m for m in doc.monitoring if not m.startswith("SLA adherence")]
    monitoring.insert(1, f"SLA adherence: at least 95% of cases completed within {new_phrase}")
    related = [m for m in doc.monitoring if m.startswith("SLA adherence")]
    summary = f"The SLA is now {new_phrase}" + (f" (was: {pattern.findall(related[0])[0]})." if related and
                                                   pattern.findall(related[0]) else ".")
    return EditResult(doc.model_copy(update={"monitoring": monitoring}), summary, frozenset())
