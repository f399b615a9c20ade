"""Markdown in the seed's structure and plain numbered lists read back into process documents."""

from __future__ import annotations

import pytest

from process_designer.domain.markdown import render_markdown
from process_designer.domain.models import ProcessDocument
from process_designer.maps.errors import MapError
from process_designer.maps.markdown_import import parse_markdown, parse_numbered_list

RENDERED_FIELDS = ("number", "name", "objective", "responsible", "duration", "actions", "validation", "code",
                   "depends_on")


def test_rendered_markdown_reads_back_to_the_same_document(expense_document: ProcessDocument) -> None:
    back = parse_markdown(render_markdown(expense_document), "expense.md")
    assert back.title == expense_document.title
    assert back.overview == expense_document.overview
    assert [s.model_dump(include=set(RENDERED_FIELDS)) for s in back.steps] == \
        [s.model_dump(include=set(RENDERED_FIELDS)) for s in expense_document.steps]
    assert (back.prerequisites, back.error_handling, back.monitoring, back.related_documents) == (
        ["Expense tool access"], ["Notify finance when payroll fails"], ["Claims reimbursed within 5 days"],
        ["Travel policy"])
    # The decisions, parallel work and loops the document shows are drawn from its graph, which a
    # markdown file gives back only as the steps' order; with the graph, the text is the same.
    assert "**Decision**: Receipts complete?" in render_markdown(expense_document)
    assert render_markdown(back.model_copy(update={"flow": expense_document.flow})) == render_markdown(expense_document)


def test_placeholders_read_as_empty_and_decision_actions_become_decisions(expense_document: ProcessDocument) -> None:
    step = expense_document.steps[0].model_copy(update={
        "validation": [], "actions": ["If amount is over 250 USD: route to the Manager for approval; "
                                      "otherwise approve automatically"]})
    document = expense_document.model_copy(update={"steps": [step], "prerequisites": [], "monitoring": []})
    back = parse_markdown(render_markdown(document))
    assert back.steps[0].validation == [] and back.prerequisites == [] and back.monitoring == []
    decision = back.steps[0].decisions[0]
    assert (decision.subject, decision.operator, decision.value, decision.if_true, decision.if_false) == (
        "amount", ">", 250, "route to the Manager for approval", "approve automatically")


def test_numbered_list_with_roles_durations_and_actions() -> None:
    document = parse_numbered_list(
        "Expense claims\n1. Submit claim (Employee, 10 minutes)\n   - Attach receipts\n2) Approve claim (Manager)\n"
        "3. Pay employee\n")
    assert document.title == "Expense claims"
    assert [(s.number, s.name, s.responsible, s.duration, s.actions, s.depends_on) for s in document.steps] == [
        (1, "Submit claim", "Employee", "10 minutes", ["Attach receipts"], []),
        (2, "Approve claim", "Manager", "Not specified", ["Approve claim"], [1]),
        (3, "Pay employee", "Unassigned", "Not specified", ["Pay employee"], [2]),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("just some words", "list.txt: has no numbered steps"),
        ("1. A\n3. B", "list.txt: line 2: item 3 follows item 1"),
        ("1. A\nstray text", "list.txt: line 2: is neither a numbered step"),
    ],
)
def test_bad_numbered_lists(text: str, message: str) -> None:
    with pytest.raises(MapError, match="^" + message):
        parse_numbered_list(text, "list.txt")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("## Overview\n", r"doc.md: line 1: has no '# Title - Process Documentation' heading"),
        ("# T\n## Overview\n", r"doc.md: ## Process Steps: the section is missing"),
        ("# T\n## Process Steps\n### Intro\n", r"doc.md: line 3: '### Intro' is not a 'Step N: Name' heading"),
        ("# T\n## Process Steps\n\n### Step 1: A\n**Objective**: o\n**Duration**: 1 hour\n",
         r"doc.md: line 4 \(Step 1\): has no \*\*Responsible\*\*"),
    ],
)
def test_bad_markdown_names_the_line(text: str, message: str) -> None:
    with pytest.raises(MapError, match="^" + message):
        parse_markdown(text, "doc.md")


def test_imported_lists_and_markdown_carry_their_graph(expense_document: ProcessDocument) -> None:
    listed = parse_numbered_list("Offboarding\n1. Record resignation (Manager)\n2. Revoke access (IT)\n"
                                 "3. Archive file (HR)\n")
    assert listed.flow.problems() == []
    assert [(n.id, n.performer) for n in listed.flow.nodes if n.kind == "task"] == [
        ("step_1", "Manager"), ("step_2", "IT"), ("step_3", "HR")]
    assert listed.flow.simulate({}).visited == [1, 2, 3]
    back = parse_markdown(render_markdown(expense_document))
    # Markdown keeps the steps' order and what each waits for; steps waiting for several run after all of them.
    assert back.flow.step_predecessors() == {1: [], 2: [1], 3: [2], 4: [2], 5: [2, 3, 4]}
    assert [n.kind for n in back.flow.nodes].count("parallel") == 2
