"""The LLM engine of the four agents: any OpenAI-compatible endpoint through langchain-openai.

``build_engines(settings)`` checks the endpoint, then returns :class:`LLMEngines` — the usual
:class:`AgentEngines` plus ``begin_turn()``, ``usage_snapshot()`` and partial-token listeners.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from langchain_core.language_models import BaseChatModel

from process_designer.agents.engines import AgentEngines
from process_designer.agents.llm.analyst import LLMAnalyst
from process_designer.agents.llm.calls import ModelCaller
from process_designer.agents.llm.client import AGENTS, chat_model, check_endpoint
from process_designer.agents.llm.coder import LLMCoder
from process_designer.agents.llm.reviewer import LLMReviewer
from process_designer.agents.llm.runtime import LLMRuntime, PartialListener
from process_designer.agents.llm.usage import UsageMeter
from process_designer.agents.llm.writer import LLMWriter
from process_designer.config import Settings

__all__ = ["LLMEngines", "PartialListener", "UsageMeter", "build_engines", "check_endpoint", "llm_engines"]


@dataclass(frozen=True)
class LLMEngines(AgentEngines):
    """The four LLM engines sharing one runtime (models, retries, deadline, usage)."""

    runtime: LLMRuntime | None = field(default=None, compare=False)

    def _runtime(self) -> LLMRuntime:
        assert self.runtime is not None, "LLMEngines are built by llm_engines() or build_engines()"
        return self.runtime

    def begin_turn(self, thread_id: str | None = None) -> None:
        """Start a turn of ``thread_id`` (every thread when None): its deadline and usage counters.

        Optional inside the designer graph, where a new run on a thread is recognised by itself.
        """
        self._runtime().caller.begin_turn(thread_id)

    def usage_snapshot(self, thread_id: str = "-") -> dict[str, Any]:
        """Calls, attempts, tokens and cost of ``thread_id``'s current turn, of the thread, and of everything."""
        return self._runtime().caller.meter.snapshot(thread_id)

    def add_partial_listener(self, listener: PartialListener) -> None:
        """Call ``listener(agent, text)`` for every token of streamed prose (the writer's)."""
        self._runtime().listeners.append(listener)


def llm_engines(settings: Settings, models: Mapping[str, BaseChatModel] | None = None) -> LLMEngines:
    """The engines on ``models`` (default: one ``ChatOpenAI`` per agent from ``settings``), unchecked."""
    meter = UsageMeter(settings.llm_price_input, settings.llm_price_output)
    caller = ModelCaller(retries=settings.llm_retries, backoff=settings.llm_backoff,
                         turn_deadline=settings.llm_turn_deadline, meter=meter)
    chosen = dict(models) if models is not None else {agent: chat_model(settings, agent) for agent in AGENTS}
    runtime = LLMRuntime(settings=settings, models=chosen, caller=caller)
    return LLMEngines(LLMAnalyst(runtime), LLMWriter(runtime), LLMCoder(runtime), LLMReviewer(runtime),
                      runtime=runtime)


def build_engines(settings: Settings) -> LLMEngines:
    """Check the endpoint (reachable, serves the models), then build the engines; EngineError if not."""
    check_endpoint(settings)
    return llm_engines(settings)
