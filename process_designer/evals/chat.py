"""Chat-script cases: a designed process, then messages each with the change or answer it must bring.

A ``"kind": "chat"`` line designs ``requirements`` and then plays ``script``; every turn is judged
on its own (:func:`judge_turn`):

- ``edit``: a new version whose changed fields (``domain.changes``; re-derived prose aside) are all
  among ``changes`` and include at least one of them, with no line repeated in a list section;
- ``question``: no new version and nothing changed;
- ``version``: list/diff change nothing, undo/revert make a new version (``changes`` as for an edit);
- ``refuse``: no new version and nothing changed.

Each turn's reply must hold every ``reply`` keyword, the document after it every ``document``
keyword and none of ``absent``. Figures: turns, turns right, turns that changed something not asked.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from process_designer.domain.changes import DERIVED, Change, document_changes
from process_designer.domain.markdown import render_markdown
from process_designer.domain.models import ProcessDocument
from process_designer.evals.cases import EvalCase, register_case_kind
from process_designer.evals.coverage import contains_all
from process_designer.evals.runner import CASE_RUNNERS, CaseRun, DesignerLike

__all__ = ["ChatCase", "ChatTurn", "TurnVerdict", "judge_turn", "play_chat"]


class ChatTurn(BaseModel):
    """One message of a script and what it must do."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    say: str = Field(min_length=1)
    kind: Literal["edit", "question", "version", "refuse"]
    changes: list[str] = Field(default_factory=list)  # "step 2 responsible", "steps", "title", "owner", "flow"
    reply: list[str] = Field(default_factory=list)
    reply_absent: list[str] = Field(default_factory=list)
    document: list[str] = Field(default_factory=list)
    absent: list[str] = Field(default_factory=list)


class ChatCase(EvalCase):
    """A design followed by a chat script (``kind: chat``)."""

    script: list[ChatTurn] = Field(min_length=1)


register_case_kind("chat", ChatCase)


class TurnVerdict(BaseModel):
    """How one turn went: ``right`` when it did what was asked and nothing else."""

    say: str
    right: bool
    unasked: list[str] = Field(default_factory=list)
    problems: list[str] = Field(default_factory=list)


def _duplicates(document: ProcessDocument) -> list[str]:
    found = []
    for name in ("prerequisites", "error_handling", "monitoring"):
        lines: list[str] = getattr(document, name)
        found += [f"{name.replace('_', ' ')} repeats '{line[:50]}'" for line in set(lines) if lines.count(line) > 1]
    return found


def _allowed(change: Change, allowed: Sequence[str]) -> bool:
    if change.field == "flow":  # adding, removing or moving steps reshapes the graph
        return "flow" in allowed or "steps" in allowed
    return change.field in DERIVED or any(
        change.where == a or change.where.startswith(a + " ") or change.field == a for a in allowed)


def judge_turn(turn: ChatTurn, before: ProcessDocument, after: ProcessDocument, reply: str,
               new_version: bool) -> TurnVerdict:
    """The verdict on one turn from the documents before and after it, its reply and whether it made a version."""
    changes = document_changes(before, after)
    makes_version = turn.kind == "edit" or (turn.kind == "version" and bool(turn.changes))
    problems: list[str] = []
    unasked = [c.line() for c in changes if not makes_version or not _allowed(c, turn.changes)]
    if makes_version and not new_version:
        problems.append(f"no new version (reply: {reply[:120]!r})")
    if not makes_version and new_version:
        problems.append("made a version")
    if makes_version and not any(_allowed(c, turn.changes) and c.field not in DERIVED for c in changes) and \
            "flow" not in turn.changes:
        problems.append(f"changed none of {turn.changes}")
    text = render_markdown(after)
    problems += [f"reply lacks '{k}'" for k in turn.reply if not contains_all(reply, [k])]
    problems += [f"reply says '{k}'" for k in turn.reply_absent if contains_all(reply, [k])]
    problems += [f"document lacks '{k}'" for k in turn.document if not contains_all(text, [k])]
    problems += [f"document still says '{k}'" for k in turn.absent if contains_all(text, [k])]
    problems += _duplicates(after)
    return TurnVerdict(say=turn.say, right=not problems and not unasked, unasked=unasked, problems=problems)


def _final(events: Sequence[object]) -> tuple[str, int | None]:
    last = events[-1] if events else None
    return str(getattr(last, "content", "")), getattr(last, "version", None)


def play_chat(designer: DesignerLike, case: EvalCase, suite: str) -> CaseRun:
    """Design the case, play its script turn by turn and judge each turn; the last document is scored as usual."""
    assert isinstance(case, ChatCase)
    thread_id = f"eval-{suite}-{case.id}"
    _, version = _final(designer.run_turn(thread_id, case.requirements))
    document = designer.document(thread_id)
    if document is None:
        raise LookupError(f"thread {thread_id} has no document after its design turn")
    verdicts: list[TurnVerdict] = []
    for turn in case.script:
        reply, now = _final(designer.run_turn(thread_id, turn.say))
        after = designer.document(thread_id) or document
        verdicts.append(judge_turn(turn, document, after, reply, now != version))
        document, version = after, now
    wrong = [f"{v.say}: {'; '.join(v.problems + [f'unasked: {u}' for u in v.unasked])}" for v in verdicts
             if not v.right]
    figures: dict[str, float | None] = {
        "turns": float(len(verdicts)),
        "turns_right": float(sum(v.right for v in verdicts)),
        "turns_unasked": float(sum(bool(v.unasked) for v in verdicts)),
    }
    return CaseRun(document, figures, {"turns": wrong} if wrong else {})


CASE_RUNNERS["chat"] = play_chat
