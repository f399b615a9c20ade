"""Token and cost accounting of LLM calls, per agent, per thread and per turn."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, Field

__all__ = ["UsageMeter", "UsageTotals"]


class UsageTotals(BaseModel):
    """Counters of one scope (a turn, a thread, an agent or everything)."""

    calls: int = 0
    attempts: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int = 0
    cost_usd: float = 0.0
    fallbacks: int = 0
    tool_calls: int = 0
    tool_errors: int = 0
    by_agent: dict[str, UsageTotals] = Field(default_factory=dict)

    def _add(self, agent: str, input_tokens: int, output_tokens: int, cost: float, *, calls: int,
             attempts: int, fallbacks: int, tool_calls: int = 0, tool_errors: int = 0, nested: bool = True) -> None:
        self.calls += calls
        self.tool_calls += tool_calls
        self.tool_errors += tool_errors
        self.attempts += attempts
        self.input_tokens += input_tokens
        self.output_tokens += output_tokens
        self.total_tokens += input_tokens + output_tokens
        self.cost_usd = round(self.cost_usd + cost, 8)
        self.fallbacks += fallbacks
        if nested:
            self.by_agent.setdefault(agent, UsageTotals())._add(
                agent, input_tokens, output_tokens, cost, calls=calls, attempts=attempts, fallbacks=fallbacks,
                tool_calls=tool_calls, tool_errors=tool_errors, nested=False)


class UsageMeter:
    """Thread-safe accumulator; ``snapshot()`` is what the designer attaches to a turn's final message.

    Prices are US dollars per million tokens (``PD_LLM_PRICE_INPUT`` / ``PD_LLM_PRICE_OUTPUT``).
    """

    def __init__(self, price_input: float = 0.0, price_output: float = 0.0) -> None:
        self._price_input = price_input
        self._price_output = price_output
        self._lock = threading.Lock()
        self._total = UsageTotals()
        self._turns: dict[str, UsageTotals] = {}
        self._threads: dict[str, UsageTotals] = {}

    def begin_turn(self, thread_id: str | None = None) -> None:
        """Start counting a new turn of ``thread_id`` (of every thread when None)."""
        with self._lock:
            if thread_id is None:
                self._turns.clear()
            else:
                self._turns[thread_id] = UsageTotals()

    def record(self, agent: str, thread_id: str, usage: Mapping[str, Any] | None, *, attempts: int = 1) -> None:
        """Count one answered call (``usage`` as in ``AIMessage.usage_metadata``) and its attempts."""
        input_tokens = int((usage or {}).get("input_tokens", 0) or 0)
        output_tokens = int((usage or {}).get("output_tokens", 0) or 0)
        cost = (input_tokens * self._price_input + output_tokens * self._price_output) / 1_000_000
        self._add(agent, thread_id, input_tokens, output_tokens, cost, calls=1, attempts=attempts, fallbacks=0)

    def record_failure(self, agent: str, thread_id: str, attempts: int) -> None:
        """Count attempts that ended without an answer."""
        self._add(agent, thread_id, 0, 0, 0.0, calls=0, attempts=attempts, fallbacks=0)

    def record_fallback(self, agent: str, thread_id: str) -> None:
        """Count a result the offline engine produced because the model failed."""
        self._add(agent, thread_id, 0, 0, 0.0, calls=0, attempts=0, fallbacks=1)

    def record_tools(self, agent: str, thread_id: str, calls: int, failed: int) -> None:
        """Count tool calls the model made (``failed``: bad arguments, unknown tools, tool errors)."""
        self._add(agent, thread_id, 0, 0, 0.0, calls=0, attempts=0, fallbacks=0, tool_calls=calls, tool_errors=failed)

    def _add(self, agent: str, thread_id: str, input_tokens: int, output_tokens: int, cost: float, *,
             calls: int, attempts: int, fallbacks: int, tool_calls: int = 0, tool_errors: int = 0) -> None:
        with self._lock:
            for scope in (self._total, self._turns.setdefault(thread_id, UsageTotals()),
                          self._threads.setdefault(thread_id, UsageTotals())):
                scope._add(agent, input_tokens, output_tokens, cost, calls=calls, attempts=attempts,
                           fallbacks=fallbacks, tool_calls=tool_calls, tool_errors=tool_errors)

    def snapshot(self, thread_id: str = "-") -> dict[str, Any]:
        """``{"turn", "thread", "total"}`` for ``thread_id`` (``"-"``: calls made outside a graph run)."""
        with self._lock:
            return {"turn": self._turns.get(thread_id, UsageTotals()).model_dump(),
                    "thread": self._threads.get(thread_id, UsageTotals()).model_dump(),
                    "total": self._total.model_dump()}
