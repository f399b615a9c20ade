"""The service's transports (gRPC, HTTP and the WebSocket) over one :class:`~process_designer.service.DesignService`.

ChatService, the chat-turn part of that service, and the messages it validates live here too.
"""

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
