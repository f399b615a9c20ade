"""Frames that are not messages at all end a gRPC stream with INVALID_ARGUMENT; accepted turns finish."""

from __future__ import annotations

from pathlib import Path

import grpc

from process_designer.config import Settings
from process_designer.designer import Designer
from process_designer.knowledge.library import TemplateLibrary
from process_designer.server._proto.sopwriter.v1 import sopwriter_pb2
from process_designer.server._proto.threads.v1 import threads_pb2
from tests.faults.harness import in_process_server

DESIGN = "Refund requests: support checks the order in the CRM, then billing issues the refund."
# Field 1 (thread_id), 2 bytes long, that are not UTF-8.
NOT_UTF8 = b"\x0a\x02\xff\xfe"


def _frame(thread_id: str, content: str) -> bytes:
    return sopwriter_pb2.ChatMessage(thread_id=thread_id, role=threads_pb2.USER, content=content,
                                     client_msg_id="m-1").SerializeToString()


async def test_a_frame_with_invalid_utf8_ends_the_stream_invalid_argument_after_the_accepted_turn(
    tmp_path: Path, library: TemplateLibrary
) -> None:
    async with in_process_server(tmp_path / "data", library) as (_, address):
        async with grpc.aio.insecure_channel(address) as channel:
            chat = channel.stream_stream("/sopwriter.v1.ProcessWriter/Chat", request_serializer=lambda b: b,
                                         response_deserializer=sopwriter_pb2.ChatMessage.FromString)
            call = chat(iter([_frame("accepted", DESIGN), NOT_UTF8, _frame("after", DESIGN)]))
            answers = []
            try:
                async for answer in call:
                    answers.append(answer)
            except grpc.aio.AioRpcError as exc:
                code, details = exc.code(), exc.details() or ""
            else:
                code, details = await call.code(), await call.details() or ""
        assert code == grpc.StatusCode.INVALID_ARGUMENT
        assert "not a valid ChatMessage" in details and "UTF-8" in details
        finals = [a for a in answers if a.final]
        assert [a.thread_id for a in finals] == ["accepted"] and finals[0].content.startswith("Drafted")
        assert {a.thread_id for a in answers} == {"accepted"}
    designer = Designer(Settings(data_dir=tmp_path / "data"), library=None)
    try:
        assert designer.exists("accepted") and not designer.exists("after")  # nothing after the bad frame
    finally:
        designer.close()
