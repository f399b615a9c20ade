"""Deadlines: the point in time or the event a case must be done by ("ready for day one", "before the
audit") is a constraint of its own kind, and the design measures it."""

from __future__ import annotations

import pytest

from process_designer.designer import Designer
from process_designer.domain.models import Constraint, Requirement
from process_designer.language.constraints import find_constraints


@pytest.mark.parametrize("text, phrase, state", [
    ("getting a new starter ready for day one", "ready for day one", "ready for day one"),
    ("laptops must be set up by their first day", "set up by their first day", "set up by their first day"),
    ("evidence is collected before the audit", "before the audit", "done before the audit"),
    ("the board pack goes out in time for the board meeting", "in time for the board meeting",
     "done in time for the board meeting"),
    ("timesheets are submitted by Friday", "by Friday", "done by friday"),
])
def test_a_deadline_is_read_as_its_own_kind(text: str, phrase: str, state: str) -> None:
    deadlines = [c for c in find_constraints(text) if c.kind == "deadline"]
    assert [(c.text, c.unit) for c in deadlines] == [(f"Deadline: {phrase}", state)]


@pytest.mark.parametrize("text", [
    "the invoice is approved by the manager before payment",  # a performer and a step, not a date
    "check the stock before shipping",
    "the parcel is ready for collection",
    "before the manager approves it, the clerk checks the form",
    "the clerk files the forms sorted by date received",  # how work is sorted, not when it is due
    "defects are reported by day and shift",
])
def test_order_and_performers_are_no_deadline(text: str) -> None:
    assert not [c for c in find_constraints(text) if c.kind == "deadline"]


def test_a_service_level_keeps_what_it_counts_from() -> None:
    assert [c.text for c in find_constraints("refunds are paid within 5 days of the request")] == [
        "refunds are paid within 5 days of the request"]


def test_the_deadline_kind_is_part_of_the_model_and_its_schema() -> None:
    constraint = Constraint(text="Deadline: by Friday", kind="deadline")
    assert Constraint.model_validate(constraint.model_dump(mode="json")) == constraint
    assert "deadline" in Requirement.model_json_schema()["$defs"]["Constraint"]["properties"]["kind"]["enum"]


def test_a_drafted_design_measures_its_deadline(designer: Designer) -> None:
    document = designer.design("getting a new starter ready for day one")
    assert any(kpi.startswith("Deadline adherence: at least 95% of cases ready for day one")
               for kpi in document.monitoring), document.monitoring
