"""Edits to an existing document from a chat request, leaving everything else as it was.

The request is read with the shared English pipeline (``language.messages``): its command verb,
the steps it names, its quantities and its prepositional phrases decide the edit. A request that
maps to no edit is answered with what the designer can change — never with a step made of its words.
"""

from __future__ import annotations

from process_designer.agents.vocabulary import detect_systems, system_label
from process_designer.agents.writer import edit_fields as fields
from process_designer.agents.writer import edit_graph as graph
from process_designer.agents.writer import edit_structure as shape
from process_designer.agents.writer.amend import amend
from process_designer.agents.writer.edit_reading import decision_of
from process_designer.agents.writer.edit_targets import (
    EditResult,
    Handler,
    all_steps,
    cannot_map,
    clean,
    must_name,
    named,
    new_step,
    role_name,
    step_between,
    step_number,
    words,
)
from process_designer.agents.writer.phrasing import value_text
from process_designer.domain.models import Decision, ProcessDocument, Step
from process_designer.errors import InputError
from process_designer.language.lexicon import expand_abbreviations
from process_designer.language.messages import Quantity, Reading, chat_words, read_message

__all__ = ["EditResult", "apply_edit", "cannot_map"]


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
    if to < 0 and r.has_field("process"):  # "call the process Expense Reimbursement"
        to = r.position_of(*chat_words()["fields"]["process"], after=r.verb_index)
    if to < 0:
        raise InputError("say the new name, e.g. 'rename step 2 to Verify order'")
    new = clean(r.span(to + 1))
    if not new:
        raise InputError("the new name is empty; say e.g. 'rename step 2 to Verify order'")
    if r.has_field("process") and not r.steps:
        document, summary = fields.rename_process(doc, new)
        return EditResult(document, summary, frozenset())
    number = step_between(doc, r, r.verb_index + 1 if r.command else 0, to)
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
        number = step_between(doc, r, to + 1, len(r.words))
        if (number is not None and r.step_at(to + 1) is not None) or (number and not role_name(r.span(to + 1))):
            role = r.span(r.verb_index + 1, to)
        else:
            number = step_between(doc, r, r.verb_index + 1, to)
            role = r.span(to + 1)
    elif r.command == "set" and r.has_field("owner"):
        field = next(i for i, w in enumerate(r.words) if w in chat_words()["fields"]["owner"])
        to = r.position_of("to", "by", after=field)
        role = r.span(to + 1) if to > 0 else r.span(r.verb_index + 1, field)
        number = step_number(doc, r.steps[0]) if r.steps else (
            step_between(doc, r, field, to if to > 0 else len(r.words)) if r.position_of("for", "of") > 0 else None)
        if number is None and not r.steps and r.has("process", "owner") and not r.has("responsible"):
            document, summary = fields.change_process_owner(doc, role_name(role))
            return EditResult(document, summary, frozenset())
    elif not r.command and by > 0 and r.steps and r.lemmas[r.verb_index] in (*_statement_verbs("assign"), "be"):
        role, number = r.span(by + 1), step_number(doc, r.steps[0])
    elif not r.command and r.has("process") and r.has("own", "owns", "owned", "owner") and not r.steps:
        doing = r.position_of("own", "owns", "owned", "owner")
        phrase = r.span(by + 1) if by > 0 else r.span(_subject_start(r, doing), doing)
        document, summary = fields.change_process_owner(doc, role_name(phrase))
        return EditResult(document, summary, frozenset())
    elif not r.command and (doing := _owner_verb(r)) > 0 and (
            r.steps or (number := named(doc, r.span(doing + 1))) is not None):
        role = _subject(r, doing)
        number = step_number(doc, r.steps[0]) if r.steps else number
    elif not r.command and not r.steps and (acting := _step_verb(doc, r)) is not None:
        number, doing = acting  # "IT should collect the laptop", "have security revoke the access"
        role = _subject(r, doing)
    else:
        return None
    role = role_name(role)
    if not role:
        raise InputError("say who should do it, e.g. 'assign step 4 to the Team Lead'")
    if number is None:
        raise InputError(f"say which step the {role} should do, e.g. 'assign step 4 to the {role}'")
    document, summary = fields.change_owner(doc, number, role)
    return EditResult(document, summary, frozenset({number}))


def _subject_start(r: Reading, end: int) -> int:
    lead = set(chat_words()["lead_words"]) - {"to"}
    return next((i for i in range(end) if r.words[i] not in lead), end)


def _subject(r: Reading, doing: int) -> str:
    """Who a statement names before its verb ("I want the Team Lead to do …" → "the Team Lead")."""
    start = _subject_start(r, doing)
    end = next((i for i in range(start, doing) if r.tags[i] in ("MD", "TO") or r.lemmas[i] in ("will", "be")), doing)
    return r.span(start, end)


def _step_verb(doc: ProcessDocument, r: Reading) -> tuple[int, int] | None:
    """(step, token) where a statement's verb and object name a step ("… should collect the laptop")."""
    for index in range(1, len(r.words)):
        number = named(doc, r.span(index)) if r.tags[index].startswith("VB") else None
        step = doc.step(number) if number is not None else None
        if step is not None and step.name.split()[0].lower() in (r.lemmas[index], r.words[index]):
            return number, index  # type: ignore[return-value]
    return None


def _owner_verb(r: Reading) -> int:
    """Where "do"/"handle"/"perform" … stands before the first step reference ("the Team Lead should do step 3")."""
    first = min(r.step_positions, default=len(r.words))
    verbs = _statement_verbs("assign")
    return next((i for i in range(first) if r.lemmas[i] in verbs or r.words[i] in verbs), -1)


def _restate(doc: ProcessDocument, r: Reading) -> EditResult | None:
    """"change step 2 so that finance approves the subscription first": the step's first action says so."""
    so = r.position_of("so", after=r.verb_index)
    if r.command != "set" or not r.steps or so < 0 or r.step_at(so - 1) is None:
        return None
    start = so + 2 if so + 1 < len(r.words) and r.words[so + 1] == "that" else so + 1
    clause = r.span(start)
    if not clause:
        return None
    number = step_number(doc, r.steps[0])
    condition, _, rest = clause.partition(", ")
    decision = decision_of(condition, rest) if rest and condition.lower().startswith(("if ", "when ")) else None
    document, summary = fields.restate_step(doc, number, new_step(clause, doc), decision)
    return EditResult(document, summary, frozenset({number}))


def _first(r: Reading, *kinds: str) -> Quantity | None:
    return next((q for q in r.quantities if q.kind in kinds), None)


def _duration(doc: ProcessDocument, r: Reading) -> EditResult | None:
    quantity = _first(r, "duration")
    if quantity is None or r.condition:
        return None
    timed = r.verb in _statement_verbs("duration") or r.has("duration", "long", *_statement_verbs("duration"))
    if not r.command and r.lemmas[quantity.start - 1] not in (*_statement_verbs("duration"), "be"):
        return None  # "we need a review within 5 days" names a deadline of new work, not a step's duration
    if r.steps and (timed or r.command == "set"):
        number = step_number(doc, r.steps[0])
    elif r.command == "set" and not timed and r.has(*chat_words()["step_words"]) and (named_step := named(doc, r.span(
            r.verb_index + 1, r.position_of("to", after=r.verb_index)))) is not None:
        number = named_step  # "set the final pay step to 1 day"
    elif timed:
        end = r.verb_index if not r.command else (r.position_of(*_statement_verbs("duration"), "to",
                                                                 after=r.verb_index))
        start = 0 if not r.command else r.verb_index + 1
        number = must_name(doc, r.span(start, end if end > start else len(r.words)))
    else:
        return None
    document, summary = fields.change_duration(doc, number, quantity)
    return EditResult(document, summary, frozenset({number}))


def _threshold(doc: ProcessDocument, r: Reading) -> EditResult | None:
    quantity = _first(r, "money", "percent", "date") or _first(r, "duration", "number")
    stated = not r.command and r.verb == "be" and (r.has_field("threshold") or r.has("approval"))
    if quantity is None or not (r.command == "set" or stated) or r.condition:
        return None
    asked = words(r.span(r.verb_index + 1 if r.command else 0, quantity.start))

    def related(decision: Decision, step: Step) -> float:
        return float(len(asked & words(f"{decision.subject.replace('_', ' ')} {decision.text} {step.name}")))

    candidates = fields.threshold_candidates(doc, quantity, related)
    if r.steps:
        candidates = [c for c in candidates if c[1].number == step_number(doc, r.steps[0])]
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
    thing = clean(r.span(r.verb_index + 1, prep))
    return bool(detect_systems(thing)) and len(thing.split()) <= 3 and not any(
        w in chat_words()["step_words"] for w in thing.lower().split())


def _systems(doc: ProcessDocument, r: Reading) -> EditResult | None:
    mentioned = detect_systems(r.text)
    if not mentioned or r.condition or r.command in ("merge", "split", "move", "rename"):
        return None
    negated = r.has("not", "n't", "longer", "without")
    remove_from = r.command == "remove" and r.position_of("from") > 0
    adding = (r.command == "add" and _names_only_systems(r)) or r.verb == "use" or (
        r.command == "set" and r.has("use", "uses")) or (not r.command and r.has("through", "via", "using"))
    if not (remove_from or adding or (negated and r.verb == "use")):
        return None
    number = step_number(doc, r.steps[0]) if r.steps else (
        named(doc, r.span(0, r.verb_index)) if not r.command and r.verb_index > 0 else
        step_between(doc, r, r.position_of("from", "in", "to", "on") + 1, len(r.words)))
    if number is None:
        raise InputError(f"say which step uses the {system_label(mentioned[0])}, e.g. 'step 5 uses "
                         f"{system_label(mentioned[0])}'")
    replaced = r.position_of("instead", "replace")
    add: list[str]
    remove: list[str]
    if remove_from or negated:
        add, remove = [], mentioned
    elif replaced >= 0 and len(mentioned) > 1:
        later = detect_systems(r.span(replaced))
        add, remove = ([s for s in mentioned if s not in later], later) if r.words[replaced] == "instead" else (
            [s for s in mentioned if s in later], [s for s in mentioned if s not in later])
    else:
        add, remove = mentioned, []
    document, summary = fields.change_systems(doc, number, add, remove)
    return EditResult(document, summary, frozenset({number}))



_HANDLERS: tuple[Handler, ...] = (_rename, shape.branch, shape.parallel, shape.swap, shape.merge, shape.split,
                                  shape.move, _systems, shape.remove, _duration, _restate, _owner, _threshold,
                                  shape.add)


def apply_edit(doc: ProcessDocument, text: str) -> EditResult:
    """Apply the change ``text`` asks for; raises :class:`InputError` when it cannot be applied."""
    reading = read_message(expand_abbreviations(text.strip()))
    for handler in _HANDLERS:
        result = handler(doc, reading)
        if result is not None:
            return result
    if not reading.command:
        return amend(doc, reading, compose=new_step, add=lambda d, s, w, a: _placed(d, s, w, a))
    raise InputError(cannot_map(text))


def _placed(doc: ProcessDocument, step: Step, where: str, anchor: int | None) -> EditResult:
    shaped = graph.add_step(doc, step, where, anchor)
    placed = shaped.number(graph.NEW_STEP)
    said = f"{where} '{doc.steps[anchor - 1].name}'" if anchor else f"at the {where}"
    return EditResult(shaped.document, f"Added step {placed} ('{step.name}') {said}.", all_steps(shaped.document))
