"""Ratings over a real gRPC channel: a SYSTEM ``feedback:`` message counts for the caller's tenant only."""

from __future__ import annotations

from pathlib import Path

import grpc

from process_designer.config import Settings
from process_designer.designer import Designer
from process_designer.server._proto.sopwriter.v1 import sopwriter_pb2, sopwriter_pb2_grpc
from process_designer.server._proto.threads.v1 import threads_pb2
from process_designer.server.access import AccessControl
from process_designer.server.auth import hash_api_key
from process_designer.server.chat_service import ChatService
from process_designer.server.grpc_server import create_server
from process_designer.server.turn_records import TurnRecords

INVOICES = "Approve invoices from suppliers and pay them"


async def _turn(stub: sopwriter_pb2_grpc.ProcessWriterStub, key: str, role: int, content: str) -> str:
    message = sopwriter_pb2.ChatMessage(thread_id="grpc-wayne-1", role=role, content=content)  # type: ignore[arg-type]
    answers = [a async for a in stub.Chat(iter([message]), metadata=(("authorization", f"Bearer {key}"),))]
    assert answers[-1].final
    return str(answers[-1].content)


async def test_feedback_message_over_grpc_is_the_callers_tenants(feedback_designer: Designer,
                                                                feedback_settings: Settings, tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    keys.write_text(f"wayne:bruce:{hash_api_key('wayne-key')}\n", encoding="utf-8")
    settings = feedback_settings.with_overrides(api_keys_file=keys)
    records, access = TurnRecords.open(settings), AccessControl.open(settings)
    service = ChatService(feedback_designer, settings, records=records, access=access)
    server, port = create_server(service, "127.0.0.1:0")
    await server.start()
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{port}")
    try:
        stub = sopwriter_pb2_grpc.ProcessWriterStub(channel)
        await _turn(stub, "wayne-key", threads_pb2.USER, INVOICES)
        reply = await _turn(stub, "wayne-key", threads_pb2.SYSTEM, "feedback: down not our approval chain")
    finally:
        await channel.close()
        await server.stop(5)
        records.close()
        access.close()
    designed = feedback_designer.document("grpc-wayne-1")
    assert designed is not None and designed.templates_used
    used = designed.templates_used[0]  # the library's best match for the request
    assert reply == f"Thanks: version 1 rated down; templates rejected: {used}."
    wayne = feedback_designer.feedback.profile("wayne")
    assert wayne.ratings == {"up": 0, "down": 1}
    assert {k: (v.accepted, v.rejected) for k, v in wayne.templates.items()} == {used: (0, 1)}
