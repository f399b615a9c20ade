"""A design context read from what a person types: JSON or ``key: value`` lines, checked against :class:`DesignContext`.

The chat's SYSTEM messages, the REST session body and ``design --context`` all read contexts here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from process_designer.domain.models import DesignContext
from process_designer.errors import InputError
from process_designer.limits import load_json

__all__ = ["KNOWN_KEYS", "ContextError", "context_from_json", "parse_context", "validate_context"]

KNOWN_KEYS = "business_domain, complexity (low|medium|high), integrations, owner"


class ContextError(InputError):
    """A context value :class:`DesignContext` refuses: ``key`` (a dotted path) and the ``problem`` with it."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"context.{key}: {problem}; known keys are {KNOWN_KEYS}")
        self.key = key
        self.problem = problem


def context_from_json(text: str, where: str = "the context") -> dict[str, Any]:
    """The JSON object in ``text``; :class:`InputError` naming ``where`` when it is not one."""
    try:
        data = load_json(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where} is not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}") from None
    except ValueError as exc:
        raise InputError(f"{where} has {exc}; send short values") from None
    if not isinstance(data, dict):
        raise InputError(f"{where} must be a JSON object such as {{\"business_domain\": \"SaaS\"}}")
    return data


def _context_from_lines(text: str) -> dict[str, Any]:
    pairs: dict[str, Any] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise InputError(f"context line {number} is not 'key: value': {line.strip()!r}")
        key = key.strip().lower().replace(" ", "_")
        pairs[key] = [v.strip() for v in value.split(",") if v.strip()] if key == "integrations" else value.strip()
    return pairs


def parse_context(text: str) -> dict[str, Any]:
    """The context changes in ``text``: a JSON object, or ``key: value`` lines (integrations comma-separated)."""
    text = text.strip()
    return context_from_json(text) if text.startswith("{") else _context_from_lines(text)


def validate_context(data: Mapping[str, Any]) -> DesignContext:
    """``data`` as a :class:`DesignContext`; :class:`ContextError` naming the first bad key otherwise."""
    try:
        return DesignContext.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ContextError(".".join(map(str, first["loc"])), first["msg"]) from None
