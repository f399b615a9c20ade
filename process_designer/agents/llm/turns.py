"""Where a call stands in its turn: the thread and graph step it runs in, and when that turn began.

The graph does not tell an engine that a turn started, so a turn is recognised from LangGraph's
step counter: the LLM-calling nodes of one run follow each other within two steps, while a new run
on a thread starts at least three steps after the previous run's last node (``respond``, the input
step and ``route_turn`` lie between) — or at a lower step on a fresh, uncheckpointed run.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["NO_THREAD", "TurnClock", "graph_position"]

NO_THREAD = "-"
_SAME_RUN_GAP = 2


def graph_position() -> tuple[str, int | None]:
    """``(thread_id, step)`` of the running LangGraph node; ``("-", None)`` outside a graph run."""
    try:
        from langgraph.config import get_config

        config = get_config()
    except RuntimeError:
        return NO_THREAD, None
    thread = str(config.get("configurable", {}).get("thread_id") or NO_THREAD)
    step = config.get("metadata", {}).get("langgraph_step")
    return thread, step if isinstance(step, int) else None


@dataclass
class _Turn:
    started: float
    last_step: int | None


class TurnClock:
    """Per-thread turn start times, for the per-turn deadline."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._turns: dict[str, _Turn] = {}

    def begin(self, thread_id: str | None = None) -> None:
        """Start a turn now on ``thread_id`` (every thread when None)."""
        with self._lock:
            if thread_id is None:
                self._turns.clear()
            else:
                self._turns[thread_id] = _Turn(self._clock(), None)

    def enter(self, thread_id: str, step: int | None) -> bool:
        """Note a call at ``step`` on ``thread_id``; True when it starts a new turn."""
        with self._lock:
            turn = self._turns.get(thread_id)
            fresh = turn is None or (step is not None and turn.last_step is not None
                                     and not 0 <= step - turn.last_step <= _SAME_RUN_GAP)
            if turn is None or fresh:
                turn = self._turns[thread_id] = _Turn(self._clock(), step)
            elif step is not None:
                turn.last_step = step
            return fresh

    def elapsed(self, thread_id: str) -> float:
        with self._lock:
            turn = self._turns.get(thread_id)
            return 0.0 if turn is None else self._clock() - turn.started
