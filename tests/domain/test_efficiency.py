"""Durations keep working time and calendar waits apart; the critical path runs over the process graph."""

from __future__ import annotations

import pytest

from process_designer.agents.reviewer import analyse_efficiency, review_document
from process_designer.domain.durations import Span, format_span, parse_duration, parse_span
from process_designer.domain.models import Overview, ProcessDocument, Step
from tests.graph_documents import claim, onboarding, purchase


@pytest.mark.parametrize(("text", "span"), [
    ("75 minutes", Span(work_minutes=75)),
    ("2 business days", Span(work_minutes=960)),
    ("1-2 hours", Span(work_minutes=120)),
    ("3 working days", Span(work_minutes=1440)),
    ("14 days", Span(calendar_days=14)),
    ("2 weeks", Span(calendar_days=14)),
    ("5 calendar days", Span(calendar_days=5)),
    ("1 month", Span(calendar_days=30)),
])
def test_durations_are_working_time_or_calendar_time(text: str, span: Span) -> None:
    assert parse_span(text) == span


def test_a_calendar_day_is_never_a_24_hour_working_day() -> None:
    assert parse_duration("14 days") == 4800.0  # the 10 business days that pass in two calendar weeks
    assert parse_duration("1 business day") == 480.0
    assert format_span(Span(75, 14)) == "14 calendar days and 1.2 hours of work"
    assert format_span(Span(75)) == "1.2 hours"
    assert format_span(Span(calendar_days=1)) == "1 calendar day"


def test_onboarding_with_a_wait_keeps_its_units() -> None:
    document = onboarding()  # 30 + 30 + 15 minutes of work and one 14-day wait beside the laptop set-up
    efficiency = analyse_efficiency(document.steps, document.flow)
    assert (efficiency.total_work_minutes, efficiency.total_wait_days) == (75.0, 14.0)
    assert efficiency.critical_path == [1, 2, 4]  # the wait, not the laptop, holds the welcome meeting back
    assert (efficiency.critical_path_work_minutes, efficiency.critical_path_wait_days) == (45.0, 14.0)
    assert efficiency.critical_path_minutes == 4845.0  # 10.1 business days, not 63.2
    assert efficiency.parallel_groups == [[2, 3]]
    assert efficiency.bottlenecks == [2]


def test_the_critical_path_takes_the_longest_alternative_and_says_which() -> None:
    document = purchase()
    efficiency = analyse_efficiency(document.steps, document.flow)
    # 15 min + CFO 1 business day + order 2 h (longer than budgeting, 30 min) + close 10 min
    assert efficiency.critical_path == [1, 2, 5, 7]
    assert efficiency.critical_path_minutes == 625.0
    assert efficiency.critical_path_branches == ["Amount over 10,000? → amount over 10,000", "Approved? → approved"]
    assert efficiency.parallel_groups == [[5, 6]]
    assert efficiency.total_minutes == 785.0  # every step once, alternatives included
    looped = analyse_efficiency(claim().steps, claim().flow)
    assert looped.critical_path == [1, 2, 3, 4] and looped.critical_path_branches == ["Recommendation OK? → otherwise"]


def test_without_a_flow_the_graph_is_the_steps_depends_on() -> None:
    steps = [Step(number=1, name="A", objective="a", responsible="X", duration="1 hour"),
             Step(number=2, name="B", objective="b", responsible="Y", duration="2 hours", depends_on=[1]),
             Step(number=3, name="C", objective="c", responsible="Y", duration="30 minutes", depends_on=[1]),
             Step(number=4, name="D", objective="d", responsible="X", duration="10 minutes", depends_on=[2, 3])]
    efficiency = analyse_efficiency(steps)
    assert (efficiency.critical_path, efficiency.critical_path_minutes, efficiency.handoffs) == ([1, 2, 4], 190.0, 4)
    assert efficiency.parallel_groups == [[2, 3]]


def test_the_quality_report_states_the_units_and_the_branch() -> None:
    report = review_document(onboarding())
    assert ("Efficiency: 14 calendar days and 1.2 hours of work in all steps, critical path 14 calendar days and "
            "45 minutes of work through steps 1, 2, 4, 3 hand-off(s) between roles") in report.findings
    report = review_document(purchase())
    assert ("Efficiency: the critical path takes the longest branch of each decision: Amount over 10,000? → amount "
            "over 10,000; Approved? → approved") in report.findings
    empty = ProcessDocument(title="E", overview=Overview(purpose="p", scope="s", owner="o", last_updated="d"))
    assert analyse_efficiency(empty.steps).critical_path == []
