"""How much text one message may carry into a turn, checked where every transport hands it over.

The CLI, the in-process designer and the servers (gRPC, REST, WebSocket) all refuse a longer message
with the same line, before anything runs or is stored: the engine never sees a cut-off text.
"""

from __future__ import annotations

__all__ = ["MAX_MESSAGE_CHARS", "message_too_long"]

# What the requirement analyst reads of one message; about 3,000 words, several pages of
# requirements. Longer processes are designed in parts.
MAX_MESSAGE_CHARS = 20_000


def message_too_long(content: str) -> str | None:
    """The one-line refusal for ``content`` over the limit, or ``None`` when it fits."""
    length = len(content.strip())
    if length <= MAX_MESSAGE_CHARS:
        return None
    return (f"the message is {length:,} characters, over the limit of {MAX_MESSAGE_CHARS:,}; "
            "shorten it, or design the process in parts (one message each) and add to it")
