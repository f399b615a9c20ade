"""How much text one message may carry into a turn, checked where every transport hands it over.

The CLI, the in-process designer and the servers (gRPC, REST, WebSocket) all refuse a longer message
with the same line, before anything runs or is stored: the engine never sees a cut-off text.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["MAX_JSON_DEPTH", "MAX_MESSAGE_CHARS", "load_json", "message_too_long"]

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


# JSON a client sends (a SYSTEM context, a WebSocket frame) is a few levels deep; deeper is refused
# before parsing, whatever the interpreter's recursion limit happens to be.
MAX_JSON_DEPTH = 32


def _depth(text: str) -> int:
    """How deep the brackets of ``text`` nest, outside its strings; no recursion."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            escaped, in_string = (False, True) if escaped else (char == "\\", char != '"')
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def load_json(text: str) -> Any:
    """``json.loads`` for client text; a ``ValueError`` (``JSONDecodeError`` for bad syntax) names the
    problem when it is nested deeper than :data:`MAX_JSON_DEPTH` or has a number of thousands of digits."""
    if _depth(text) > MAX_JSON_DEPTH:
        raise ValueError(f"nesting too deep (more than {MAX_JSON_DEPTH} levels)")
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except (ValueError, RecursionError):
        raise ValueError("a number too long") from None
