"""Eval cases through the real designer do not depend on their order: what one case's edits teach stays in it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from process_designer.config import Settings
from process_designer.designer import Designer
from process_designer.evals.cases import EvalCase, GoldStep
from process_designer.evals.chat import ChatCase, ChatTurn
from process_designer.evals.metrics import CaseResult
from process_designer.evals.runner import run_cases
from process_designer.knowledge.embedding import get_embedder
from process_designer.knowledge.library import TemplateLibrary

OWNER = "Finance Operations"
# A chat case whose edit teaches the tenant a preferred owner and a name for the designer's approver role.
TEACHER = ChatCase(
    id="teacher", kind="chat", domain="finance", style="short",
    requirements="Purchase requests: the employee submits the request, it is approved, then the buyer orders the goods",
    gold_steps=[GoldStep(name="Submit request")],
    script=[ChatTurn(say=f"make {OWNER} the process owner", kind="edit", changes=["owner"], document=[OWNER])],
)
# A case that names no owner: its document must not carry the owner another case taught.
LEARNER = EvalCase(
    id="learner", domain="hr", style="short",
    requirements="Leave requests: the employee asks for leave in the HRIS, the manager decides, HR updates the balance",
    gold_steps=[GoldStep(name="Request leave"), GoldStep(name="Decide request"), GoldStep(name="Update balance")],
    final_must_not_contain=[[OWNER]],
)


@pytest.fixture
def fresh_designer(tmp_path: Path, library: TemplateLibrary) -> Iterator[Designer]:
    """A designer that has learned nothing yet (its own feedback store), on the shared template index."""
    designer = Designer(Settings(data_dir=tmp_path / "data"), library=library)
    try:
        yield designer
    finally:
        designer.close()


def _comparable(result: CaseResult) -> dict[str, object]:
    return result.model_dump(exclude={"latency_s"})


def test_a_case_scores_the_same_alone_and_after_a_case_that_taught_an_owner(fresh_designer: Designer) -> None:
    embedder = get_embedder()
    alone = run_cases([LEARNER], fresh_designer, embedder, suite="isolation").results[0]
    after = run_cases([TEACHER, LEARNER], fresh_designer, embedder, suite="isolation").results
    assert after[0].figures["turns_right"] == 1.0, after[0].missed  # the owner was taught
    assert alone.final_coverage == 1.0, alone.missed
    assert _comparable(after[1]) == _comparable(alone)
