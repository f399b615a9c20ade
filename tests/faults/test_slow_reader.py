"""A client that sends and then stops reading: the server stays bounded and ends the stream cleanly."""

from __future__ import annotations

import asyncio
import resource
from pathlib import Path

import grpc

from process_designer.knowledge.library import TemplateLibrary
from process_designer.server._proto.sopwriter.v1 import sopwriter_pb2, sopwriter_pb2_grpc
from process_designer.server._proto.threads.v1 import threads_pb2
from process_designer.server.grpc_client import GrpcChatClient
from tests.faults.harness import in_process_server

REQUIREMENTS = (
    "Employee offboarding: HR records the last day in the HRIS, IT revokes access within 1 day, "
    "then payroll settles the final salary."
)
MESSAGES = 40


async def test_a_client_that_stops_reading_is_cut_off_at_its_deadline_and_frees_its_turns(
    tmp_path: Path, library: TemplateLibrary
) -> None:
    async with in_process_server(tmp_path / "data", library) as (service, address):
        before_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        async with grpc.aio.insecure_channel(address) as channel:
            call = sopwriter_pb2_grpc.ProcessWriterStub(channel).Chat(timeout=4)
            for n in range(MESSAGES):
                await call.write(sopwriter_pb2.ChatMessage(
                    thread_id=f"unread-{n % 4}", role=threads_pb2.USER, content=REQUIREMENTS, client_msg_id=f"m{n}"))
            # Never read: the answers pile up against flow control until the deadline ends the call.
            assert await call.code() == grpc.StatusCode.DEADLINE_EXCEEDED
        grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before_kib) / 1024
        assert grown_mib < 200, f"the server grew by {grown_mib:.0f} MiB for one unread stream"
        async with asyncio.timeout(30):
            while service._running:  # the cancelled turns release their threads
                await asyncio.sleep(0.05)
        # Every thread of the dead stream takes turns again at once.
        async with GrpcChatClient(address) as client:
            for thread in range(4):
                answers = [a async for a in client.send(f"unread-{thread}", "What does step 1 do?")]
                assert answers[-1].final
