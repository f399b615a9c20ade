"""The LLM engine of the four agents: any OpenAI-compatible endpoint through langchain-openai.

``build_engines(settings)`` checks the endpoint and finds how it takes structured answers, then returns
:class:`LLMEngines` — the usual :class:`AgentEngines` plus ``begin_turn()``, ``usage_snapshot()``,
partial-token listeners and the template search the analyst's tool uses.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from langchain_core.language_models import BaseChatModel

from process_designer.agents.engines import AgentEngines
from process_designer.agents.llm.analyst import LLMAnalyst
from process_designer.agents.llm.calls import ModelCaller
from process_designer.agents.llm.client import (
    AGENTS,
    chat_model,
    check_endpoint,
    endpoint_url,
    model_name,
)
from process_designer.agents.llm.coder import LLMCoder
from process_designer.agents.llm.modes import StructuredMode, configured_mode, detect_mode
from process_designer.agents.llm.reviewer import LLMReviewer
from process_designer.agents.llm.runtime import LLMRuntime, PartialListener
from process_designer.agents.llm.usage import UsageMeter
from process_designer.agents.llm.writer import LLMWriter
from process_designer.config import Settings
from process_designer.tools.functions import TemplateSearch

__all__ = ["LLMEngines", "PartialListener", "UsageMeter", "build_engines", "check_endpoint", "detect_modes",
           "llm_engines"]


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

    def use_template_search(self, search: TemplateSearch) -> None:
        """Let the analyst's ``search_templates`` tool search with ``search`` (the designer's library)."""
        self._runtime().template_search = search

    def structured_modes(self) -> dict[str, StructuredMode]:
        """How each agent asks for structured answers now (a refusal at run time moves an agent down)."""
        runtime = self._runtime()
        return {agent: runtime.mode(agent) for agent in AGENTS}

    def describe(self) -> str:
        """The start-up line: endpoint, models and structured-output mode."""
        runtime = self._runtime()
        modes = self.structured_modes()
        groups: dict[tuple[str, str], list[str]] = {}
        for agent in AGENTS:
            groups.setdefault((model_name(runtime.settings, agent), modes[agent]), []).append(agent)
        how = "set by PD_LLM_STRUCTURED" if configured_mode(runtime.settings) else "detected"
        chosen = "; ".join(f"{model} {mode}" + (f" ({', '.join(agents)})" if len(groups) > 1 else "")
                           for (model, mode), agents in groups.items())
        return f"LLM engine: {endpoint_url(runtime.settings)}, structured outputs {how}: {chosen}"


def llm_engines(settings: Settings, models: Mapping[str, BaseChatModel] | None = None,
                modes: Mapping[str, StructuredMode] | None = None) -> LLMEngines:
    """The engines on ``models`` (default: one ``ChatOpenAI`` per agent from ``settings``), unchecked.

    ``modes`` says how each agent asks for structured answers; default ``PD_LLM_STRUCTURED``, and for
    ``auto`` json_schema, falling back when the endpoint refuses it.
    """
    meter = UsageMeter(settings.llm_price_input, settings.llm_price_output)
    caller = ModelCaller(retries=settings.llm_retries, backoff=settings.llm_backoff,
                         turn_deadline=settings.llm_turn_deadline, meter=meter)
    chosen = dict(models) if models is not None else {agent: chat_model(settings, agent) for agent in AGENTS}
    forced = configured_mode(settings)
    chosen_modes = dict(modes) if modes is not None else {agent: forced for agent in AGENTS if forced}
    runtime = LLMRuntime(settings=settings, models=chosen, caller=caller, modes=chosen_modes)
    return LLMEngines(LLMAnalyst(runtime), LLMWriter(runtime), LLMCoder(runtime), LLMReviewer(runtime),
                      runtime=runtime)


def detect_modes(settings: Settings) -> dict[str, StructuredMode]:
    """Each agent's structured-output mode: ``PD_LLM_STRUCTURED``, or probed once per model (cached)."""
    forced = configured_mode(settings)
    return {agent: forced or detect_mode(settings, model_name(settings, agent)) for agent in AGENTS}


def build_engines(settings: Settings) -> LLMEngines:
    """Check the endpoint (reachable, serves the models), find how it takes structured answers, then
    build the engines and say so on stderr; EngineError if the endpoint is not usable."""
    check_endpoint(settings)
    engines = llm_engines(settings, modes=detect_modes(settings))
    print(engines.describe(), file=sys.stderr, flush=True)
    return engines
