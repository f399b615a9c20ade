"""Gap analysis between a hand-built five-step current process and a seven-step desired one."""

from __future__ import annotations

import pytest

from process_designer.domain.durations import format_minutes
from process_designer.domain.models import Overview, ProcessDocument
from process_designer.maps.gap import compare, render, similarity
from tests.maps.conftest import make_step

OVERVIEW = Overview(purpose="p", scope="s", owner="Finance", last_updated="2026-03-02")


def _current() -> ProcessDocument:
    steps = [
        make_step(1, "Submit claims", "Employee", validation=["Claim is recorded"]),
        make_step(2, "Check receipts", "Finance Clerk", validation=[]),
        make_step(3, "Reimburse employee", "Finance Clerk", validation=["Payment is sent"]),
        make_step(4, "Approval by manager", "Manager", duration="2 business days", validation=[]),
        make_step(5, "Archive claim", "Records Clerk"),
    ]
    return ProcessDocument(title="Claims today", overview=OVERVIEW, steps=steps,
                           error_handling=["Retry failed payments"], monitoring=[])


def _desired() -> ProcessDocument:
    steps = [
        make_step(1, "Submit claim", "Employee", validation=["Claim is recorded"]),
        make_step(2, "Check receipts", "Finance Clerk", validation=["Every receipt is attached"]),
        make_step(3, "Manager approval", "Manager", duration="1 business day",
                  validation=["Approval is logged with the approver"]),
        make_step(4, "Audit sample", "Auditor"),
        make_step(5, "Reimburse employee", "Finance Clerk", validation=["Payment is sent"]),
        make_step(6, "Notify employee", "Finance Clerk"),
        make_step(7, "Archive claim", "Records Clerk"),
    ]
    return ProcessDocument(title="Claims tomorrow", overview=OVERVIEW, steps=steps,
                           error_handling=["Retry failed payments", "Escalate claims stuck for 3 days"],
                           monitoring=["Claims paid within 5 days"])


def test_similarity_matches_reworded_names() -> None:
    assert similarity("Approval by manager", "Manager approval") == 1.0
    assert similarity("Submit claims", "Submit claim") == 1.0
    assert similarity("Audit sample", "Archive claim") < 0.6


def test_gap_report_names_new_steps_order_validations_handoffs_and_durations() -> None:
    report = compare(_current(), _desired())
    assert report.missing_steps == ["Step 4: Audit sample", "Step 6: Notify employee"]
    assert report.extra_steps == []
    assert [(m.step, m.current_position, m.desired_position) for m in report.reordered] == [
        ("Reimburse employee", 3, 5)]
    assert [(g.step, g.missing) for g in report.missing_validations] == [
        ("Check receipts", ["Every receipt is attached"]),
        ("Manager approval", ["Approval is logged with the approver"])]
    assert report.missing_error_handling == ["Escalate claims stuck for 3 days"]
    assert report.missing_kpis == ["Claims paid within 5 days"]
    assert report.handoffs_added == ["Auditor → Finance Clerk", "Finance Clerk → Records Clerk", "Manager → Auditor"]
    assert report.handoffs_removed == ["Manager → Records Clerk"]
    assert [(c.step, c.current, c.desired, c.minutes_delta) for c in report.duration_changes] == [
        ("Manager approval", "2 business days", "1 business day", -480.0)]
    assert [(o.kind, o.steps, o.critical_path_minutes_before, o.critical_path_minutes_after)
            for o in report.optimisations] == [("parallelise", [6, 7], 570.0, 555.0)]


def test_rendered_report() -> None:
    assert render(compare(_current(), _desired())) == """\
Gap analysis: Claims today (current) → Claims tomorrow (desired)
Missing steps:
  - Step 4: Audit sample
  - Step 6: Notify employee
Changed order:
  - Reimburse employee: position 3 → 5
Missing validations:
  - Check receipts: Every receipt is attached
  - Manager approval: Approval is logged with the approver
Missing error handling:
  - Escalate claims stuck for 3 days
Missing KPIs:
  - Claims paid within 5 days
Hand-offs added:
  - Auditor → Finance Clerk
  - Finance Clerk → Records Clerk
  - Manager → Auditor
Hand-offs removed:
  - Manager → Records Clerk
Duration changes:
  - Manager approval: 2 business days → 1 business day (-1 business day)
Total duration: 2.1 business days → 1.2 business days
Optimisations of the desired process:
  - Run step 6 'Notify employee' alongside step 7 'Archive claim': start them after step 5 'Reimburse employee' \
— a notification or record produces nothing the following steps read. Critical path 9 h 30 min → 9 h 15 min \
(-15 minutes); total 9 h 30 min (unchanged); hand-offs 5 → 5
"""


def test_identical_processes_have_no_gaps() -> None:
    report = compare(_desired(), _desired())
    assert not report.has_gaps
    assert render(report).splitlines()[1] == "No gaps: the current process already matches the desired one."


@pytest.mark.parametrize(("minutes", "text"), [
    (1, "1 minute"), (45, "45 minutes"), (60, "1 hour"), (155, "2.6 hours"),
    (480, "1 business day"), (915, "1.9 business days"), (1020, "2.1 business days"),
])
def test_durations_read_to_one_decimal_with_singular_units(minutes: float, text: str) -> None:
    assert format_minutes(minutes) == text
