"""The typed state of the designer graph, with explicit reducers."""

from __future__ import annotations

import operator
from typing import Annotated, Any

from typing_extensions import TypedDict  # pydantic (Studio's schemas) needs it before Python 3.12

__all__ = ["ChatEntry", "DesignerInput", "DesignerState", "Stage", "VersionEntry"]


class ChatEntry(TypedDict):
    role: str  # USER | ASSISTANT | SYSTEM
    content: str
    agent: str
    at: str


class Stage(TypedDict):
    agent: str
    content: str


class VersionEntry(TypedDict):
    number: int
    at: str
    summary: str
    document: dict[str, Any]


class DesignerInput(TypedDict, total=False):
    """What a turn brings: the message, and optionally who sent it, a title and context."""

    input: str
    role: str
    title: str
    context: dict[str, Any]


class DesignerState(TypedDict, total=False):
    input: str
    role: str
    title: str
    context: dict[str, Any]
    messages: Annotated[list[ChatEntry], operator.add]
    versions: Annotated[list[VersionEntry], operator.add]
    intent: str
    requirement: dict[str, Any] | None
    document: dict[str, Any] | None
    changed: bool
    changed_steps: list[int] | None
    revisions: int
    fixed: list[str]
    summary: str
    reply: str
    stage: Stage
