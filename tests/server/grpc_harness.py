"""Test harness: a real Designer behind a gate, a real ChatService, a real gRPC server on port 0."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

import grpc

from process_designer.config import Settings
from process_designer.designer import Designer
from process_designer.knowledge.library import TemplateLibrary
from process_designer.server._proto.sopwriter.v1 import sopwriter_pb2, sopwriter_pb2_grpc
from process_designer.server._proto.threads.v1 import threads_pb2
from process_designer.server.chat_service import ChatService
from process_designer.server.grpc_server import GrpcOptions, GrpcServer, create_server
from process_designer.storage.checkpoints import LATEST, Base

REQUIREMENTS = (
    "Automated customer onboarding for a SaaS product: sales closes the deal in the CRM, "
    "billing creates the subscription, then support sends the welcome e-mail within 1 day."
)


class GatedDesigner:
    """The real Designer, counting the turns it runs. A turn on a thread in ``held`` pauses
    after its first stage until :meth:`open_gate` — a stage boundary a test can cancel at."""

    def __init__(self, inner: Designer) -> None:
        self.inner = inner
        self.runs: list[tuple[str, str, str]] = []
        self.stopped_early: list[str] = []
        self.held: set[str] = set()
        self.paused = asyncio.Event()
        self.release = asyncio.Event()

    async def astream_turn(
        self, thread_id: str, content: str, *, role: Literal["USER", "SYSTEM"] = "USER", title: str | None = None,
        on_start: Callable[[int, str | None], None] | None = None,
        base: Base = LATEST,
    ) -> AsyncIterator[Any]:
        self.runs.append((thread_id, role, content))
        answered = False
        stream = self.inner.astream_turn(thread_id, content, role=role, title=title, on_start=on_start, base=base)
        try:
            async for event in stream:
                yield event
                answered = answered or event.final
                if thread_id in self.held and not answered:
                    self.paused.set()
                    await self.release.wait()
        finally:
            if not answered:
                self.stopped_early.append(thread_id)
            await stream.aclose()

    def open_gate(self) -> None:
        self.held.clear()
        self.release.set()

    def document(self, thread_id: str) -> Any:
        return self.inner.document(thread_id)

    def history(self, thread_id: str) -> list[Any]:
        return self.inner.history(thread_id)

    def head(self, thread_id: str) -> str | None:
        return self.inner.head(thread_id)

    def close(self) -> None:
        self.inner.close()


@dataclass
class Running:
    """A started server and what a test needs to talk to it and look inside."""

    service: ChatService
    designer: GatedDesigner
    server: GrpcServer
    port: int
    channel: grpc.aio.Channel

    @property
    def stub(self) -> sopwriter_pb2_grpc.ProcessWriterStub:
        return sopwriter_pb2_grpc.ProcessWriterStub(self.channel)


@contextlib.asynccontextmanager
async def running_server(
    settings: Settings, library: TemplateLibrary, *, grace: float = 5.0, options: GrpcOptions | None = None
) -> AsyncIterator[Running]:
    """Start ChatService + gRPC server on 127.0.0.1:0; stop and close everything on exit.

    The template library is shared between tests: building its index is the slow part.
    """
    designer = GatedDesigner(Designer(settings, library=library))
    service = ChatService(designer, settings)  # type: ignore[arg-type]
    server, port = create_server(service, "127.0.0.1:0", options=options)
    await server.start()
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{port}")
    try:
        yield Running(service, designer, server, port, channel)
    finally:
        designer.open_gate()
        await channel.close()
        await server.stop(grace)
        service.close()


def user(thread_id: str, content: str, client_msg_id: str = "") -> sopwriter_pb2.ChatMessage:
    return sopwriter_pb2.ChatMessage(
        thread_id=thread_id, role=threads_pb2.USER, content=content, client_msg_id=client_msg_id
    )


def system(thread_id: str, content: str, client_msg_id: str = "") -> sopwriter_pb2.ChatMessage:
    return sopwriter_pb2.ChatMessage(
        thread_id=thread_id, role=threads_pb2.SYSTEM, content=content, client_msg_id=client_msg_id
    )


async def chat(running: Running, messages: Iterable[sopwriter_pb2.ChatMessage]) -> list[sopwriter_pb2.ChatMessage]:
    """Send ``messages`` on one stream, half-close, and collect every answer."""
    return [answer async for answer in running.stub.Chat(iter(list(messages)))]


class OpenStream:
    """A Chat call the test writes to message by message and reads turn by turn."""

    def __init__(self, running: Running, *, timeout: float | None = None) -> None:
        self.call = running.stub.Chat(timeout=timeout)

    async def send(self, message: sopwriter_pb2.ChatMessage) -> None:
        await self.call.write(message)

    async def turn(self) -> list[sopwriter_pb2.ChatMessage]:
        """Read answers up to and including the next final one."""
        answers: list[sopwriter_pb2.ChatMessage] = []
        while True:
            answer = await self.call.read()
            assert answer is not grpc.aio.EOF, f"the stream ended after {answers}"
            answers.append(answer)
            if answer.final:
                return answers

    async def end_status(self) -> tuple[grpc.StatusCode, str]:
        """Read to the end of the stream and return its status and details."""
        with contextlib.suppress(grpc.aio.AioRpcError):
            while await self.call.read() is not grpc.aio.EOF:
                pass
        return await self.call.code(), await self.call.details()


async def held_turn(running: Running, thread_id: str, client_msg_id: str, *, timeout: float | None = None) -> OpenStream:
    """Open a stream whose design turn on ``thread_id`` is paused after its first stage."""
    running.designer.held.add(thread_id)
    stream = OpenStream(running, timeout=timeout)
    await stream.send(user(thread_id, REQUIREMENTS, client_msg_id))
    await asyncio.wait_for(running.designer.paused.wait(), 5)
    return stream


async def wait_for(condition: Any, timeout: float = 5.0) -> None:
    """Poll ``condition()`` until it is true; fail after ``timeout`` seconds."""
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)
