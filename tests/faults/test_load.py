"""Many streams at once, and a stream that is never read: every call is served, memory stays bounded."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest

from process_designer.config import Settings
from process_designer.designer import Designer
from process_designer.knowledge.library import TemplateLibrary
from process_designer.server._proto.sopwriter.v1 import sopwriter_pb2, sopwriter_pb2_grpc
from process_designer.server._proto.threads.v1 import threads_pb2
from process_designer.server.chat_service import ChatService
from process_designer.server.grpc_client import ChatClientError, GrpcChatClient
from process_designer.server.grpc_server import GrpcOptions
from process_designer.server.messages import IncomingMessage
from tests.faults.harness import in_process_server, serve_in_child

REQUIREMENTS = (
    "Purchase requests: the requester files it in the procurement tool, the budget owner approves requests "
    "over 5000 EUR within 2 days, then procurement orders from the supplier."
)
STREAMS = 200
# Enough work to keep both cores busy for longer than gRPC lets a call wait to be accepted (30 s).
TURNS = (REQUIREMENTS, "Change step 2 so that finance also approves requests over 20000 EUR.",
         "Who is responsible for step 2?")


@pytest.fixture
def served(tmp_path: Path, library_dir: Path) -> Iterator[str]:
    """``process-designer serve`` in a child process, as deployed, on a copy of the indexed library."""
    data_dir = tmp_path / "data"
    shutil.copytree(library_dir, data_dir)
    server, address = serve_in_child(data_dir, stderr=subprocess.DEVNULL)
    try:
        yield address
    finally:
        server.terminate()
        server.wait(30)


async def test_200_concurrent_streams_are_all_accepted_and_answered_once(served: str) -> None:
    # With turns on the loop's default executor (six threads here), CPU-bound turns starved the
    # event loop that accepts calls: new calls waited until gRPC core cancelled them (30 s).
    async with GrpcChatClient(served, connect_timeout=60) as client:  # the server loads its embedder
        [a async for a in client.send("warm-up", REQUIREMENTS)]
    finals: Counter[str] = Counter()
    failures: list[str] = []

    async def chat(n: int) -> None:
        try:
            async with GrpcChatClient(served, connect_timeout=30) as client:
                for number, content in enumerate(TURNS):
                    answers = [a async for a in client.send(f"load-{n}", content, client_msg_id=f"m-{number}")]
                    finals.update(f"load-{n}/{a.client_msg_id}" for a in answers if a.final)
        except ChatClientError as exc:
            failures.append(f"stream {n}: {exc}")

    async with asyncio.timeout(300):
        await asyncio.gather(*(chat(n) for n in range(STREAMS)))

    assert failures == []
    assert len(finals) == len(TURNS) * STREAMS
    assert set(finals.values()) == {1}, "a message was answered more than once"
    async with GrpcChatClient(served) as client:
        answers = [a async for a in client.send(f"load-{STREAMS - 1}", "What does step 1 do?")]
    assert answers[-1].final and answers[-1].version == 2


async def test_turns_beyond_the_pool_wait_their_turn_in_arrival_order(tmp_path: Path, library: TemplateLibrary) -> None:
    settings = Settings(data_dir=tmp_path / "data", turn_workers=1)
    service = ChatService(Designer(settings, library=library), settings)
    try:
        events: list[tuple[str, bool]] = []

        async def turn(thread_id: str) -> None:
            async for out in service.handle(IncomingMessage(thread_id=thread_id, role="USER", content=REQUIREMENTS)):
                events.append((thread_id, out.final))

        await asyncio.gather(*(turn(f"queued-{n}") for n in range(3)))
        threads_in_order = [thread for thread, _final in events]
        # One worker: each turn streams all its stages before the next turn starts.
        assert threads_in_order == sorted(threads_in_order)
        assert [final for _thread, final in events].count(True) == 3
    finally:
        service.close()


async def test_a_stream_that_is_never_read_stops_reading_messages_and_frees_them_when_it_ends(
    tmp_path: Path, library: TemplateLibrary
) -> None:
    options = GrpcOptions(max_turns_per_stream=2, max_pending_answers=4)
    sent = 40
    async with in_process_server(tmp_path / "data", library, options) as (service, address):
        # A small, fixed receive window, so that what the client's transport buffers is not the bound tested.
        small_window = (("grpc.http2.bdp_probe", 0), ("grpc.http2.lookahead_bytes", 16 * 1024))
        async with grpc.aio.insecure_channel(address, options=small_window) as channel:
            call = sopwriter_pb2_grpc.ProcessWriterStub(channel).Chat()
            for n in range(sent):
                await call.write(sopwriter_pb2.ChatMessage(
                    thread_id=f"unread-{n}", role=threads_pb2.USER, content=REQUIREMENTS, client_msg_id="m"))

            def started() -> int:
                return sum(1 for n in range(sent) if service.history(f"unread-{n}"))

            # Wait until the server stops taking on turns: it must stop well short of all 40.
            settled, seen = 0, -1
            async with asyncio.timeout(60):
                while settled < 10:
                    await asyncio.sleep(0.2)
                    now = started()
                    settled = settled + 1 if now == seen else 0
                    seen = now
            # Two running turns, four waiting answers, and what HTTP/2 flow control holds in flight.
            assert 2 <= seen <= 20, f"the server ran {seen} of {sent} turns for a client that reads nothing"
            call.cancel()
        async with asyncio.timeout(30):
            while service._running:
                await asyncio.sleep(0.05)
        async with GrpcChatClient(address) as client:
            answers = [a async for a in client.send("unread-0", "What does step 1 do?")]
        assert answers[-1].final
