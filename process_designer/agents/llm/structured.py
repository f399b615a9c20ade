"""Structured answers: JSON from the model parsed into a pydantic model, repaired by asking again."""

from __future__ import annotations

import functools
import json
import re
from typing import Any, TypeVar

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langchain_core.utils.function_calling import convert_to_openai_function
from pydantic import BaseModel, ValidationError

__all__ = ["StructuredFailure", "message_text", "parse_json_object", "problem_of", "repair_request", "strict_schema",
           "validate"]

T = TypeVar("T", bound=BaseModel)
_FENCE = re.compile(r"```(?:json|spy)?\s*\n?(.*?)```", re.DOTALL)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


# Keywords strict structured outputs refuse (defaults and value constraints); pydantic still enforces them.
_UNSUPPORTED = frozenset({"default", "title", "minItems", "maxItems", "minLength", "maxLength", "minimum", "maximum",
                          "exclusiveMinimum", "exclusiveMaximum", "pattern", "format"})


def _clean(node: Any) -> Any:
    if isinstance(node, list):
        return [_clean(item) for item in node]
    if not isinstance(node, dict):
        return node
    cleaned: dict[str, Any] = {}
    for key, value in node.items():
        if key in _UNSUPPORTED:
            continue
        if key == "properties" and isinstance(value, dict):  # property names are data, not keywords
            cleaned[key] = {name: _clean(sub) for name, sub in value.items()}
        else:
            cleaned[key] = _clean(value)
    return cleaned


@functools.cache
def strict_schema(model: type[BaseModel]) -> dict[str, Any]:
    """``model`` as a strict function definition (``name``, ``description``, ``parameters``): every
    property required, no extra keys, references inlined, no defaults or value constraints."""
    function = convert_to_openai_function(model, strict=True)
    return {"name": function["name"], "description": function.get("description", ""),
            "parameters": _clean(function["parameters"])}


class StructuredFailure(ValueError):
    """The model's answer is not the JSON object asked for; the message says what is wrong."""


def message_text(message: AIMessage) -> str:
    """The text of an answer (string content or the text parts of a list content)."""
    if isinstance(message.content, str):
        return message.content
    return "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in message.content)


def parse_json_object(message: AIMessage, name: str | None = None) -> dict[str, Any]:
    """The JSON object in an answer: the arguments of the call to ``name`` (of the first call when
    None), or the text (fences and trailing commas forgiven)."""
    calls = [c for c in message.tool_calls if name is None or c["name"] == name]
    if calls:
        return dict(calls[0]["args"])
    text = message_text(message).strip()
    fenced = _FENCE.search(text)
    if fenced:
        text = fenced.group(1).strip()
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        raise StructuredFailure("the answer contains no JSON object")
    candidate = text[start:end + 1]
    for attempt in (candidate, _TRAILING_COMMA.sub(r"\1", candidate)):
        try:
            data = json.loads(attempt)
        except json.JSONDecodeError as exc:
            problem = f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            continue
        if not isinstance(data, dict):
            raise StructuredFailure("the answer is JSON but not an object")
        return data
    raise StructuredFailure(problem)


def problem_of(exc: ValidationError | StructuredFailure) -> str:
    """A short description of what is wrong, for the repair request and the error message."""
    if isinstance(exc, StructuredFailure):
        return str(exc)
    parts = [f"{'.'.join(map(str, e['loc'])) or '(root)'}: {e['msg']}" for e in exc.errors()[:5]]
    return "; ".join(parts)


def repair_request(answer: AIMessage, problem: str) -> list[BaseMessage]:
    """The turns that show the model its answer and ask for a corrected one."""
    text = message_text(answer) or (json.dumps(answer.tool_calls[0]["args"]) if answer.tool_calls else "")
    shown = AIMessage(content=text or "(empty)")
    return [shown, HumanMessage(content=f"That answer cannot be used: {problem}. Reply again with only the "
                                        "corrected JSON object, following the schema exactly.")]


def validate(schema: type[T], message: AIMessage) -> T:
    """``schema`` filled from the answer; StructuredFailure or ValidationError when it does not fit."""
    return schema.model_validate(parse_json_object(message, None if not message.tool_calls else _called(schema,
                                                                                                        message)))


def _called(schema: type[BaseModel], message: AIMessage) -> str | None:
    """The call that carries the answer: the one named after ``schema`` when there is one."""
    names = [c["name"] for c in message.tool_calls]
    return schema.__name__ if schema.__name__ in names else None
