"""The phrases inside an edit request read with the analyst's English reader: a condition, a new step's name.

"if the amount is over $5000" → a :class:`Decision` on ``amount > 5000 USD`` (``language.conditions``);
"notify the stakeholders" → the step name "Notify stakeholders" (the frames the analyst builds steps from).
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from process_designer.domain.models import Decision
from process_designer.language.conditions import read_condition
from process_designer.language.frames import Frame, read_frames
from process_designer.language.pipeline import english

__all__ = ["decision_of", "describes_action", "step_frame", "step_name"]

_CONDITION_MARKS = frozenset({"if", "when", "whenever", "unless", "once", "where", "should"})
_NAME_WORDS = 5
_SKIPPED = frozenset({"det", "poss", "predet"})


def decision_of(condition: str, outcome: str = "") -> Decision | None:
    """The decision a condition clause states ("if the order is older than 30 days"), or ``None``."""
    text = condition.strip().rstrip(".,;")
    tokens = list(english()(text))
    while tokens and (tokens[0].lower_ in _CONDITION_MARKS or tokens[0].is_punct):
        tokens = tokens[1:]
    if not tokens:
        return None
    read = read_condition(tokens)
    if not read.rules:
        return None
    rule = read.rules[0]
    sentence = text[:1].upper() + text[1:]
    return Decision(text=f"{sentence}: {outcome}" if outcome else sentence, subject=rule.subject,
                    operator=rule.operator, value=rule.value, unit=rule.unit,
                    if_true=outcome or "handle the exception", if_false="continue with the next step")


def step_frame(clause: str) -> Frame | None:
    """The first step the clause describes, as the analyst reads it; ``None`` when it describes no work."""
    frames, _, _ = read_frames(clause)
    return next((f for f in frames if f.kind == "step"), None)


def _leading(frame: Frame) -> bool:
    """Whether the frame's verb opens the clause ("notify the stakeholders"), as a command does."""
    head = frame.head
    first = next((t for t in head.doc if not t.is_punct and t.dep_ not in _SKIPPED), None)
    return head.pos_ == "VERB" and first is not None and first.i == head.i


def describes_action(clause: str) -> bool:
    """Whether ``clause`` says what to do with a verb of its own ("send a survey"), not a bare noun phrase."""
    frame = step_frame(clause)
    return frame is not None and frame.head.pos_ == "VERB"


def _as_written(tokens: Sequence[Token]) -> list[str]:
    return [t.text for t in tokens if t.dep_ not in _SKIPPED and not t.is_punct]


def _phrase(child: Token) -> list[Token]:
    """An object as written: "the new stakeholders" before its own clauses; "for fraud" with its preposition."""
    if child.dep_ == "prep":
        return [child, *[t for c in child.children if c.dep_ == "pobj" for t in c.doc[c.left_edge.i: c.i + 1]]]
    return list(child.doc[child.left_edge.i: child.i + 1])


def step_name(clause: str) -> str:
    """The name of the step ``clause`` describes, in the user's words: "Notify stakeholders", "Check for fraud".

    A command names its verb and what it acts on; a noun phrase ("a budget check") is the name itself.
    """
    frame = step_frame(clause)
    if frame is not None and _leading(frame):
        head = frame.head
        objects = [c for c in head.children if c.dep_ in ("dobj", "dative", "prep", "prt")]
        words = [head.lemma_]
        for child in objects[:2]:
            words += _as_written(_phrase(child))
            if child.dep_ == "dobj":
                break
    else:
        doc = english()(clause.strip(" .,;:"))
        kept: list[Token] = []
        for token in doc:
            if kept and (token.pos_ == "ADP" or token.is_punct):
                break
            kept.append(token)
        words = _as_written(kept)
    name = " ".join(words[:_NAME_WORDS])
    return name[:1].upper() + name[1:]
