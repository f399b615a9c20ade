"""One model call with retries (429, 5xx, timeouts, dropped connections), a per-turn deadline and usage.

EngineError is raised when the attempts or the turn's time run out; the SDK's own retries are off
(``max_retries=0``) so attempts never multiply.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import openai
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.runnables import Runnable
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from process_designer.agents.llm.turns import TurnClock, graph_position
from process_designer.agents.llm.usage import UsageMeter
from process_designer.errors import EngineError
from process_designer.telemetry import LlmCall, llm_span

__all__ = ["NODE_OF", "ModelCaller", "RequestRejected", "TokenSink", "retry_after_seconds"]
NODE_OF = {"analyst": "requirement_analyst", "writer": "process_writer", "coder": "spy_coder",
           "reviewer": "quality_reviewer"}
_RETRYABLE = (openai.RateLimitError, openai.InternalServerError, openai.APITimeoutError, openai.APIConnectionError)


class RequestRejected(EngineError):
    """The endpoint refused the request itself (HTTP 400 or 422): a part it does not support, such as
    ``response_format`` or ``tools``, rather than a passing failure."""


class TokenSink:
    """Where the tokens of streamed answers go. ``begin`` starts an answer: after tokens of an
    earlier one (a retried attempt, a repaired answer) it calls ``restart`` first, so whoever
    shows the tokens can drop the abandoned text instead of showing it twice."""

    def __init__(self, emit: Callable[[str], None], restart: Callable[[], None]) -> None:
        self._emit = emit
        self._restart = restart
        self._sent = False

    def begin(self) -> None:
        if self._sent:
            self._restart()
            self._sent = False

    def __call__(self, text: str) -> None:
        self._sent = True
        self._emit(text)


def _retryable(exc: BaseException) -> bool:
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code == 429 or exc.status_code >= 500
    return isinstance(exc, _RETRYABLE)


def retry_after_seconds(exc: BaseException | None) -> float | None:
    """Seconds the server asked us to wait (``Retry-After`` as seconds or an HTTP date), if any."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    raw = headers.get("retry-after") if headers is not None else None
    if not raw:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(raw) if raw else None
        return max(0.0, parsed.timestamp() - time.time()) if parsed else None


def _describe(exc: BaseException) -> str:
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code}"
    if isinstance(exc, openai.APITimeoutError):
        return "timed out"
    if isinstance(exc, openai.APIConnectionError):
        return "connection failed"
    return f"{type(exc).__name__}: {exc}"


class ModelCaller:
    """Calls chat models for the agents: bounded retries, one deadline per turn, usage recorded."""

    def __init__(self, *, retries: int, backoff: float, turn_deadline: float, meter: UsageMeter,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.retries = retries
        self.backoff = backoff
        self.turn_deadline = turn_deadline
        self.meter = meter
        self.turns = TurnClock(clock)

    def begin_turn(self, thread_id: str | None = None) -> None:
        """Start the per-turn deadline and the turn's usage counters (of every thread when None)."""
        self.turns.begin(thread_id)
        self.meter.begin_turn(thread_id)

    def remaining(self, thread_id: str) -> float:
        return self.turn_deadline - self.turns.elapsed(thread_id)

    def _wait(self, thread_id: str, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome is not None else None
        pause = retry_after_seconds(exc)
        if pause is None:
            pause = wait_exponential_jitter(multiplier=self.backoff, max=max(self.backoff * 32, 0.001),
                                            jitter=self.backoff)(state)
        if pause >= self.remaining(thread_id):
            raise EngineError(self._deadline_message(state.attempt_number, exc))
        return pause

    def _deadline_message(self, attempts: int, exc: BaseException | None) -> str:
        last = f" (last: {_describe(exc)})" if exc is not None else ""
        return (f"the model did not answer within the turn's deadline of {self.turn_deadline:g} s after "
                f"{attempts} attempt(s){last}; try again, or raise PD_LLM_TURN_DEADLINE")

    def call(self, agent: str, model: BaseChatModel, messages: Sequence[BaseMessage],
             on_token: TokenSink | None = None, bound: Runnable[Any, Any] | None = None) -> AIMessage:
        """The model's answer to ``messages``; streamed to ``on_token`` when given.

        ``bound`` is ``model`` with request options bound (a response format, tools); it is what is called.
        """
        runnable: Runnable[Any, Any] = bound if bound is not None else model
        thread_id, step = graph_position()
        if self.turns.enter(thread_id, step):
            self.meter.begin_turn(thread_id)
        attempts = 0

        def attempt() -> AIMessage:
            nonlocal attempts
            if self.remaining(thread_id) <= 0:
                raise EngineError(self._deadline_message(attempts, None))
            attempts += 1
            with llm_span(str(getattr(model, "model_name", "unknown")), agent=NODE_OF.get(agent, agent),
                          temperature=getattr(model, "temperature", None),
                          max_tokens=getattr(model, "max_tokens", None)) as span:
                if on_token is None:
                    result = runnable.invoke(list(messages))
                    answer = result if isinstance(result, AIMessage) else AIMessage(content=result.content)
                else:
                    answer = _streamed(runnable, messages, on_token)
                _report(span, messages, answer)
                return answer

        retrying = Retrying(stop=stop_after_attempt(self.retries + 1), wait=partial(self._wait, thread_id),
                            retry=retry_if_exception(_retryable), reraise=True, sleep=time.sleep)
        try:
            answer = retrying(attempt)
        except EngineError:
            self.meter.record_failure(agent, thread_id, attempts)
            raise
        except openai.APIStatusError as exc:
            self.meter.record_failure(agent, thread_id, attempts)
            if exc.status_code == 404:
                raise EngineError(f"the endpoint does not serve the {agent}'s model ({exc.message}); "
                                  "check PD_MODEL / PD_MODEL_" + agent.upper()) from exc
            if exc.status_code in (401, 403):
                raise EngineError(f"the endpoint refused the credentials (HTTP {exc.status_code}); "
                                  "check OPENAI_API_KEY") from exc
            if exc.status_code in (400, 422):
                raise RequestRejected(f"the endpoint refused the {agent}'s request (HTTP {exc.status_code}: "
                                      f"{exc.message}); check that the model takes requests this long "
                                      "(PD_LLM_MAX_TOKENS) and the options PD_LLM_STRUCTURED chose") from exc
            raise EngineError(self._gave_up(agent, attempts, exc)) from exc
        except openai.OpenAIError as exc:
            self.meter.record_failure(agent, thread_id, attempts)
            raise EngineError(self._gave_up(agent, attempts, exc)) from exc
        self.meter.record(agent, thread_id, answer.usage_metadata, attempts=attempts)
        return answer

    @staticmethod
    def _gave_up(agent: str, attempts: int, exc: BaseException) -> str:
        return (f"the model kept failing for the {agent} ({attempts} attempt(s), last: {_describe(exc)}); "
                "try again later, raise PD_LLM_RETRIES, or set PD_LLM_FALLBACK_OFFLINE=true")


def _report(span: LlmCall, messages: Sequence[BaseMessage], answer: AIMessage) -> None:
    usage = answer.usage_metadata
    span.record_usage(usage["input_tokens"] if usage else 0, usage["output_tokens"] if usage else 0)
    meta = answer.response_metadata or {}
    finish = meta.get("finish_reason")
    span.record_response(model=meta.get("model_name"), response_id=meta.get("id") or answer.id,
                         finish_reasons=[str(finish)] if finish else [])
    span.record_messages([{"role": m.type, "content": m.content} for m in messages],
                         [{"role": "assistant", "content": answer.content}])


def _streamed(model: Runnable[Any, Any], messages: Sequence[BaseMessage], on_token: TokenSink) -> AIMessage:
    on_token.begin()
    merged: AIMessageChunk | None = None
    for chunk in model.stream(list(messages)):
        if not isinstance(chunk, AIMessageChunk):
            continue
        if isinstance(chunk.content, str) and chunk.content:
            on_token(chunk.content)
        merged = chunk if merged is None else merged + chunk
    if merged is None:
        return AIMessage(content="")
    data: dict[str, Any] = {"content": merged.content, "tool_calls": merged.tool_calls,
                            "usage_metadata": merged.usage_metadata, "response_metadata": merged.response_metadata}
    return AIMessage(**{k: v for k, v in data.items() if v is not None})
