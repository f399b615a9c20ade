"""A message longer than the designer reads is refused at the door, on every transport, naming the limit."""

from __future__ import annotations

from pathlib import Path

import grpc
import pytest
from grpc_harness import Running, chat, user

from process_designer.config import Settings
from process_designer.limits import MAX_MESSAGE_CHARS
from process_designer.server.messages import IncomingMessage, MessageTooLargeError, validate_message

REFUSAL = (f"the message is {MAX_MESSAGE_CHARS + 1:,} characters, over the limit of {MAX_MESSAGE_CHARS:,}; "
           "shorten it, or design the process in parts (one message each) and add to it")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # Room in bytes for more characters than the designer reads.
    return Settings(data_dir=tmp_path / "data", max_message_bytes=256 * 1024)


async def test_grpc_refuses_a_long_message_with_invalid_argument(running: Running) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await chat(running, [user("t-long", "w" * (MAX_MESSAGE_CHARS + 1))])
    assert (caught.value.code(), caught.value.details()) == (grpc.StatusCode.INVALID_ARGUMENT, REFUSAL)
    assert running.designer.runs == []


def test_the_limit_is_the_last_character_accepted() -> None:
    at_limit = IncomingMessage(thread_id="t", role="USER", content="w" * MAX_MESSAGE_CHARS)
    assert validate_message(at_limit, 256 * 1024) == "USER"
    over = IncomingMessage(thread_id="t", role="USER", content="w" * (MAX_MESSAGE_CHARS + 1))
    with pytest.raises(MessageTooLargeError) as caught:  # HTTP 413, WebSocket too_large
        validate_message(over, 256 * 1024)
    assert str(caught.value) == REFUSAL
