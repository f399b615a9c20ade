"""Chat edits change what was asked and keep the prose that names it in step (issue 20)."""

from __future__ import annotations

import re

import pytest

from process_designer.agents.writer.edit_reading import decision_of, step_name
from process_designer.agents.writer.edits import apply_edit
from process_designer.designer import Designer
from process_designer.domain.markdown import render_markdown
from process_designer.domain.models import ProcessDocument

REFUND = (
    "When a refund request arrives, look up the order in the CRM; if the order is older than 30 days reject it; "
    "if the amount is over $500 a manager approves; issue the refund in billing; e-mail the customer; "
    "close the ticket"
)
DISCOUNT = (
    "When a quote is drafted, the account executive checks the discount; if the discount is above 25% the sales "
    "director approves it; the account executive sends the quote to the customer"
)


def _quoted(questions: list[str]) -> list[tuple[int, str]]:
    return [(int(n), name) for q in questions for n, name in re.findall(r"(\d+) \('(.*?)'\)", q)]


def _designed(designer: Designer, thread: str) -> ProcessDocument:
    designer.run_turn(thread, REFUND)
    document = designer.document(thread)
    assert document is not None
    return document


def test_a_rename_renames_the_step_in_the_open_questions_too(designer: Designer) -> None:
    number, old = _quoted(_designed(designer, "rename-questions").open_questions)[0]

    designer.run_turn("rename-questions", f"rename step {number} to Verify the refund case")

    renamed = designer.document("rename-questions")
    assert renamed is not None and renamed.steps[number - 1].name == "Verify the refund case"
    assert (number, "Verify the refund case") in _quoted(renamed.open_questions)
    assert old not in render_markdown(renamed)


def test_an_owner_edit_answers_the_question_who_performs_that_step(designer: Designer) -> None:
    document = _designed(designer, "owner-questions")
    asked = _quoted([q for q in document.open_questions if q.startswith("Who performs")])
    assert len(asked) >= 2

    designer.run_turn("owner-questions", f"assign step {asked[0][0]} to the Refund Auditor")

    after = designer.document("owner-questions")
    assert after is not None and after.steps[asked[0][0] - 1].responsible == "Refund Auditor"
    assert _quoted([q for q in after.open_questions if q.startswith("Who performs")]) == asked[1:]
    assert [q for q in after.open_questions if not q.startswith("Who performs")] == \
        [q for q in document.open_questions if not q.startswith("Who performs")]


def test_open_questions_follow_the_steps_when_one_is_added_or_removed(designer: Designer) -> None:
    document = _designed(designer, "moved-questions")
    number, name = next((n, name) for n, name in _quoted(document.open_questions) if n >= 2)

    designer.run_turn("moved-questions", "add a fraud check before step 2")
    added = designer.document("moved-questions")
    assert added is not None and added.steps[number].name == name

    quoted = _quoted(added.open_questions)
    assert (number + 1, name) in quoted and (number, name) not in quoted
    assert all(added.steps[n - 1].name == quoted_name for n, quoted_name in quoted)

    last, last_name = max(quoted)
    designer.run_turn("moved-questions", f"remove step {last}")
    removed = designer.document("moved-questions")
    assert removed is not None and last_name not in [name for _, name in _quoted(removed.open_questions)]


@pytest.mark.parametrize("stated_unit", ["%", ""])
def test_a_percent_threshold_reads_as_a_percent_wherever_it_is_written(designer: Designer, stated_unit: str) -> None:
    document = designer.design(DISCOUNT)
    number, index = next((s.number, i) for s in document.steps for i, d in enumerate(s.decisions)
                         if d.subject.endswith("percent"))
    step = document.steps[number - 1]
    decisions = list(step.decisions)
    decisions[index] = decisions[index].model_copy(update={"unit": stated_unit})  # a template may leave it out
    steps = [step.model_copy(update={"decisions": decisions}) if s.number == number else s for s in document.steps]
    document = document.model_copy(update={"steps": steps})

    result = apply_edit(document, "make the discount threshold 20%")

    text = render_markdown(result.document)
    assert "20%" in text
    assert "%%" not in text and "20 %" not in text
    assert "20%" in result.summary and "(was 25%)" in result.summary
    edges = [e for e in result.document.effective_flow().edges if e.rules and e.rules[0].subject.endswith("percent")]
    assert edges and all(e.rules[0].value == 20 and e.rules[0].unit == "%" for e in edges)


def test_edit_phrases_are_read_with_the_analysts_reader() -> None:
    decision = decision_of("if the order is older than 30 days", "reject it")
    assert decision is not None
    assert (decision.subject, decision.operator, decision.value, decision.unit) == ("order_age_days", ">", 30, "days")
    assert decision_of("if", "") is None
    assert [step_name(p) for p in ("notify the stakeholders", "page the CISO", "check for fraud", "a budget check")] \
        == ["Notify stakeholders", "Page CISO", "Check for fraud", "Budget check"]


def test_a_step_added_by_chat_takes_the_performer_its_words_name(designer: Designer) -> None:
    document = _designed(designer, "chat-performer")

    changed = apply_edit(document, "plus a treasury controller approval for anything above $2000 after step 2")

    added = next(s for s in changed.document.steps if "approval" in s.name.lower())
    assert (added.responsible, added.performer_source) == ("Treasury Controller", "stated"), added
