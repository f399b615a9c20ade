"""What the four LLM engines share: their models, the caller, structured answers with repair, tool
calls, partial tokens and fallback."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolCall,
    ToolMessage,
)
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from pydantic import BaseModel, ValidationError

from process_designer.agents.llm.calls import ModelCaller, RequestRejected, TokenSink
from process_designer.agents.llm.modes import StructuredMode, bind_structured, next_mode
from process_designer.agents.llm.prompts import answer_instruction
from process_designer.agents.llm.structured import (
    StructuredFailure,
    problem_of,
    repair_request,
    validate,
)
from process_designer.agents.llm.turns import graph_position
from process_designer.config import Settings
from process_designer.errors import EngineError
from process_designer.tools.agent_tools import run_tool_calls
from process_designer.tools.functions import TemplateSearch

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


def _fits(schema: type[BaseModel], args: Mapping[str, Any]) -> bool:
    try:
        schema.model_validate(dict(args))
    except ValidationError:
        return False
    return True


@dataclass
class LLMRuntime:
    """Settings, one chat model per agent, the caller, and who hears partial tokens."""

    settings: Settings
    models: Mapping[str, BaseChatModel]
    caller: ModelCaller
    listeners: list[PartialListener] = field(default_factory=list)
    modes: dict[str, StructuredMode] = field(default_factory=dict)  # per agent; json_schema when absent
    tools_refused: set[str] = field(default_factory=set)  # agents whose endpoint refused tools
    template_search: TemplateSearch | None = None  # the library search the analyst's tool uses

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

    def mode(self, agent: str) -> StructuredMode:
        """How ``agent``'s model is asked for structured answers (json_schema until told otherwise)."""
        return self.modes.get(agent, "json_schema")

    def _fall_back(self, agent: str, structured: bool, offered: bool, exc: RequestRejected) -> bool:
        """After the endpoint refused a request: ask without tools first; when that is refused too, the
        tools were not the cause — offer them again in the next mode. False when nothing is left."""
        if offered:
            log.warning("%s: the endpoint refused the request (%s); asking without tools", agent, exc)
            self.tools_refused.add(agent)
            return True
        self.tools_refused.discard(agent)
        following = next_mode(self.mode(agent)) if structured else None
        if following is None:
            return False
        log.warning("%s: the endpoint refused %s; asking with %s", agent, self.mode(agent), following)
        self.modes[agent] = following
        return True

    def _once(self, agent: str, messages: list[BaseMessage], system: str, schema: type[BaseModel] | None,
              tools: Sequence[BaseTool], sink: TokenSink | None) -> AIMessage:
        """One answer in the agent's current mode, falling back while the endpoint refuses the request."""
        while True:
            offered = () if agent in self.tools_refused else tools
            mode = self.mode(agent)
            if schema is None:
                bound: Runnable[Any, Any] = self.models[agent].bind_tools(list(offered)) if offered else self.models[agent]
                text = system
            else:
                bound = bind_structured(self.models[agent], schema, mode, offered)
                text = system + "\n\n" + answer_instruction(mode, schema)
            try:
                return self.caller.call(agent, self.models[agent], [SystemMessage(content=text), *messages[1:]],
                                        on_token=sink, bound=bound)
            except RequestRejected as exc:
                if not self._fall_back(agent, schema is not None, bool(offered), exc):
                    raise

    def exchange(self, agent: str, messages: list[BaseMessage], *, schema: type[BaseModel] | None = None,
                 tools: Sequence[BaseTool] = (), sink: TokenSink | None = None) -> AIMessage:
        """The model's answer once the tool calls it makes have run (``PD_LLM_TOOL_ROUNDS`` rounds at most).

        ``messages`` starts with the system message and grows by the calls and their results.
        """
        system = str(messages[0].content)
        names = {tool.name for tool in tools}

        def is_answer(call: ToolCall) -> bool:
            # Function calling answers with a call named after the schema; some models answer with a
            # call to a tool of their own naming whose arguments fill the schema.
            if schema is None or call["name"] in names:
                return False
            return call["name"] == schema.__name__ or _fits(schema, call["args"])

        thread_id = graph_position()[0]
        for round_number in range(self.settings.llm_tool_rounds + 1):
            offered = tools if round_number < self.settings.llm_tool_rounds else ()
            answer = self._once(agent, messages, system, schema, offered, sink)
            if not offered or all(is_answer(call) for call in answer.tool_calls):
                return answer
            # Every other call runs; unknown tools and bad arguments come back as the call's result. An
            # answer given beside them is set aside (every call needs a result): it comes again after.
            outcomes = run_tool_calls(answer, tools, skip=is_answer)
            self.caller.meter.record_tools(agent, thread_id, len(outcomes), sum(o.failed for o in outcomes))
            set_aside = [ToolMessage(content="not taken yet: read the other tools' results, then answer again",
                                     tool_call_id=call.get("id") or call["name"], name=call["name"])
                         for call in answer.tool_calls if is_answer(call)]
            messages += [answer, *(outcome.message for outcome in outcomes), *set_aside]
        return answer

    def ask(self, agent: str, system: str, user: str, schema: type[T], stream_as: str | None = None, *,
            tools: Sequence[BaseTool] = (), check: Callable[[T], list[str]] | None = None) -> T:
        """``schema`` from the model; malformed, schema-violating or ``check``-failing answers go back for repair.

        The model may call ``tools`` before it answers.
        """
        messages: list[BaseMessage] = [SystemMessage(content=system), HumanMessage(content=user)]
        # One sink for every repair round, so a repaired answer restarts the stream it replaces.
        sink = self.sink(stream_as) if stream_as else None
        problem = ""
        for _ in range(self.settings.llm_repairs + 1):
            answer = self.exchange(agent, messages, schema=schema, tools=tools, sink=sink)
            try:
                result = validate(schema, answer)
                if check is not None and (problems := check(result)):
                    raise StructuredFailure("; ".join(problems))
                return result
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
