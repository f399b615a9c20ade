"""Playing the chat-script eval cases (``evals/suites/chat.jsonl``) over any transport, judged turn by turn."""

from __future__ import annotations

from collections.abc import Iterable

from process_designer.domain.models import ProcessDocument
from process_designer.evals.cases import load_suite
from process_designer.evals.chat import ChatCase, ChatTurn, judge_turn


def script(case_id: str, kinds: Iterable[str] = ("edit", "question", "version", "refuse")) -> tuple[str, list[ChatTurn]]:
    """The design text and the turns of a chat case."""
    case = next(c for c in load_suite("chat") if c.id == case_id)
    assert isinstance(case, ChatCase)
    wanted = set(kinds)
    return case.requirements, [turn for turn in case.script if turn.kind in wanted]


def judge_all(turns: list[ChatTurn], documents: list[ProcessDocument | None],
              finals: list[tuple[str, int | None]], version: int | None) -> list[tuple[str, list[str], list[str]]]:
    """The turns that went wrong, with their problems and unasked changes.

    ``documents`` holds the document before the first turn and after each; ``finals`` the final
    reply and version of each turn; ``version`` the version before the first turn.
    """
    wrong = []
    for index, turn in enumerate(turns):
        before, after = documents[index], documents[index + 1]
        assert before is not None and after is not None
        reply, now = finals[index]
        verdict = judge_turn(turn, before, after, reply, now != version)
        if not verdict.right:
            wrong.append((turn.say, verdict.problems, verdict.unasked))
        version = now
    return wrong
