"""Every invalid message ends the stream with a status that says what is wrong and how to fix it."""

from __future__ import annotations

import grpc
import pytest
from grpc_harness import Running, chat, system

from process_designer.server._proto.sopwriter.v1 import sopwriter_pb2
from process_designer.server.messages import (
    IncomingMessage,
    InvalidMessageError,
    MessageTooLargeError,
)

ID_RULE = "1 to 128 characters of letters, digits, '.', '_', ':' or '-'"


def message(**fields: object) -> sopwriter_pb2.ChatMessage:
    base: dict[str, object] = {"thread_id": "t-1", "role": 1, "content": "Refund approval"}
    base.update(fields)
    return sopwriter_pb2.ChatMessage(**base)  # type: ignore[arg-type]


INVALID = [
    pytest.param(message(thread_id=""), f"thread_id is missing; set it to {ID_RULE}", id="missing-thread"),
    pytest.param(message(thread_id="a b"), f"thread_id 'a b' is malformed; use {ID_RULE}", id="space-in-thread"),
    pytest.param(
        message(thread_id="x" * 129),
        f"thread_id '{'x' * 40}…' is malformed; use {ID_RULE}",
        id="thread-too-long",
    ),
    pytest.param(
        message(client_msg_id="id/1"), f"client_msg_id 'id/1' is malformed; use {ID_RULE}", id="bad-client-id"
    ),
    pytest.param(
        message(role=0), "role 'ROLE_UNSPECIFIED' is not accepted; send USER or SYSTEM", id="role-unspecified"
    ),
    pytest.param(message(role=7), "role '7' is not accepted; send USER or SYSTEM", id="unknown-role"),
    pytest.param(
        message(role=2),
        "role ASSISTANT is reserved for the server's answers; send USER or SYSTEM",
        id="assistant-role",
    ),
    pytest.param(
        message(content="é" * 1025),
        "content is 2050 bytes, over the limit of 2048; send it in smaller messages or raise PD_MAX_MESSAGE_BYTES",
        id="content-over-limit",
    ),
    pytest.param(
        message(content=" \n "),
        "content is empty; write the requirements, a question or a change",
        id="empty-content",
    ),
]


@pytest.mark.parametrize(("request_message", "details"), INVALID)
async def test_invalid_message_is_invalid_argument(
    running: Running, request_message: sopwriter_pb2.ChatMessage, details: str
) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await chat(running, [request_message])
    assert (caught.value.code(), caught.value.details()) == (grpc.StatusCode.INVALID_ARGUMENT, details)
    assert running.designer.runs == []


async def test_envelope_past_the_transport_limit_is_resource_exhausted(running: Running) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await chat(running, [message(content="x" * (4 * 1024 * 1024 + 1))])
    assert caught.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert running.designer.runs == []


async def test_turns_accepted_before_an_invalid_message_are_answered(running: Running) -> None:
    requests = [system("t-ok", "business_domain: SaaS", "c-1"), message(thread_id="")]
    call = running.stub.Chat(iter(requests))
    answers = []
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        async for answer in call:
            answers.append(answer)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert [(a.thread_id, a.client_msg_id, a.agent) for a in answers] == [
        ("t-ok", "c-1", "route_turn"),
        ("t-ok", "c-1", "update_context"),
        ("t-ok", "c-1", "respond"),
    ]


async def test_too_large_is_its_own_class_for_http_413(running: Running) -> None:
    answers = running.service.handle(IncomingMessage(thread_id="t", role="USER", content="x" * 2049))
    with pytest.raises(MessageTooLargeError, match=r"^content is 2049 bytes, over the limit of 2048;"):
        await anext(answers)
    assert issubclass(MessageTooLargeError, InvalidMessageError)

