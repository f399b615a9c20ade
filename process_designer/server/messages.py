"""Transport-neutral chat messages, their validation, and the errors adapters map to status codes.

ProcessDesignerError
├── InputError
│   ├── InvalidMessageError      gRPC INVALID_ARGUMENT · HTTP 400
│   │   └── MessageTooLargeError gRPC INVALID_ARGUMENT · HTTP 413
│   └── MessageConflictError     gRPC ALREADY_EXISTS   · HTTP 409
├── TurnAbortedError             gRPC ABORTED          · HTTP 409
└── ServiceUnavailableError      gRPC UNAVAILABLE      · HTTP 503
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from process_designer.errors import InputError, ProcessDesignerError
from process_designer.limits import load_json, message_too_long

__all__ = [
    "CLIENT_ROLES",
    "ID_PATTERN",
    "IncomingMessage",
    "InvalidMessageError",
    "MessageConflictError",
    "MessageTooLargeError",
    "OutgoingMessage",
    "ServiceUnavailableError",
    "TurnAbortedError",
    "fingerprint",
    "validate_id",
    "validate_message",
]

ClientRole = Literal["USER", "SYSTEM"]
CLIENT_ROLES: tuple[ClientRole, ...] = ("USER", "SYSTEM")
ID_PATTERN = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_ID_RULE = "1 to 128 characters of letters, digits, '.', '_', ':' or '-'"


class InvalidMessageError(InputError):
    """A message that cannot be accepted as sent; nothing was run or stored."""


class MessageTooLargeError(InvalidMessageError):
    """A message whose content is over the configured size limit."""


class MessageConflictError(InputError):
    """A ``client_msg_id`` that was already used on the thread for a different message."""


class TurnAbortedError(ProcessDesignerError):
    """The turn a duplicate message attached to ended without an answer; resend to run it."""


class ServiceUnavailableError(ProcessDesignerError):
    """The service is shutting down or closed; reconnect and resend."""


class IncomingMessage(BaseModel):
    """A message from a client; ``role`` is kept as sent so that validation can name it."""

    model_config = ConfigDict(frozen=True)

    thread_id: str
    role: str
    content: str
    client_msg_id: str = ""
    title: str = ""  # the process title to use when this message starts a design


class OutgoingMessage(BaseModel):
    """An ASSISTANT message: one per agent stage, then one with ``final=True``."""

    model_config = ConfigDict(frozen=True)

    thread_id: str
    role: Literal["ASSISTANT"] = "ASSISTANT"
    content: str
    client_msg_id: str = ""
    agent: str
    final: bool = False
    message_id: str
    version: int | None = None
    replayed: bool = False
    partial: bool = False
    restart: bool = False  # with partial: the agent began its answer again; drop its partial text so far


def validate_id(value: str, field: str) -> str:
    """Return ``value`` if it is a well-formed id, else raise :class:`InvalidMessageError`."""
    if not value:
        raise InvalidMessageError(f"{field} is missing; set it to {_ID_RULE}")
    if not ID_PATTERN.fullmatch(value):
        shown = value if len(value) <= 40 else value[:40] + "…"
        raise InvalidMessageError(f"{field} {shown!r} is malformed; use {_ID_RULE}")
    return value


def validate_message(message: IncomingMessage, max_bytes: int) -> ClientRole:
    """Check everything a client controls and return the role; raise naming the field and the fix."""
    validate_id(message.thread_id, "thread_id")
    if message.client_msg_id:
        validate_id(message.client_msg_id, "client_msg_id")
    if message.role == "ASSISTANT":
        raise InvalidMessageError("role ASSISTANT is reserved for the server's answers; send USER or SYSTEM")
    if message.role not in CLIENT_ROLES:
        raise InvalidMessageError(f"role {message.role!r} is not accepted; send USER or SYSTEM")
    size = len(message.content.encode("utf-8"))
    if size > max_bytes:
        raise MessageTooLargeError(
            f"content is {size} bytes, over the limit of {max_bytes}; "
            "send it in smaller messages or raise PD_MAX_MESSAGE_BYTES"
        )
    if not message.content.strip():
        raise InvalidMessageError("content is empty; write the requirements, a question or a change")
    if (too_long := message_too_long(message.content)) is not None:
        raise MessageTooLargeError(too_long)
    if message.role == "SYSTEM":
        check_json_content(message.content)
    return "USER" if message.role == "USER" else "SYSTEM"


def check_json_content(content: str) -> None:
    """Refuse JSON content that no JSON reader should be asked to build: numbers of thousands of digits
    or nesting deeper than ``MAX_JSON_DEPTH``. Malformed JSON is left to the designer, which answers where."""
    text = content.strip()
    if not text.startswith(("{", "[")):
        return
    try:
        load_json(text)
    except json.JSONDecodeError:
        return
    except ValueError as exc:
        raise InvalidMessageError(f"the JSON in content has {exc}; send a flat object of short values such as "
                                  "{\"owner\": \"Finance\"}") from None


def fingerprint(message: IncomingMessage) -> str:
    """A digest of what makes a resend identical: role and content."""
    return hashlib.sha256(f"{message.role}\n{message.content}".encode()).hexdigest()
