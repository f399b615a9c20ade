"""Edits to an existing document from a chat request, leaving everything else as it was.

The request is read with the shared English pipeline (``language.messages``): its command verb,
the steps it names, its quantities and its prepositional phrases decide the edit. A request that
maps to no edit is answered with what the designer can change — never with a step made of its words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from process_designer.agents.analyst.parsing import expand_abbreviations, find_decision, step_name
from process_designer.agents.vocabulary import (
    classify_action,
    detect_roles,
    detect_systems,
    system_label,
)
from process_designer.agents.writer import edit_fields as fields
from process_designer.agents.writer import edit_graph as graph
from process_designer.agents.writer.compose import compose_step
from process_designer.agents.writer.phrasing import value_text
from process_designer.domain.models import (
    Decision,
    ProcessDocument,
    Requirement,
    RequirementStep,
    Step,
)
from process_designer.errors import InputError
from process_designer.language.messages import Quantity, Reading, chat_words, read_message

__all__ = ["EditResult", "apply_edit", "cannot_map", "looks_like_edit"]


@dataclass(frozen=True)
class EditResult:
    document: ProcessDocument
    summary: str
    changed_steps: frozenset[int]


def cannot_map(text: str) -> str:
    """The question sent back for a message that names no edit or question the designer knows."""
    return (f"I could not tell what to change from '{text.strip()[:80]}'. I can {chat_words()['capabilities']}. "
            "What would you like to do?")


def looks_like_edit(text: str) -> bool:
    """Whether ``text`` opens with an edit command (``add``, ``rename``, ``assign``, ``make`` …)."""
    reading = read_message(text)
    return reading.command not in ("", "list", "undo", "revert", "compare") and not reading.question


_ARTICLES = ("the", "a", "an", "our", "this", "that", "its", "their")
_STEP_LEAD = re.compile(r"^(?:(?:a|an|the|one|another|new|extra|final|additional|separate|parallel|more)\s+)*"
                        r"(?:(?:step|task|stage|activity)\b\s*(?:to|that|for|which|where|called|named|:)?\s*)?",
                        re.IGNORECASE)


def _clean(phrase: str) -> str:
    words = phrase.strip(" ,.;:!?\"'").split()
    while words and words[0].lower() in _ARTICLES:
        words = words[1:]
    return " ".join(words).strip(" ,.;:!?\"'")


def _role(phrase: str) -> str:
    words = [w for w in _clean(re.sub(r"\b(?:step|steps)\s+\d+\b", "", phrase, flags=re.I)).split()
             if w.lower() not in ("responsible", "accountable", "owner", "performer", "instead", "now", "process")]
    while words and words[-1].lower() in _ARTICLES:
        words = words[:-1]
    return " ".join(w if w.isupper() else w[:1].upper() + w[1:] for w in words)


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in re.findall(r"[a-z]{3,}", text.lower())} - {
        "the", "and", "step", "for", "with", "that", "this", "make", "change", "set", "threshold", "limit", "value"}


def _number(doc: ProcessDocument, number: int) -> int:
    if number == -1:
        return len(doc.steps)
    if doc.step(number) is None:
        raise InputError(f"there is no step {number}; the process has steps 1 to {len(doc.steps)}")
    return number


def _named(doc: ProcessDocument, phrase: str) -> int | None:
    """The step whose name shares most words with ``phrase`` (the action kind breaks ties)."""
    wanted = _words(phrase)
    if not wanted:
        return None
    kind = classify_action(phrase).name

    def score(step: Step) -> float:
        overlap = len(wanted & _words(f"{step.name} {step.responsible}"))
        return overlap + (0.5 if overlap and classify_action(step.name).name == kind else 0.0)

    best = max(doc.steps, key=score)
    return best.number if score(best) > 0 else None


def _must_name(doc: ProcessDocument, phrase: str) -> int:
    number = _named(doc, phrase)
    if number is None:
        names = "; ".join(f"{s.number}. {s.name}" for s in doc.steps)
        raise InputError(f"no step matches '{_clean(phrase)}'; the steps are: {names}. Name one by number, "
                         "e.g. 'step 2'")
    return number


def _step_between(doc: ProcessDocument, r: Reading, start: int, end: int) -> int | None:
    """The step named by tokens ``start``..``end``: a "step N" there, else the best name match."""
    for number, first, _last in r.references:
        if start <= first < end:
            return _number(doc, number)
    return _named(doc, r.span(start, end)) if end > start else None


def _new_step(text: str, doc: ProcessDocument) -> Step:
    clause = re.sub(r"\s+(?:step|task)$", "", _STEP_LEAD.sub("", text.strip().rstrip(".")).strip(), flags=re.I)
    if not clause:
        raise InputError("say what the new step does, e.g. 'add a step to check for fraud after step 3'")
    name = step_name(clause)
    name = name[:1].upper() + name[1:]
    roles = detect_roles(clause)
    requirement = Requirement(text=clause, title=doc.title, systems=doc.integrations)
    step = RequirementStep(name=name, description=clause[:1].upper() + clause[1:], actor=roles[0] if roles else None,
                           systems=detect_systems(clause))
    return compose_step(step, 0, requirement)


def _all(document: ProcessDocument) -> frozenset[int]:
    return frozenset(range(1, len(document.steps) + 1))


def _positions(kind: str) -> tuple[str, ...]:
    return tuple(chat_words()["positions"][kind])


# ------------------------------------------------------------------------------------------- handlers
Handler = Callable[[ProcessDocument, Reading], EditResult | None]


def _rename(doc: ProcessDocument, r: Reading) -> EditResult | None:
    called = r.position_of("called", "named")
    named = r.command == "rename" or (r.command == "set" and r.has_field("name")) or (
        not r.command and called > 0 and bool(r.steps))
    if not named:
        return None
    to = max((i for i, w in enumerate(r.words) if w in ("to", "as", "into") and i > r.verb_index), default=-1)
    if not r.command:  # "step 6 should be called Notify customer"
        to = called
    if to < 0 and r.steps:  # "call step 7 Resolve ticket"
        to = next((last for number, _first, last in r.references if number == r.steps[0]), -1)
    if to < 0:
        raise InputError("say the new name, e.g. 'rename step 2 to Verify order'")
    new = _clean(r.span(to + 1))
    if not new:
        raise InputError("the new name is empty; say e.g. 'rename step 2 to Verify order'")
    if r.has_field("process") and not r.steps:
        document, summary = fields.rename_process(doc, new)
        return EditResult(document, summary, frozenset())
    number = _step_between(doc, r, r.verb_index + 1 if r.command else 0, to)
    if number is None:
        raise InputError("say which step to rename, e.g. 'rename step 2 to Verify order'")
    document, summary = fields.rename_step(doc, number, new)
    return EditResult(document, summary, frozenset({number}))


def _statement_verbs(kind: str) -> tuple[str, ...]:
    return tuple(chat_words()["statement_verbs"][kind])


def _owner(doc: ProcessDocument, r: Reading) -> EditResult | None:
    role, number = "", None
    by = r.position_of("by")
    if r.command == "assign":
        to = r.position_of("to", after=r.verb_index)
        if to < 0:
            return None
        number = _step_between(doc, r, to + 1, len(r.words))
        if (number is not None and r.step_at(to + 1) is not None) or (number and not _role(r.span(to + 1))):
            role = r.span(r.verb_index + 1, to)
        else:
            number = _step_between(doc, r, r.verb_index + 1, to)
            role = r.span(to + 1)
    elif r.command == "set" and r.has_field("owner"):
        field = next(i for i, w in enumerate(r.words) if w in chat_words()["fields"]["owner"])
        to = r.position_of("to", "by", after=field)
        role = r.span(to + 1) if to > 0 else r.span(r.verb_index + 1, field)
        number = _number(doc, r.steps[0]) if r.steps else (
            _step_between(doc, r, field, to if to > 0 else len(r.words)) if r.position_of("for", "of") > 0 else None)
        if number is None and not r.steps and r.has("process", "owner") and not r.has("responsible"):
            document, summary = fields.change_process_owner(doc, _role(role))
            return EditResult(document, summary, frozenset())
    elif not r.command and by > 0 and r.steps and r.lemmas[r.verb_index] in (*_statement_verbs("assign"), "be"):
        role, number = r.span(by + 1), _number(doc, r.steps[0])
    elif not r.command and r.steps and (doing := _owner_verb(r)) > 0:
        lead = set(chat_words()["lead_words"]) - {"to"}
        start = next((i for i in range(doing) if r.words[i] not in lead), doing)
        subject_end = next((i for i in range(start, doing) if r.tags[i] in ("MD", "TO") or r.lemmas[i] in ("will", "be")),
                           doing)
        role, number = r.span(start, subject_end), _number(doc, r.steps[0])
    elif not r.command and r.has("process") and r.has("own", "owned", "owner") and not r.steps:
        phrase = r.span(by + 1) if by > 0 else r.span(0, r.verb_index)
        document, summary = fields.change_process_owner(doc, _role(phrase))
        return EditResult(document, summary, frozenset())
    else:
        return None
    role = _role(role)
    if not role:
        raise InputError("say who should do it, e.g. 'assign step 4 to the Team Lead'")
    if number is None:
        raise InputError(f"say which step the {role} should do, e.g. 'assign step 4 to the {role}'")
    document, summary = fields.change_owner(doc, number, role)
    return EditResult(document, summary, frozenset({number}))


def _owner_verb(r: Reading) -> int:
    """Where "do"/"handle"/"perform" … stands before the first step reference ("the Team Lead should do step 3")."""
    first = min(r.step_positions, default=len(r.words))
    verbs = _statement_verbs("assign")
    return next((i for i in range(first) if r.lemmas[i] in verbs or r.words[i] in verbs), -1)


def _first(r: Reading, *kinds: str) -> Quantity | None:
    return next((q for q in r.quantities if q.kind in kinds), None)


def _duration(doc: ProcessDocument, r: Reading) -> EditResult | None:
    quantity = _first(r, "duration")
    if quantity is None or r.condition:
        return None
    timed = r.verb in _statement_verbs("duration") or r.has("duration", "long", *_statement_verbs("duration"))
    if r.steps and (timed or r.command == "set"):
        number = _number(doc, r.steps[0])
    elif timed:
        end = r.verb_index if not r.command else (r.position_of(*_statement_verbs("duration"), "to",
                                                                 after=r.verb_index))
        start = 0 if not r.command else r.verb_index + 1
        number = _must_name(doc, r.span(start, end if end > start else len(r.words)))
    else:
        return None
    document, summary = fields.change_duration(doc, number, quantity)
    return EditResult(document, summary, frozenset({number}))


def _threshold(doc: ProcessDocument, r: Reading) -> EditResult | None:
    quantity = _first(r, "money", "percent", "date") or _first(r, "duration", "number")
    stated = not r.command and r.verb == "be" and (r.has_field("threshold") or r.has("approval"))
    if quantity is None or not (r.command == "set" or stated) or r.condition:
        return None
    asked = _words(r.span(r.verb_index + 1 if r.command else 0, quantity.start))

    def related(decision: Decision, step: Step) -> float:
        return float(len(asked & _words(f"{decision.subject.replace('_', ' ')} {decision.text} {step.name}")))

    candidates = fields.threshold_candidates(doc, quantity, related)
    if r.steps:
        candidates = [c for c in candidates if c[1].number == _number(doc, r.steps[0])]
    if not candidates:
        rules = "; ".join(f"step {s.number}: {d.subject.replace('_', ' ')} {d.operator} {value_text(d)}"
                          for s in doc.steps for d in s.decisions) or "none"
        raise InputError(f"I found no threshold matching '{r.span(r.verb_index + 1, quantity.start) or 'it'}' that "
                         f"takes {quantity.text}; the decisions are: {rules}")
    _, step, index = candidates[0]
    document, summary = fields.change_threshold(doc, step.number, index, quantity)
    return EditResult(document, summary, frozenset({step.number}))


def _names_only_systems(r: Reading) -> bool:
    """Whether the object of "add X to/in step N" is a system ("add Slack to step 4"), not new work."""
    prep = r.position_of("to", "in", "for", "on", after=r.verb_index)
    if prep < 0 or (r.step_at(prep + 1) is None and r.step_at(prep + 2) is None):
        return False
    thing = _clean(r.span(r.verb_index + 1, prep))
    return bool(detect_systems(thing)) and len(thing.split()) <= 3 and not any(
        w in chat_words()["step_words"] for w in thing.lower().split())


def _systems(doc: ProcessDocument, r: Reading) -> EditResult | None:
    named = detect_systems(r.text)
    if not named or r.condition or r.command in ("merge", "split", "move", "rename"):
        return None
    negated = r.has("not", "n't", "longer", "without")
    remove_from = r.command == "remove" and r.position_of("from") > 0
    adding = (r.command == "add" and _names_only_systems(r)) or r.verb == "use" or (
        r.command == "set" and r.has("use", "uses"))
    if not (remove_from or adding or (negated and r.verb == "use")):
        return None
    number = _number(doc, r.steps[0]) if r.steps else _step_between(doc, r, r.position_of("from", "in", "to", "on") + 1,
                                                                    len(r.words))
    if number is None:
        raise InputError(f"say which step uses the {system_label(named[0])}, e.g. 'step 5 uses "
                         f"{system_label(named[0])}'")
    replaced = r.position_of("instead", "replace")
    add: list[str]
    remove: list[str]
    if remove_from or negated:
        add, remove = [], named
    elif replaced >= 0 and len(named) > 1:
        later = detect_systems(r.span(replaced))
        add, remove = ([s for s in named if s not in later], later) if r.words[replaced] == "instead" else (
            [s for s in named if s in later], [s for s in named if s not in later])
    else:
        add, remove = named, []
    document, summary = fields.change_systems(doc, number, add, remove)
    return EditResult(document, summary, frozenset({number}))


def _anchor(doc: ProcessDocument, r: Reading, start: int = 0) -> tuple[str, int | None, int]:
    """Where a new or moved step goes: ("after" | "before" | "start" | "end", the step, the token it starts at)."""
    for index in range(start, len(r.words)):
        word = r.words[index]
        if word in _positions("end") and index > 0 and r.words[index - 1] in ("the", "at", "to"):
            return "end", None, index - 1
        if word in _positions("start") and index > 0 and r.words[index - 1] in ("the", "at", "to"):
            return "start", None, index - 1
        for where in ("after", "before", "between"):
            if word in _positions(where):
                rest = r.words[index + 1:]
                cut = index + 1 + next((i for i, w in enumerate(rest) if w in (",", "and") and
                                        where != "between"), len(rest))
                number = _step_between(doc, r, index + 1, cut)
                if number is None:
                    raise InputError(f"no step matches '{_clean(r.span(index + 1, cut))}'; the steps are: "
                                     + "; ".join(f"{s.number}. {s.name}" for s in doc.steps))
                return ("after" if where == "between" else where), number, index
    return "end", None, len(r.words)


def _add(doc: ProcessDocument, r: Reading) -> EditResult | None:
    if r.command != "add" or r.condition:
        return None
    where, anchor, cut = _anchor(doc, r, r.verb_index + 1)
    what = r.span(r.verb_index + 1, cut)
    if not _STEP_LEAD.sub("", what).strip() and anchor is not None:  # "add a step after step 2 to check …"
        ends = [last for number, first, last in r.references if first > cut]
        what = re.sub(r"^(?:to|that|which|for)\s+", "", r.span((ends[0] if ends else cut + 1) + 1))
    if _clean(what).lower() in ("it", "that", "this", "them", "one", ""):
        raise InputError("say what the new step does, e.g. 'add a fraud check before step 5'")
    step = _new_step(what, doc)
    shaped = graph.add_step(doc, step, where, anchor)
    placed = shaped.number(graph._NEW)
    said = f"{where} step {anchor} ('{doc.steps[anchor - 1].name}')" if anchor else f"at the {where}"
    return EditResult(shaped.document, f"Added step {placed} ('{step.name}') {said}.", _all(shaped.document))


def _parallel(doc: ProcessDocument, r: Reading) -> EditResult | None:
    marker = r.position_of(*_positions("parallel"))
    same_time = r.position_of("same")
    if marker < 0 and not (same_time > 0 and r.has("time")):
        return None
    marker = marker if marker >= 0 else same_time
    start = r.verb_index + 1 if r.command == "add" else 0
    stops = [i for i in range(start, len(r.words)) if r.words[i] in ("after", "with", "alongside", "simultaneously",
                                                                      "concurrently", "meanwhile")
             or (r.words[i] in ("in", "at") and i + 1 < len(r.words) and r.words[i + 1] in ("parallel", "the"))]
    what = re.sub(r"\bparallel\b", "", r.span(start, stops[0] if stops else len(r.words))).strip()
    step = _new_step(what, doc)
    after = r.position_of("after", after=start)
    if after >= 0 and (number := _step_between(doc, r, after + 1, len(r.words))) is not None:
        following = doc.effective_flow().first_steps(f"step_{number}")
        if not following:
            raise InputError(f"nothing follows step {number} to run alongside; add the new step after it instead")
        alongside = following[0]
    else:
        found = _step_between(doc, r, marker + 1, len(r.words))
        if found is None:
            raise InputError("say which step it runs alongside, e.g. 'add a parallel step to notify finance "
                             "after step 4' or '… in parallel with step 5'")
        alongside = found
    shaped = graph.add_parallel(doc, alongside, step)
    return EditResult(shaped.document, f"Added step {shaped.number(graph._NEW)} ('{step.name}') in parallel with "
                      f"step {shaped.number(alongside)} ('{doc.steps[alongside - 1].name}').", _all(shaped.document))


_BACK = ("back", "return", "repeat", "loop")


def _branch(doc: ProcessDocument, r: Reading) -> EditResult | None:
    looping = r.has(*_BACK) and len(r.steps) >= 1
    if not r.condition and not (looping and len(r.steps) >= 2):
        return None
    outcome_start = r.condition_end + 1 if r.condition else 0
    after = r.position_of("after")
    source = _step_between(doc, r, after + 1, len(r.words)) if after >= 0 else None
    if looping:
        back = r.position_of(*_BACK)
        target = _step_between(doc, r, back + 1, len(r.words))
        if source is None and r.condition:
            source = _named(doc, r.condition) or (_number(doc, r.steps[0]) if len(r.steps) > 1 else None)
        if source is None or target is None:
            raise InputError("say from which step and back to which, e.g. 'if the check fails, go back to step 2 "
                             "after step 4'")
        decision = _decision(r, f"go back to step {target}") if r.condition else None
        shaped = graph.add_loop(doc, source, target, decision)
        when = f" when {r.condition.removeprefix('if ')}" if r.condition else ""
        return EditResult(shaped.document, f"After step {shaped.number(source)} the flow now goes back to step "
                          f"{shaped.number(target)}{when}.", _all(shaped.document))
    cut = after if after > outcome_start else len(r.words)
    what = r.span(outcome_start, cut)
    what = re.sub(r"^(?:then\s+)?(?:(?:please|also)\s+)?(?:add|insert|include)\s+", "", what, flags=re.I)
    if source is None:
        source = _decision_step(doc, r.condition)
    if source is None:
        raise InputError("say after which step the decision comes, e.g. 'if the amount is over $5000, add a CFO "
                         "approval after step 4'")
    step = _new_step(what, doc)
    decision = _decision(r, f"continue with '{step.name}'")
    shaped = graph.add_branch(doc, source, decision, step)
    return EditResult(shaped.document, f"Added a decision after step {shaped.number(source)}: {r.condition.strip()}"
                      f" → step {shaped.number(graph._NEW)} ('{step.name}'), otherwise the flow goes on.",
                      _all(shaped.document))


def _decision(r: Reading, outcome: str) -> Decision:
    found = find_decision(r.condition, outcome)
    if found is None:
        raise InputError(f"I could not read a condition in '{r.condition}'; say e.g. 'if the amount is over $5000'")
    return found.model_copy(update={"if_true": outcome, "if_false": "continue"})


def _decision_step(doc: ProcessDocument, condition: str) -> int | None:
    decision = find_decision(condition, "")
    if decision is not None:
        for step in doc.steps:
            if any(d.subject == decision.subject for d in step.decisions):
                return step.number
    return _named(doc, condition)


def _remove(doc: ProcessDocument, r: Reading) -> EditResult | None:
    if r.command != "remove":
        return None
    numbers = [_number(doc, n) for n in r.steps] or [_must_name(doc, r.span(r.verb_index + 1))]
    if len(numbers) > 1:
        raise InputError("remove one step at a time, e.g. 'remove step 4'")
    removed = doc.steps[numbers[0] - 1]
    shaped = graph.remove_step(doc, numbers[0])
    return EditResult(shaped.document, f"Removed step {removed.number} ('{removed.name}').", _all(shaped.document))


def _move(doc: ProcessDocument, r: Reading) -> EditResult | None:
    if r.command != "move":
        return None
    where, anchor, cut = _anchor(doc, r, r.verb_index + 1)
    moved = _step_between(doc, r, r.verb_index + 1, cut)
    if moved is None:
        raise InputError("say which step to move and where, e.g. 'move step 5 after step 2'")
    if anchor is None:
        flow = doc.effective_flow()
        order = flow.step_order()
        anchor, where = (order[0], "before") if where == "start" else (order[-1], "after")
    shaped = graph.move_step(doc, moved, where, anchor)
    step = doc.steps[moved - 1]
    return EditResult(shaped.document, f"Moved '{step.name}' {where} '{doc.steps[anchor - 1].name}'; it is now "
                      f"step {shaped.number(moved)}.", _all(shaped.document))


def _swap(doc: ProcessDocument, r: Reading) -> EditResult | None:
    if r.command != "swap":
        return None
    numbers = sorted({_number(doc, n) for n in r.steps})
    if len(numbers) != 2 or numbers[1] != numbers[0] + 1:
        raise InputError("name two neighbouring steps to swap, e.g. 'swap steps 2 and 3'; to move a step further, "
                         "say 'move step 5 after step 2'")
    first, second = numbers
    shaped = graph.move_step(doc, first, "after", second)
    return EditResult(shaped.document, f"Swapped steps {first} ('{doc.steps[first - 1].name}') and {second} "
                      f"('{doc.steps[second - 1].name}').", _all(shaped.document))


def _merge(doc: ProcessDocument, r: Reading) -> EditResult | None:
    if r.command != "merge":
        return None
    into = r.position_of("into", "as", after=r.verb_index)
    end = into if into > 0 else len(r.words)
    numbers = [_number(doc, n) for n in r.steps]
    if len(numbers) == 1:
        raise InputError(f"name two steps to merge, e.g. 'merge steps {numbers[0]} and {numbers[0] + 1}'")
    if not numbers:
        parts = re.split(r"\s+(?:and|with|&)\s+|,\s*", r.span(r.verb_index + 1, end))
        numbers = [_must_name(doc, part) for part in parts if _clean(part)]
    numbers = sorted(dict.fromkeys(numbers))
    if len(numbers) < 2:
        raise InputError("name two steps to merge, e.g. 'merge steps 6 and 7'")
    name = _clean(r.span(into + 1)) if into > 0 else None
    names = [doc.steps[n - 1].name for n in numbers]
    shaped = graph.merge_steps(doc, numbers, name[:1].upper() + name[1:] if name else None)
    merged = shaped.document.steps[shaped.number(numbers[0]) - 1]
    return EditResult(shaped.document, f"Merged steps {', '.join(map(str, numbers))} ({'; '.join(names)}) into "
                      f"step {merged.number} ('{merged.name}').", _all(shaped.document))


def _split(doc: ProcessDocument, r: Reading) -> EditResult | None:
    if r.command != "split":
        return None
    into = r.position_of("into", "in", after=r.verb_index)
    if into < 0:
        raise InputError("say the parts, e.g. 'split step 5 into issue refund and record refund'")
    number = _step_between(doc, r, r.verb_index + 1, into)
    if number is None:
        raise InputError("say which step to split, e.g. 'split step 5 into issue refund and record refund'")
    listed = re.sub(r"^(?:two|three|four|\d+)(?:\s+(?:parts|steps))?\s*:\s*", "", r.span(into + 1), flags=re.I)
    parts = [p for p in re.split(r"\s*(?:,|\band then\b|\bthen\b|\band\b)\s*", listed) if _clean(p)]
    if len(parts) < 2:
        raise InputError("give two or more parts, e.g. 'split step 5 into issue refund and record refund'")
    old = doc.steps[number - 1]
    steps = [_new_step(p, doc).model_copy(update={"responsible": old.responsible}) for p in parts]
    shaped = graph.split_step(doc, number, steps)
    first = shaped.number(number)
    return EditResult(shaped.document, f"Split step {number} ('{old.name}') into steps {first} to "
                      f"{first + len(steps) - 1} ({'; '.join(s.name for s in steps)}).", _all(shaped.document))


_HANDLERS: tuple[Handler, ...] = (_rename, _branch, _parallel, _swap, _merge, _split, _move, _systems, _remove, _duration,
                                  _owner, _threshold, _add)


def apply_edit(doc: ProcessDocument, text: str) -> EditResult:
    """Apply the change ``text`` asks for; raises :class:`InputError` when it cannot be applied."""
    reading = read_message(expand_abbreviations(text.strip()))
    for handler in _HANDLERS:
        result = handler(doc, reading)
        if result is not None:
            return result
    from process_designer.agents.writer.amend import amend

    if not reading.command:
        return amend(doc, reading, compose=_new_step, add=lambda d, s, w, a: _placed(d, s, w, a))
    raise InputError(cannot_map(text))


def _placed(doc: ProcessDocument, step: Step, where: str, anchor: int | None) -> EditResult:
    shaped = graph.add_step(doc, step, where, anchor)
    placed = shaped.number(graph._NEW)
    said = f"{where} '{doc.steps[anchor - 1].name}'" if anchor else f"at the {where}"
    return EditResult(shaped.document, f"Added step {placed} ('{step.name}') {said}.", _all(shaped.document))
