"""Spans after the OpenTelemetry GenAI conventions: agents, LLM calls, retrieval and tools.

Every span carries ``gen_ai.conversation.id`` (the thread id) while a turn runs; message
content is recorded only when ``PD_OTEL_CAPTURE_CONTENT=true``.
"""

from __future__ import annotations

import contextvars
import functools
import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind

if TYPE_CHECKING:
    from process_designer.telemetry.setup import Telemetry


def current() -> Telemetry:
    """The installed telemetry (its SDK loads on the first span, not with this module)."""
    from process_designer.telemetry.setup import current as installed

    return installed()


__all__ = ["LlmCall", "agent_span", "conversation", "iterate_in_span", "llm_span", "span",
           "tool_span", "traced_node", "traced_retrieval"]

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")

_conversation: contextvars.ContextVar[str | None] = contextvars.ContextVar("pd_conversation", default=None)


@contextmanager
def conversation(thread_id: str | None) -> Iterator[None]:
    """Spans started inside carry ``gen_ai.conversation.id = thread_id``."""
    token = _conversation.set(thread_id)
    try:
        yield
    finally:
        _conversation.reset(token)


@contextmanager
def span(name: str, attributes: dict[str, Any], *, kind: SpanKind = SpanKind.INTERNAL) -> Iterator[Span]:
    """A current span with the conversation id; an exception sets ``error.type`` and the error status."""
    thread_id = _conversation.get()
    if thread_id is not None:
        attributes = {**attributes, "gen_ai.conversation.id": thread_id}
    with current().tracer.start_as_current_span(name, kind=kind, attributes=attributes) as opened:
        try:
            yield opened
        except Exception as exc:
            opened.set_attribute("error.type", type(exc).__qualname__)
            raise


def iterate_in_span(opened: Span, items: Iterable[T]) -> Iterator[T]:
    """Yield ``items`` with ``opened`` current only while each is produced, never across a ``yield``.

    A generator that kept a span attached while suspended would detach it in whatever context
    closes the generator; this keeps the parenting of work done by ``items`` exact instead.
    """
    iterator = iter(items)
    thread_id = _conversation.get()
    while True:
        with trace.use_span(opened, end_on_exit=False), conversation(thread_id):
            try:
                item = next(iterator)
            except StopIteration:
                return
        yield item


@contextmanager
def agent_span(name: str) -> Iterator[Span]:
    """``invoke_agent <name>`` around one agent's work."""
    with span(f"invoke_agent {name}", {"gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": name}) as opened:
        yield opened


def traced_node(name: str, node: Callable[P, R]) -> Callable[P, R]:
    """``node`` inside an ``invoke_agent <name>`` span; its signature and annotations stay visible.

    LangGraph reads the wrapped function's parameters (``runtime``) and ``Command[Literal[...]]``
    return type through ``__wrapped__``, so the graph's edges are unchanged.
    """

    @functools.wraps(node)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with agent_span(name) as opened:
            result = node(*args, **kwargs)
            goto = getattr(result, "goto", None)
            if isinstance(goto, str):
                opened.set_attribute("pd.next_node", goto)
            return result

    return wrapper


class LlmCall:
    """What an LLM engine reports about one call; see :func:`llm_span`."""

    def __init__(self, opened: Span, model: str, provider: str, operation: str) -> None:
        self.span = opened
        self._metric_attributes = {"gen_ai.operation.name": operation, "gen_ai.provider.name": provider,
                                   "gen_ai.request.model": model}
        self.input_tokens = 0
        self.output_tokens = 0

    @property
    def capture_content(self) -> bool:
        return current().capture_content

    def record_usage(self, input_tokens: int, output_tokens: int) -> None:
        """Token usage of the response (``gen_ai.usage.*`` and the token-usage histogram)."""
        self.input_tokens += input_tokens
        self.output_tokens += output_tokens
        self.span.set_attribute("gen_ai.usage.input_tokens", self.input_tokens)
        self.span.set_attribute("gen_ai.usage.output_tokens", self.output_tokens)
        usage = current().instruments.token_usage
        usage.record(input_tokens, {**self._metric_attributes, "gen_ai.token.type": "input"})
        usage.record(output_tokens, {**self._metric_attributes, "gen_ai.token.type": "output"})

    def record_response(self, *, model: str | None = None, response_id: str | None = None,
                        finish_reasons: Sequence[str] = ()) -> None:
        """The response's model, id and finish reasons."""
        if model:
            self.span.set_attribute("gen_ai.response.model", model)
        if response_id:
            self.span.set_attribute("gen_ai.response.id", response_id)
        if finish_reasons:
            self.span.set_attribute("gen_ai.response.finish_reasons", list(finish_reasons))

    def record_messages(self, input_messages: Sequence[dict[str, Any]],
                        output_messages: Sequence[dict[str, Any]] = ()) -> None:
        """The prompt and the answer, as JSON, only when content capture is on."""
        if not self.capture_content:
            return
        self.span.set_attribute("gen_ai.input.messages", json.dumps(list(input_messages), default=str))
        if output_messages:
            self.span.set_attribute("gen_ai.output.messages", json.dumps(list(output_messages), default=str))


@contextmanager
def llm_span(model: str, *, provider: str = "openai", operation: str = "chat", agent: str | None = None,
             temperature: float | None = None, max_tokens: int | None = None) -> Iterator[LlmCall]:
    """``chat <model>`` around one LLM request; call ``record_usage`` on what it yields.

    >>> with llm_span("gpt-4o-mini", agent="process_writer") as call:
    ...     response = client.invoke(messages)
    ...     call.record_usage(response.usage.input_tokens, response.usage.output_tokens)
    """
    attributes: dict[str, Any] = {"gen_ai.operation.name": operation, "gen_ai.provider.name": provider,
                                  "gen_ai.request.model": model}
    if agent:
        attributes["gen_ai.agent.name"] = agent
    if temperature is not None:
        attributes["gen_ai.request.temperature"] = temperature
    if max_tokens is not None:
        attributes["gen_ai.request.max_tokens"] = max_tokens
    started = time.perf_counter()
    with span(f"{operation} {model}", attributes, kind=SpanKind.CLIENT) as opened:
        call = LlmCall(opened, model, provider, operation)
        error: str | None = None
        try:
            yield call
        except Exception as exc:
            error = type(exc).__qualname__
            raise
        finally:
            metric = dict(call._metric_attributes)
            if error:
                metric["error.type"] = error
            current().instruments.llm_duration.record(time.perf_counter() - started, metric)


@contextmanager
def tool_span(name: str, *, description: str | None = None) -> Iterator[Span]:
    """``execute_tool <name>`` around one tool call (the SPy checker, the SPy test runner, …)."""
    attributes: dict[str, Any] = {"gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": name,
                                  "gen_ai.tool.type": "function"}
    if description:
        attributes["gen_ai.tool.description"] = description
    with span(f"execute_tool {name}", attributes) as opened:
        yield opened


def traced_retrieval(search: Callable[..., list[Any]]) -> Callable[..., list[Any]]:
    """A ``retrieval`` span around a template search; the query text only with content capture."""

    @functools.wraps(search)
    def wrapper(self: object, query: str, *args: Any, **kwargs: Any) -> list[Any]:
        top = kwargs.get("top", args[0] if args else 5)
        attributes: dict[str, Any] = {"gen_ai.operation.name": "retrieval", "gen_ai.data_source.id": "templates",
                                      "gen_ai.request.top_k": top}
        telemetry = current()
        if telemetry.capture_content:
            attributes["gen_ai.retrieval.query.text"] = query
        with span("retrieval", attributes) as opened:
            hits = search(self, query, *args, **kwargs)
            opened.set_attribute("pd.retrieval.results", len(hits))
            ids = [getattr(getattr(hit, "template", None), "id", "") for hit in hits]
            opened.set_attribute("pd.retrieval.template_ids", [i for i in ids if i])
            telemetry.instruments.retrievals.add(1, {"pd.retrieval.found": bool(hits)})
            return hits

    return wrapper
