"""Statements that amend a document: "after recovery we need a review", "managers must respond within 3 days", new thresholds.

A message with no command verb is read as a statement about the process: a step placed relative to
another, a rule for a step, or an approval threshold. Anything else is answered with what the
designer can do.
"""

from __future__ import annotations

from collections.abc import Callable

from process_designer.agents.vocabulary import classify_action, detect_roles, has_action_verb
from process_designer.agents.writer.edit_fields import change_threshold
from process_designer.agents.writer.edit_reading import decision_of, describes_action, step_name
from process_designer.agents.writer.edit_targets import EditResult, cannot_map
from process_designer.agents.writer.phrasing import describe_decision
from process_designer.agents.writer.rederive import rederive
from process_designer.domain.models import ProcessDocument, Step
from process_designer.errors import InputError
from process_designer.language.messages import Reading, chat_words

__all__ = ["amend"]

Compose = Callable[[str, ProcessDocument], Step]
Place = Callable[[ProcessDocument, Step, str, int | None], EditResult]


def _words(text: str) -> set[str]:
    return {w.lower().rstrip("s") for w in text.split() if len(w) > 2} - {
        "the", "and", "step", "for", "with", "that", "this", "need", "also", "only", "anything", "any"}


def _best_step(doc: ProcessDocument, text: str) -> Step | None:
    wanted = _words(text)
    scored = [(len(wanted & _words(f"{s.name} {s.responsible}")), s) for s in doc.steps]
    score, step = max(scored, key=lambda item: item[0], default=(0, None))
    return step if score else None


def _what(r: Reading, start: int, end: int) -> str:
    """The new work a clause names, without its subject, modal and 'need' words."""
    skip = set(chat_words()["need_words"])
    while start < end and (r.words[start] in skip or r.words[start] in (",", ":")):
        start += 1
    return r.span(start, end)


def _clause_start(r: Reading, before: int) -> int:
    return max((i + 1 for i in range(before) if r.words[i] in (",", ";", ".")), default=0)


def amend(doc: ProcessDocument, r: Reading, *, compose: Compose, add: Place) -> EditResult:
    """Apply a statement; raises :class:`InputError` when it names nothing to change."""
    position = r.position_of("after", "before")
    if position >= 0:
        placed = _relative(doc, r, position, compose, add)
        if placed is not None:
            return placed
    comparison = next((q for q in r.quantities if q.kind in ("money", "number") and q.start > 0
                       and r.words[q.start - 1] in chat_words()["comparisons"]), None)
    if comparison is not None:
        return _threshold(doc, r, compose, add)
    target = _best_step(doc, r.text)
    if target is not None and r.has(*chat_words()["rule_words"]):
        line = r.text.rstrip(".!")
        line = line[:1].upper() + line[1:]
        steps = [s.model_copy(update={"actions": [*s.actions, line]}) if s is target else s for s in doc.steps]
        new = doc.model_copy(update={"steps": steps})
        if r.has("otherwise", "escalate", "escalates", "escalated"):
            new = new.model_copy(update={"error_handling": [*new.error_handling,
                                                            f"Step {target.number} ({target.name}): {line}"]})
        return EditResult(rederive(doc, new), f"Step {target.number} ('{target.name}') now says: {line}.",
                          frozenset({target.number}))
    what = _what(r, 0, len(r.words))
    if what and describes_action(what) and has_action_verb(what) and r.tags[0] in ("VB", "VBP", "PRP", "NNP", "RB",
                                                                                   "CC", "UH"):
        return add(doc, compose(what, doc), "end", None)
    raise InputError(cannot_map(r.text))


def _relative(doc: ProcessDocument, r: Reading, position: int, compose: Compose, add: Place) -> EditResult | None:
    where = r.words[position]
    pronouns = set(chat_words()["pronouns"])
    head = _clause_start(r, position) == position and position <= 3
    if head:  # "After recovery we need a lessons-learned review"
        subject = next((i for i in range(position + 1, len(r.words))
                        if r.words[i] in (",", "we", "you", "they", "i")), len(r.words))
        anchor_text, what = r.span(position + 1, subject), _what(r, subject, len(r.words))
    else:  # "… a site visit before the credit analysis"
        end = next((i for i in range(position + 1, len(r.words)) if r.words[i] in (",", ";", ".")), len(r.words))
        anchor_text = r.span(position + 1, end)
        what = _what(r, _clause_start(r, position), position)
        if what.lower() in pronouns or _what(r, _clause_start(r, position), position).split()[-1:] == ["that"]:
            clause = _clause_start(r, position)
            what = _what(r, _clause_start(r, max(clause - 1, 0)), max(clause - 1, 0))
        while what.split() and what.split()[-1].lower() in ("right", "just", "immediately", "directly"):
            what = " ".join(what.split()[:-1])
    if not what or what.lower() in pronouns:
        return None
    anchor = _best_step(doc, anchor_text)
    if not describes_action(what) and classify_action(what).name == "prepare" and \
            any(w in what.lower() for w in ("account", "access", "laptop", "badge")):
        what = f"set up {what}"
    step = compose(what, doc)
    if anchor is None:
        return add(doc, step, "end", None) if where == "after" else None
    if where == "before" and any(q.kind == "duration" for q in r.quantities):
        # "a reminder 24 hours before the appointment": the appointment is arranged by the last step
        # that names it, so the reminder follows that step
        matching = [s.number for s in doc.steps if _words(anchor_text) & _words(s.name)]
        return add(doc, step, "after", matching[-1] if matching else anchor.number)
    return add(doc, step, where, anchor.number)


def _threshold(doc: ProcessDocument, r: Reading, compose: Compose, add: Place) -> EditResult:
    """"mgr approval only needed above 2500" changes that step; "budget owner approval above 20k" adds one."""
    comparison = next(q for q in r.quantities if q.start > 0 and r.words[q.start - 1] in chat_words()["comparisons"])
    clause = r.span(0, len(r.words))
    cut = comparison.start - 1
    while cut > 0 and r.words[cut - 1] in chat_words()["comparisons"]:
        cut -= 1
    decision = decision_of(f"if the amount is {r.span(cut, len(r.words))}", "route for approval")
    if decision is None:
        raise InputError(f"I could not read a threshold in '{clause}'; say e.g. 'approval above $2,500'")
    roles = detect_roles(clause)
    target = _best_step(doc, clause)
    line = clause[:1].upper() + clause[1:]
    approval = r.position_of("approval", "sign-off", "signoff")
    who = _what(r, 0, approval) if approval > 0 else ""
    if target is not None and (not who or _words(who) <= _words(target.name + " " + target.responsible)):
        same = next((i for i, d in enumerate(target.decisions) if d.subject == decision.subject
                     and d.operator == decision.operator), None)
        if same is not None:  # "approvals over $900 only" moves the existing threshold
            document, summary = change_threshold(doc, target.number, same, comparison)
            return EditResult(document, summary, frozenset({target.number}))
        decision = decision.model_copy(update={"if_true": f"route to the {target.responsible} for approval",
                                               "if_false": "continue without this approval"})
        updated = target.model_copy(update={"decisions": [*target.decisions, decision],
                                            "actions": [*target.actions, line, describe_decision(decision)]})
        steps = [updated if s is target else s for s in doc.steps]
        return EditResult(rederive(doc, doc.model_copy(update={"steps": steps})),
                          f"Step {target.number} ('{target.name}') now applies: {line}.", frozenset({target.number}))
    who = who or (roles[0] if roles else "Approver")
    name = f"{who[:1].upper() + who[1:]} approval" if approval > 0 else step_name(f"{who} approval")
    step = compose(line, doc).model_copy(update={"name": name, "responsible": who.title()})
    decision = decision.model_copy(update={"if_true": f"route to the {who} for approval",
                                           "if_false": "continue without this approval"})
    step = step.model_copy(update={"decisions": [decision], "actions": [*step.actions, describe_decision(decision)]})
    approvals = [s.number for s in doc.steps if "approv" in s.name.lower()]
    return add(doc, step, "after", approvals[-1]) if approvals else add(doc, step, "end", None)
