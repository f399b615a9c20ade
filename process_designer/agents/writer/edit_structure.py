"""Edit requests that reshape the process: add, remove, move, swap, merge and split steps, branches, parallel work, loops."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps

from process_designer.agents.writer import edit_graph as graph
from process_designer.agents.writer.edit_reading import decision_of
from process_designer.agents.writer.edit_targets import (
    STEP_LEAD,
    EditResult,
    Handler,
    all_steps,
    clean,
    must_name,
    named,
    new_step,
    positions,
    step_between,
    step_number,
)
from process_designer.domain.models import Decision, ProcessDocument
from process_designer.errors import InputError
from process_designer.language.messages import Reading

__all__ = ["add", "branch", "merge", "move", "parallel", "remove", "split", "swap"]


def _on(command: str) -> Callable[[Callable[[ProcessDocument, Reading], EditResult]], Handler]:
    """A handler that only answers requests whose command verb is ``command`` ("merge", "split" …)."""
    def wrap(handle: Callable[[ProcessDocument, Reading], EditResult]) -> Handler:
        @wraps(handle)
        def handler(doc: ProcessDocument, r: Reading) -> EditResult | None:
            return handle(doc, r) if r.command == command else None
        return handler
    return wrap


def _reshaped(shaped: graph.Shaped, summary: str) -> EditResult:
    """The result of an edit that reshaped the graph: any step may have moved, so all count as changed."""
    return EditResult(shaped.document, summary, all_steps(shaped.document))


def _anchor(doc: ProcessDocument, r: Reading, start: int = 0) -> tuple[str, int | None, int]:
    """Where a new or moved step goes: ("after" | "before" | "start" | "end", the step, the token it starts at)."""
    for index in range(start, len(r.words)):
        word = r.words[index]
        for where in ("end", "start"):
            if word in positions(where) and index > 0 and r.words[index - 1] in ("the", "at", "to"):
                opening = index - 1
                while opening > start and r.words[opening - 1] in ("the", "at", "to"):
                    opening -= 1
                return where, None, opening
        for where in ("after", "before", "between"):
            if word in positions(where):
                rest = r.words[index + 1:]
                cut = index + 1 + next((i for i, w in enumerate(rest) if w in (",", "and") and
                                        where != "between"), len(rest))
                number = step_between(doc, r, index + 1, cut)
                if number is None:
                    raise InputError(f"no step matches '{clean(r.span(index + 1, cut))}'; the steps are: "
                                     + "; ".join(f"{s.number}. {s.name}" for s in doc.steps))
                return ("after" if where == "between" else where), number, index
    return "end", None, len(r.words)


def add(doc: ProcessDocument, r: Reading) -> EditResult | None:
    if r.command != "add" or r.condition:
        return None
    where, anchor, cut = _anchor(doc, r, r.verb_index + 1)
    what = r.span(r.verb_index + 1, cut)
    if not STEP_LEAD.sub("", what).strip():  # "add a step after step 2 to check …", "… at the start to receive …"
        ends = [last for number, first, last in r.references if first > cut]
        after = ends[0] + 1 if ends else r.position_of("to", "that", "which", after=cut)
        what = re.sub(r"^(?:to|that|which|for)\s+", "", r.span(after)) if after > 0 else ""
    if clean(what).lower() in ("it", "that", "this", "them", "one", ""):
        raise InputError("say what the new step does, e.g. 'add a fraud check before step 5'")
    step = new_step(what, doc)
    shaped = graph.add_step(doc, step, where, anchor)
    placed = shaped.number(graph.NEW_STEP)
    said = f"{where} step {anchor} ('{doc.steps[anchor - 1].name}')" if anchor else f"at the {where}"
    return _reshaped(shaped, f"Added step {placed} ('{step.name}') {said}.")


def parallel(doc: ProcessDocument, r: Reading) -> EditResult | None:
    marker = r.position_of(*positions("parallel"))
    same_time = r.position_of("same")
    if marker < 0 and not (same_time > 0 and r.has("time")):
        return None
    marker = marker if marker >= 0 else same_time
    start = r.verb_index + 1 if r.command == "add" else 0
    stops = [i for i in range(start, len(r.words)) if r.words[i] in ("after", "with", "alongside", "simultaneously",
                                                                      "concurrently", "meanwhile")
             or (r.words[i] in ("in", "at") and i + 1 < len(r.words) and r.words[i + 1] in ("parallel", "the"))]
    what = re.sub(r"\bparallel\b", "", r.span(start, stops[0] if stops else len(r.words))).strip()
    step = new_step(what, doc)
    after = r.position_of("after", after=start)
    if after >= 0 and (number := step_between(doc, r, after + 1, len(r.words))) is not None:
        following = doc.effective_flow().first_steps(f"step_{number}")
        if not following:
            raise InputError(f"nothing follows step {number} to run alongside; add the new step after it instead")
        alongside = following[0]
    else:
        found = step_between(doc, r, marker + 1, len(r.words))
        if found is None:
            raise InputError("say which step it runs alongside, e.g. 'add a parallel step to notify finance "
                             "after step 4' or '… in parallel with step 5'")
        alongside = found
    shaped = graph.add_parallel(doc, alongside, step)
    return _reshaped(shaped, f"Added step {shaped.number(graph.NEW_STEP)} ('{step.name}') in parallel with "
                      f"step {shaped.number(alongside)} ('{doc.steps[alongside - 1].name}').")


_BACK = ("back", "return", "repeat", "loop")


def branch(doc: ProcessDocument, r: Reading) -> EditResult | None:
    looping = r.has(*_BACK) and len(r.steps) >= 1
    if not r.condition and not (looping and len(r.steps) >= 2):
        return None
    outcome_start = r.condition_end + 1 if r.condition else 0
    after = r.position_of("after")
    source = step_between(doc, r, after + 1, len(r.words)) if after >= 0 else None
    if looping:
        back = r.position_of(*_BACK)
        target = step_between(doc, r, back + 1, len(r.words))
        if source is None and r.condition:
            source = named(doc, r.condition) or (step_number(doc, r.steps[0]) if len(r.steps) > 1 else None)
        if source is None or target is None:
            raise InputError("say from which step and back to which, e.g. 'if the check fails, go back to step 2 "
                             "after step 4'")
        decision = _decision(r, f"go back to step {target}") if r.condition else None
        shaped = graph.add_loop(doc, source, target, decision)
        when = f" when {r.condition.removeprefix('if ')}" if r.condition else ""
        return _reshaped(shaped, f"After step {shaped.number(source)} the flow now goes back to step "
                          f"{shaped.number(target)}{when}.")
    cut = after if after > outcome_start else len(r.words)
    what = r.span(outcome_start, cut)
    what = re.sub(r"^(?:then\s+)?(?:(?:please|also)\s+)?(?:add|insert|include)\s+", "", what, flags=re.I)
    if source is None:
        source = _decision_step(doc, r.condition)
    if source is None:
        raise InputError("say after which step the decision comes, e.g. 'if the amount is over $5000, add a CFO "
                         "approval after step 4'")
    step = new_step(what, doc)
    decision = _decision(r, f"continue with '{step.name}'")
    shaped = graph.add_branch(doc, source, decision, step)
    return _reshaped(shaped, f"Added a decision after step {shaped.number(source)}: {r.condition.strip()}"
                      f" → step {shaped.number(graph.NEW_STEP)} ('{step.name}'), otherwise the flow goes on.")


def _decision(r: Reading, outcome: str) -> Decision:
    found = decision_of(r.condition, outcome)
    if found is None:
        raise InputError(f"I could not read a condition in '{r.condition}'; say e.g. 'if the amount is over $5000'")
    return found.model_copy(update={"if_true": outcome, "if_false": "continue"})


def _decision_step(doc: ProcessDocument, condition: str) -> int | None:
    decision = decision_of(condition, "")
    if decision is not None:
        for step in doc.steps:
            if any(d.subject == decision.subject for d in step.decisions):
                return step.number
    return named(doc, condition)


@_on("remove")
def remove(doc: ProcessDocument, r: Reading) -> EditResult:
    numbers = sorted({step_number(doc, n) for n in r.steps}, reverse=True) or [
        must_name(doc, r.segment(r.verb_index + 1, (",", ";"))[0])]
    document = doc
    for number in numbers:  # the last first, so the numbers still to remove stay where they were
        document = graph.remove_step(document, number).document
    said = "; ".join(f"{n} ('{doc.steps[n - 1].name}')" for n in sorted(numbers))
    return EditResult(document, f"Removed step{'s' if len(numbers) > 1 else ''} {said}.", all_steps(document))


def _names_a_step(r: Reading, cut: int) -> bool:
    """Whether the object of "put …" is a step already there ("put the archive step before …", "put step 5 …")."""
    thing = r.words[r.verb_index + 1:cut]
    return bool(thing) and (thing[-1] in ("step", "task") or any(r.step_at(i) is not None
                                                                 for i in range(r.verb_index + 1, cut)))


def move(doc: ProcessDocument, r: Reading) -> EditResult | None:
    if r.command == "add" and r.verb in ("put", "place") and _names_a_step(r, _anchor(doc, r, r.verb_index + 1)[2]):
        return _moved(doc, r)
    if r.command != "move":
        return None
    return _moved(doc, r)


def _moved(doc: ProcessDocument, r: Reading) -> EditResult:
    where, anchor, cut = _anchor(doc, r, r.verb_index + 1)
    moved = step_between(doc, r, r.verb_index + 1, cut)
    if moved is None:
        raise InputError("say which step to move and where, e.g. 'move step 5 after step 2'")
    if anchor is None:
        flow = doc.effective_flow()
        order = flow.step_order()
        anchor, where = (order[0], "before") if where == "start" else (order[-1], "after")
    shaped = graph.move_step(doc, moved, where, anchor)
    step = doc.steps[moved - 1]
    return _reshaped(shaped, f"Moved '{step.name}' {where} '{doc.steps[anchor - 1].name}'; it is now "
                      f"step {shaped.number(moved)}.")


@_on("swap")
def swap(doc: ProcessDocument, r: Reading) -> EditResult:
    numbers = sorted({step_number(doc, n) for n in r.steps})
    if len(numbers) != 2 or numbers[1] != numbers[0] + 1:
        raise InputError("name two neighbouring steps to swap, e.g. 'swap steps 2 and 3'; to move a step further, "
                         "say 'move step 5 after step 2'")
    first, second = numbers
    shaped = graph.move_step(doc, first, "after", second)
    return _reshaped(shaped, f"Swapped steps {first} ('{doc.steps[first - 1].name}') and {second} "
                      f"('{doc.steps[second - 1].name}').")


@_on("merge")
def merge(doc: ProcessDocument, r: Reading) -> EditResult:
    into = r.position_of("into", "as", after=r.verb_index)
    end = into if into > 0 else len(r.words)
    numbers = [step_number(doc, n) for n in r.steps]
    if len(numbers) == 1:
        raise InputError(f"name two steps to merge, e.g. 'merge steps {numbers[0]} and {numbers[0] + 1}'")
    if not numbers:
        parts = re.split(r"\s+(?:and|with|&)\s+|,\s*", r.span(r.verb_index + 1, end))
        numbers = [must_name(doc, part) for part in parts if clean(part)]
    numbers = sorted(dict.fromkeys(numbers))
    if len(numbers) < 2:
        raise InputError("name two steps to merge, e.g. 'merge steps 6 and 7'")
    name = clean(r.span(into + 1)) if into > 0 else None
    names = [doc.steps[n - 1].name for n in numbers]
    shaped = graph.merge_steps(doc, numbers, name[:1].upper() + name[1:] if name else None)
    merged = shaped.document.steps[shaped.number(numbers[0]) - 1]
    return _reshaped(shaped, f"Merged steps {', '.join(map(str, numbers))} ({'; '.join(names)}) into "
                      f"step {merged.number} ('{merged.name}').")


@_on("split")
def split(doc: ProcessDocument, r: Reading) -> EditResult:
    into = r.position_of("into", "in", after=r.verb_index)
    if into < 0:
        raise InputError("say the parts, e.g. 'split step 5 into issue refund and record refund'")
    number = step_between(doc, r, r.verb_index + 1, into)
    if number is None:
        raise InputError("say which step to split, e.g. 'split step 5 into issue refund and record refund'")
    listed = re.sub(r"^(?:two|three|four|\d+)(?:\s+(?:parts|steps))?\s*:\s*", "", r.span(into + 1), flags=re.I)
    parts = [p for p in re.split(r"\s*(?:,|\band then\b|\bthen\b|\band\b)\s*", listed) if clean(p)]
    if len(parts) < 2:
        raise InputError("give two or more parts, e.g. 'split step 5 into issue refund and record refund'")
    old = doc.steps[number - 1]
    steps = [new_step(p, doc).model_copy(update={"responsible": old.responsible}) for p in parts]
    shaped = graph.split_step(doc, number, steps)
    first = shaped.number(number)
    return _reshaped(shaped, f"Split step {number} ('{old.name}') into steps {first} to "
                      f"{first + len(steps) - 1} ({'; '.join(s.name for s in steps)}).")
