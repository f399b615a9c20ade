"""A client of the ProcessWriter Chat stream: one open stream, answers sorted back to each message."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from types import TracebackType

import grpc

from process_designer.errors import InputError, ProcessDesignerError
from process_designer.server._proto.sopwriter.v1 import sopwriter_pb2, sopwriter_pb2_grpc
from process_designer.server._proto.threads.v1 import threads_pb2
from process_designer.server.grpc_chat import from_proto
from process_designer.server.messages import OutgoingMessage

__all__ = ["ChatClientError", "GrpcChatClient"]

_Key = tuple[str, str]
# Answers carry whole documents (the server sends up to 16 MiB); idle chats are kept alive
# with pings no more often than the server's 10 s minimum allows.
_CHANNEL_OPTIONS = (
    ("grpc.max_receive_message_length", 16 * 1024 * 1024),
    ("grpc.keepalive_time_ms", 60_000),
    ("grpc.keepalive_timeout_ms", 20_000),
)


class ChatClientError(ProcessDesignerError):
    """The server ended the stream or could not be reached; ``code`` is the gRPC status."""

    def __init__(self, message: str, code: grpc.StatusCode) -> None:
        super().__init__(message)
        self.code = code


class GrpcChatClient:
    """``async with GrpcChatClient("127.0.0.1:50051") as client: async for m in client.send(...)``.

    Several messages may be in flight at once (other threads, or the same thread queued);
    each ``send`` yields only the answers that echo its ``thread_id`` and ``client_msg_id``.
    """

    def __init__(self, address: str, *, connect_timeout: float = 5.0, token: str | None = None) -> None:
        self.address = address
        self._metadata = (("authorization", f"Bearer {token}"),) if token else None
        self._connect_timeout = connect_timeout
        self._channel: grpc.aio.Channel | None = None
        self._call: grpc.aio.StreamStreamCall | None = None
        self._pending: dict[_Key, asyncio.Queue[OutgoingMessage | ChatClientError]] = {}
        self._reader: asyncio.Task[None] | None = None
        self._write_lock = asyncio.Lock()
        self._failure: ChatClientError | None = None

    async def __aenter__(self) -> GrpcChatClient:
        await self.connect()
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        await self.close()

    async def connect(self) -> None:
        """Open the channel and the Chat stream; raise :class:`ChatClientError` if unreachable."""
        self._channel = grpc.aio.insecure_channel(self.address, options=_CHANNEL_OPTIONS)
        try:
            await asyncio.wait_for(self._channel.channel_ready(), self._connect_timeout)
        except TimeoutError:
            await self._channel.close()
            raise ChatClientError(
                f"cannot reach a Process Designer server at {self.address} within {self._connect_timeout:g}s; "
                "start one with `process-designer serve` or check --server HOST:PORT",
                grpc.StatusCode.UNAVAILABLE,
            ) from None
        stub = sopwriter_pb2_grpc.ProcessWriterStub(self._channel)
        self._call = stub.Chat(metadata=self._metadata)
        self._reader = asyncio.create_task(self._read(self._call))

    async def send(
        self, thread_id: str, content: str, *, role: str = "USER", client_msg_id: str | None = None
    ) -> AsyncIterator[OutgoingMessage]:
        """Send one message and yield its answers up to the final one."""
        if self._call is None:
            raise ChatClientError("the client is not connected; use `async with GrpcChatClient(...)`", grpc.StatusCode.FAILED_PRECONDITION)
        if self._failure is not None:
            raise self._failure
        if role not in threads_pb2.Role.keys():  # noqa: SIM118 - an enum wrapper has no __contains__
            raise InputError(f"role {role!r} is not a threads.v1.Role; use USER or SYSTEM")
        client_msg_id = client_msg_id or uuid.uuid4().hex
        key = (thread_id, client_msg_id)
        queue: asyncio.Queue[OutgoingMessage | ChatClientError] = asyncio.Queue()
        self._pending[key] = queue
        try:
            # grpc.aio allows one pending write per stream: concurrent senders take turns.
            async with self._write_lock:
                await self._call.write(
                    sopwriter_pb2.ChatMessage(
                        thread_id=thread_id,
                        role=role,
                        content=content,
                        client_msg_id=client_msg_id,
                    )
                )
            while True:
                item = await queue.get()
                if isinstance(item, ChatClientError):
                    raise item
                yield item
                if item.final:
                    return
        except grpc.aio.AioRpcError as exc:
            raise self._failure or ChatClientError(_describe(exc), exc.code()) from None
        finally:
            self._pending.pop(key, None)

    async def close(self) -> None:
        """Half-close the stream, then close the channel."""
        if self._call is not None and self._failure is None:
            # If the stream already ended, the reader has recorded why.
            with contextlib.suppress(grpc.aio.AioRpcError):
                await self._call.done_writing()
        if self._reader is not None:
            self._reader.cancel()
        if self._channel is not None:
            await self._channel.close()

    async def _read(self, call: grpc.aio.StreamStreamCall) -> None:
        try:
            async for raw in call:
                message = from_proto(raw)
                queue = self._pending.get((message.thread_id, message.client_msg_id))
                if queue is not None:
                    queue.put_nowait(message)
            failure = ChatClientError("the server ended the chat stream", grpc.StatusCode.OK)
        except grpc.aio.AioRpcError as exc:
            failure = ChatClientError(_describe(exc), exc.code())
        self._failure = failure
        for queue in self._pending.values():
            queue.put_nowait(failure)


def _describe(error: grpc.aio.AioRpcError) -> str:
    return f"the server answered {error.code().name}: {error.details()}"
