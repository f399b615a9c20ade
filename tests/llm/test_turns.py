"""Turns are recognised from the graph's step counter, per thread, so deadlines and usage need no hook."""

from __future__ import annotations

from process_designer.agents.llm.turns import TurnClock, graph_position


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_steps_of_one_run_share_a_turn_and_a_later_run_starts_another() -> None:
    clock = Clock()
    turns = TurnClock(clock)
    assert turns.enter("t1", 2) is True  # analyst
    clock.now = 103.0
    assert [turns.enter("t1", step) for step in (3, 4, 4, 6, 5)] == [False, False, False, False, True]
    assert turns.elapsed("t1") == 0.0
    clock.now = 110.0
    assert turns.enter("t1", 6) is False
    assert turns.enter("t1", 9) is True  # respond, input and route_turn lie between two runs
    assert turns.enter("t2", 1) is True
    assert turns.elapsed("t1") == 0.0


def test_explicit_turns_outside_a_graph() -> None:
    clock = Clock()
    turns = TurnClock(clock)
    assert graph_position() == ("-", None)
    turns.begin("-")
    clock.now = 104.5
    assert turns.enter("-", None) is False
    assert turns.elapsed("-") == 4.5
    turns.begin()
    assert turns.elapsed("-") == 0.0
    assert turns.enter("-", None) is True
