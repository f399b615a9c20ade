"""What the four LLM engines share: their models, the caller, JSON repair, partial tokens and fallback."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, ValidationError

from process_designer.agents.llm.calls import ModelCaller, TokenSink
from process_designer.agents.llm.structured import (
    StructuredFailure,
    problem_of,
    repair_request,
    validate,
)
from process_designer.agents.llm.turns import graph_position
from process_designer.config import Settings
from process_designer.errors import EngineError

__all__ = ["LLMRuntime", "PartialListener"]

T = TypeVar("T", bound=BaseModel)
R = TypeVar("R")
PartialListener = Callable[[str, str], None]  # (agent, text) of a partial answer
log = logging.getLogger(__name__)


def _graph_stream(event: dict[str, object]) -> None:
    """Emit a LangGraph custom stream event; a no-op outside a graph run."""
    try:
        from langgraph.config import get_stream_writer

        writer = get_stream_writer()
    except RuntimeError:
        return
    writer(event)


@dataclass
class LLMRuntime:
    """Settings, one chat model per agent, the caller, and who hears partial tokens."""

    settings: Settings
    models: Mapping[str, BaseChatModel]
    caller: ModelCaller
    listeners: list[PartialListener] = field(default_factory=list)

    def sink(self, agent: str) -> TokenSink:
        """A token sink for ``agent``'s prose: the graph's custom stream and every listener."""
        def emit(text: str) -> None:
            _graph_stream({"agent": agent, "partial": text})
            for listener in self.listeners:
                listener(agent, text)
        return TokenSink(emit, lambda: _graph_stream({"agent": agent, "partial": "", "restart": True}))

    def call(self, agent: str, messages: list[BaseMessage], stream_as: str | None = None,
             sink: TokenSink | None = None) -> AIMessage:
        if sink is None and stream_as:
            sink = self.sink(stream_as)
        return self.caller.call(agent, self.models[agent], messages, on_token=sink)

    def ask(self, agent: str, system: str, user: str, schema: type[T], stream_as: str | None = None) -> T:
        """``schema`` from the model; malformed or schema-violating answers are sent back for repair."""
        messages: list[BaseMessage] = [SystemMessage(content=system), HumanMessage(content=user)]
        # One sink for every repair round, so a repaired answer restarts the stream it replaces.
        sink = self.sink(stream_as) if stream_as else None
        problem = ""
        for _ in range(self.settings.llm_repairs + 1):
            answer = self.call(agent, messages, sink=sink)
            try:
                return validate(schema, answer)
            except (StructuredFailure, ValidationError) as exc:
                problem = problem_of(exc)
                log.info("%s answer rejected: %s", agent, problem)
                messages += repair_request(answer, problem)
        raise EngineError(f"the model's answer for the {agent} did not fit the expected JSON after "
                          f"{self.settings.llm_repairs + 1} attempt(s) ({problem}); try again or use another model")

    def or_offline(self, agent: str, attempt: Callable[[], R], offline: Callable[[], R]) -> R:
        """``attempt()``; on EngineError the offline engine's result when PD_LLM_FALLBACK_OFFLINE is on."""
        try:
            return attempt()
        except EngineError as exc:
            if not self.settings.llm_fallback_offline:
                raise
            log.warning("%s falls back to the offline engine: %s", agent, exc)
            self.caller.meter.record_fallback(agent, graph_position()[0])
            return offline()
