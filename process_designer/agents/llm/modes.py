"""How an endpoint is asked for structured answers, and which way it accepts (detected once, cached).

Modes, most reliable first: ``json_schema`` (``response_format`` with a strict JSON schema — the
answer is constrained to it), ``function_calling`` (the schema as a strict tool the model must call),
``json_mode`` (``response_format: json_object`` plus the schema in the prompt) and ``prompt`` (the
schema in the prompt only). In every mode the answer is validated and, when it does not fit, sent back
for repair. ``PD_LLM_STRUCTURED`` picks a mode; ``auto`` (the default) probes the endpoint at start-up.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Sequence
from typing import Any, Literal, cast, get_args

import httpx
from langchain_core.language_models import BaseChatModel
from langchain_core.runnables import Runnable, RunnableParallel
from langchain_core.tools import BaseTool
from pydantic import BaseModel

from process_designer.agents.llm.client import endpoint_url
from process_designer.agents.llm.structured import strict_schema
from process_designer.config import Settings

__all__ = ["MODES", "StructuredMode", "bind_structured", "configured_mode", "detect_mode", "next_mode"]

StructuredMode = Literal["json_schema", "function_calling", "json_mode", "prompt"]
MODES: tuple[StructuredMode, ...] = get_args(StructuredMode)

_PROBE_SCHEMA = {"name": "probe", "strict": True, "schema": {
    "type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"], "additionalProperties": False}}
_PROBE_TOOL = {"type": "function", "function": {"name": "probe", "strict": True,
                                                "parameters": _PROBE_SCHEMA["schema"]}}
_PROBES: dict[StructuredMode, dict[str, Any]] = {
    "json_schema": {"response_format": {"type": "json_schema", "json_schema": _PROBE_SCHEMA}},
    "function_calling": {"tools": [_PROBE_TOOL], "tool_choice": {"type": "function", "function": {"name": "probe"}}},
    "json_mode": {"response_format": {"type": "json_object"}},
    "prompt": {},
}
_REFUSED = frozenset({400, 404, 415, 422, 501})  # what servers answer to a request part they do not support
_detected: dict[tuple[str, str], StructuredMode] = {}
_lock = threading.Lock()


def next_mode(mode: StructuredMode) -> StructuredMode | None:
    """The mode to fall back to when the endpoint refuses ``mode``."""
    position = MODES.index(mode)
    return MODES[position + 1] if position + 1 < len(MODES) else None


def configured_mode(settings: Settings) -> StructuredMode | None:
    """The mode ``PD_LLM_STRUCTURED`` forces, or None for ``auto``."""
    return None if settings.llm_structured == "auto" else cast(StructuredMode, settings.llm_structured)


def _accepts(client: httpx.Client, url: str, headers: dict[str, str], model: str, mode: StructuredMode) -> bool | None:
    """Whether the endpoint takes a request in ``mode``; None when it could not tell (busy, failing)."""
    body = {"model": model, "max_completion_tokens": 16, "messages": [{"role": "user", "content": 'Answer {"ok": true}.'}],
            **_PROBES[mode]}
    try:
        status = client.post(url, headers=headers, json=body).status_code
    except httpx.HTTPError:
        return None
    if status < 400:
        return True
    return False if status in _REFUSED else None


def detect_mode(settings: Settings, model: str, transport: httpx.BaseTransport | None = None) -> StructuredMode:
    """The first mode the endpoint accepts for ``model``, probed once per endpoint and model.

    A probe the endpoint cannot answer (429, 5xx, no connection) is not a refusal: detection stops at
    that mode, and a refusal at run time still falls back (see :func:`next_mode`). When every mode is
    refused, a plain request tells whether the modes were the cause; if it is refused too, something
    else is, and json_schema is kept.
    """
    base = endpoint_url(settings)
    key = (base, model)
    with _lock:
        if key in _detected:
            return _detected[key]
    headers = {"Authorization": f"Bearer {settings.openai_api_key or 'not-needed'}"}
    chosen: StructuredMode = "json_schema"
    with httpx.Client(timeout=min(settings.llm_timeout, 30.0), transport=transport) as client:
        for mode in MODES:
            if _accepts(client, base + "/chat/completions", headers, model, mode) is not False:
                chosen = mode
                break
    with _lock:
        _detected[key] = chosen
    return chosen


def _raw_model(structured: Runnable[Any, Any]) -> Runnable[Any, Any]:
    """The bound model inside ``with_structured_output(..., include_raw=True)``: it answers AIMessages
    (with usage, and streamable), which the caller validates itself so bad answers can be repaired."""
    first = getattr(structured, "first", None)
    if isinstance(first, RunnableParallel) and "raw" in first.steps__:
        return first.steps__["raw"]
    raise TypeError("with_structured_output(include_raw=True) no longer starts with a 'raw' branch")


def bind_structured(model: BaseChatModel, schema: type[BaseModel], mode: StructuredMode,
                    tools: Sequence[BaseTool] = ()) -> Runnable[Any, Any]:
    """``model`` set up to answer ``schema`` in ``mode``, with ``tools`` it may call first."""
    function = copy.deepcopy(strict_schema(schema))  # the cached schema stays as it was made
    if mode == "json_schema":
        response_format = {"name": function["name"], "description": function["description"],
                           "schema": function["parameters"], "strict": True}
        return _raw_model(model.with_structured_output(response_format, method="json_schema", strict=True,
                                                       include_raw=True, tools=list(tools) or None))
    if mode == "function_calling":
        if not tools:
            return _raw_model(model.with_structured_output(function, method="function_calling", strict=True,
                                                           include_raw=True))
        # The answer is one more tool; the model must call some tool, and ends by calling that one.
        return model.bind_tools([*tools, function], tool_choice="required", strict=True, parallel_tool_calls=False)
    if mode == "json_mode":  # a response format needs strict tools
        bound: Runnable[Any, Any] = model.bind_tools(list(tools), strict=True) if tools else model
        return bound.bind(response_format={"type": "json_object"})
    return model.bind_tools(list(tools)) if tools else model
