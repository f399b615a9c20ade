"""The service's transports over one transport-neutral ChatService (gRPC here, HTTP beside it)."""

from __future__ import annotations

from process_designer.server.chat_service import ChatService
from process_designer.server.messages import (
    IncomingMessage,
    InvalidMessageError,
    MessageConflictError,
    MessageTooLargeError,
    OutgoingMessage,
    ServiceUnavailableError,
    TurnAbortedError,
)

__all__ = [
    "ChatService",
    "IncomingMessage",
    "InvalidMessageError",
    "MessageConflictError",
    "MessageTooLargeError",
    "OutgoingMessage",
    "ServiceUnavailableError",
    "TurnAbortedError",
]
