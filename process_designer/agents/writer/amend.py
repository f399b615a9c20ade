"""Free-form amendments to a document: "also require X before Y", "after X we need Y", new thresholds."""

from __future__ import annotations

import re
from collections.abc import Callable

from process_designer.agents.analyst.parsing import (
    clean_action,
    find_decision,
    looks_like_action,
    step_name,
)
from process_designer.agents.vocabulary import classify_action, detect_roles
from process_designer.agents.writer.phrasing import describe_decision
from process_designer.domain.models import ProcessDocument, Step
from process_designer.errors import InputError

__all__ = ["amend"]

_RELATIVE_TAIL = re.compile(
    r"^(?P<what>.+?)\s+(?:right\s+|just\s+|immediately\s+|directly\s+)?(?P<where>before|after)\s+(?:the\s+)?"
    r"(?P<ref>[\w\s-]{2,40}?)(?:\s+step)?(?:\s+(?:is|are)\s+\w+)?\s*[.!]?$",
    re.IGNORECASE,
)
_RELATIVE_HEAD = re.compile(
    r"^(?P<where>before|after)\s+(?:the\s+)?(?P<ref>[\w\s-]{2,40}?)(?:\s+step)?(?:,\s*|\s+)(?P<what>(?:we|you|they|i)\b.+)$",
    re.IGNORECASE,
)
_LEAD_WORDS = re.compile(r"^(?:oh|so|ok|okay|right)?[,\s]*(?:and\s+)?(?:(?:also|plus|additionally|then|now|please|pls)\b[,:]?\s*)?",
                         re.I)
_NEED = re.compile(r"^(?:(?:we|you|they|i|he|she|it)\s+)?(?:also\s+)?(?:need|needs|want|require|requires|must have|should have|"
                   r"have|add|include|do|perform|run)\s+(?:an?\s+|the\s+)?", re.IGNORECASE)
_CMP_NUMBER = re.compile(r"\b(?:over|above|under|below|more than|less than|exceeds?|beyond|up to|at least)\s+"
                         r"[$€£]?\s?\d", re.IGNORECASE)
_PRONOUN = re.compile(r"^(?:that|it|this|them|those)$", re.IGNORECASE)


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in re.findall(r"[a-z]{3,}", text.lower())} - {
        "the", "and", "step", "for", "with", "that", "this", "need", "also", "only", "anything", "any"}


def _best_step(doc: ProcessDocument, text: str) -> Step | None:
    wanted = _words(text)
    scored = [(len(wanted & _words(f"{s.name} {s.responsible}")), s) for s in doc.steps]
    score, step = max(scored, key=lambda item: item[0], default=(0, None))
    return step if score else None


_TIME_OFFSET = re.compile(r"\b\d+\s*(?:minutes?|mins?|hours?|hrs?|days?|business days?|weeks?)$", re.IGNORECASE)


def _last_step_index(doc: ProcessDocument, text: str, default: int) -> int:
    wanted = _words(text)
    matching = [i for i, s in enumerate(doc.steps) if wanted & _words(s.name)]
    return matching[-1] if matching else default


def _insert(doc: ProcessDocument, index: int, step: Step,
            renumber: Callable[[ProcessDocument, list[Step], dict[int, int]], ProcessDocument]) -> ProcessDocument:
    steps = list(doc.steps)
    steps.insert(index, step.model_copy(update={"depends_on": []}))
    mapping = {s.number: i for i, s in enumerate(steps, start=1) if s is not step}
    return renumber(doc, steps, mapping)


def amend(doc: ProcessDocument, text: str, *, compose: Callable[[str, ProcessDocument], Step],
          renumber: Callable[[ProcessDocument, list[Step], dict[int, int]], ProcessDocument],
          refresh: Callable[[ProcessDocument], ProcessDocument]) -> tuple[ProcessDocument, str, frozenset[int]]:
    """Apply a free-form change; raises :class:`InputError` when the text names nothing to change."""
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+|,\s*(?:pls|please)\s+", text) if s.strip()]
    body = _LEAD_WORDS.sub("", sentences[-1] if len(sentences) > 1 and len(sentences[-1].split()) <= 6
                           else text).strip().rstrip(".!")
    previous = sentences[0] if len(sentences) > 1 else ""
    relative = _RELATIVE_HEAD.match(body) or _RELATIVE_TAIL.match(body)
    if relative:
        what = _NEED.sub("", clean_action(_LEAD_WORDS.sub("", relative.group("what")))).strip()
        verb = re.match(r"^(?:add|insert|put|include)\s+(?P<rest>.+)$", what, re.I)
        what = verb.group("rest") if verb else what
        if _PRONOUN.match(what) and previous:
            what = _NEED.sub("", clean_action(_LEAD_WORDS.sub("", previous))).strip()
        anchor = _best_step(doc, relative.group("ref"))
        if anchor is None and what and doc.steps:
            # an anchor we cannot find: "before" the visit means before the last step, "after" means the end
            anchor = doc.steps[-1]
            if relative.group("where").lower() == "after":
                step = compose(what, doc)
                new = _insert(doc, len(doc.steps), step, renumber)
                return new, f"Added step {len(new.steps)} ('{step.name}') at the end.", frozenset({len(new.steps)})
        if anchor is not None and what:
            if not looks_like_action(what) and classify_action(what).name == "prepare":
                what = f"set up {what}" if re.search(r"account|access|laptop|badge", what, re.I) else what
            step = compose(what, doc)
            index = doc.steps.index(anchor) + (0 if relative.group("where").lower() == "before" else 1)
            if relative.group("where").lower() == "before" and _TIME_OFFSET.search(what):
                # "a reminder 24 hours before the appointment": the appointment is an event that later steps
                # arrange ("book", "confirm"), so the reminder follows the last of them
                index = _last_step_index(doc, relative.group("ref"), default=index - 1) + 1
            new = _insert(doc, index, step, renumber)
            return new, (f"Added step {index + 1} ('{step.name}') {relative.group('where').lower()} "
                         f"'{anchor.name}'."), frozenset(range(index + 1, len(new.steps) + 1))
    clause = _LEAD_WORDS.sub("", text).strip().rstrip(".!")
    if _CMP_NUMBER.search(clause):
        return _threshold(doc, clause, compose, renumber, refresh)
    target = _best_step(doc, clause)
    if target is not None and re.search(r"\b(?:within|otherwise|escalat\w*|must|should|only)\b", clause, re.I):
        line = clause[:1].upper() + clause[1:]
        steps = [s.model_copy(update={"actions": [*s.actions, line]}) if s is target else s for s in doc.steps]
        new = doc.model_copy(update={"steps": steps})
        if re.search(r"\botherwise\b|\bescalat", clause, re.I):
            new = new.model_copy(update={"error_handling": [*new.error_handling,
                                                            f"Step {target.number} ({target.name}): {line}"]})
        return refresh(new), f"Step {target.number} ('{target.name}') now says: {line}.", frozenset({target.number})
    if looks_like_action(_NEED.sub("", clause)):
        step = compose(_NEED.sub("", clean_action(clause)), doc)
        new = _insert(doc, len(doc.steps), step, renumber)
        return new, f"Added step {len(new.steps)} ('{step.name}') at the end.", frozenset({len(new.steps)})
    raise InputError(
        "I could not tell what to change. Try e.g. 'rename step 2 to Verify order', 'add a fraud check before "
        "the refund', 'remove step 4', 'move step 5 after step 2' or 'make the approval threshold $1000'"
    )


def _threshold(doc: ProcessDocument, clause: str, compose: Callable[[str, ProcessDocument], Step],
               renumber: Callable[[ProcessDocument, list[Step], dict[int, int]], ProcessDocument],
               refresh: Callable[[ProcessDocument], ProcessDocument]) -> tuple[ProcessDocument, str, frozenset[int]]:
    """"mgr approval only needed above 2500" changes that step; "budget owner approval above 20k" adds one."""
    decision = find_decision(f"if the amount is {clause[_CMP_NUMBER.search(clause).start():]}",  # type: ignore[union-attr]
                             "route for approval")
    if decision is None:
        raise InputError(f"I could not read a threshold in '{clause}'; say e.g. 'approval above $2,500'")
    roles = detect_roles(clause)
    target = _best_step(doc, clause)
    line = clause[:1].upper() + clause[1:]
    approver = re.match(r"^(?P<who>[\w\s-]{2,30}?)\s+(?:approval|sign-?off)\b", clause, re.I)
    if target is not None and (not approver or _words(approver.group("who")) <= _words(target.name + " " +
                                                                                         target.responsible)):
        decision = decision.model_copy(update={"if_true": f"route to the {target.responsible} for approval",
                                               "if_false": "continue without this approval"})
        updated = target.model_copy(update={"decisions": [*target.decisions, decision],
                                            "actions": [*target.actions, line, describe_decision(decision)]})
        steps = [updated if s is target else s for s in doc.steps]
        return (refresh(doc.model_copy(update={"steps": steps})),
                f"Step {target.number} ('{target.name}') now applies: {line}.", frozenset({target.number}))
    who = approver.group("who").strip() if approver else (roles[0] if roles else "Approver")
    name = step_name(f"{who} approval") if not approver else f"{who[:1].upper() + who[1:]} approval"
    step = compose(line, doc).model_copy(update={"name": name, "responsible": who.title()})
    decision = decision.model_copy(update={"if_true": f"route to the {who} for approval",
                                           "if_false": "continue without this approval"})
    step = step.model_copy(update={"decisions": [decision], "actions": [*step.actions, describe_decision(decision)]})
    approvals = [i for i, s in enumerate(doc.steps) if "approv" in s.name.lower()]
    index = approvals[-1] + 1 if approvals else len(doc.steps)
    new = _insert(doc, index, step, renumber)
    return new, f"Added step {index + 1} ('{name}') after the existing approvals.", frozenset(
        range(index + 1, len(new.steps) + 1))
