"""The service's transports (gRPC, HTTP and the WebSocket) over one :class:`~process_designer.service.DesignService`.

ChatService, the chat-turn part of that service, and the messages it validates live here too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from process_designer.lazy import exports

if TYPE_CHECKING:
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

_MESSAGES = "process_designer.server.messages"

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

# Loaded on first use: reading a message's types must not load the chat service and the designer.
__getattr__ = exports(__name__, {"ChatService": "process_designer.server.chat_service",
                                 **{name: _MESSAGES for name in __all__ if name != "ChatService"}})
