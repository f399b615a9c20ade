"""The ``sopwriter.v1.ProcessWriter`` servicer: translates ``ChatMessage`` streams to the service's chat turns."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterable, AsyncIterator
from typing import Any

import grpc
from google.protobuf.message import DecodeError

from process_designer.errors import (
    EngineError,
    InputError,
    NotFoundError,
    ProcessDesignerError,
    StorageFullError,
)
from process_designer.server._proto.sopwriter.v1 import sopwriter_pb2, sopwriter_pb2_grpc
from process_designer.server._proto.threads.v1 import threads_pb2
from process_designer.server.messages import (
    IncomingMessage,
    MessageConflictError,
    OutgoingMessage,
    ServiceUnavailableError,
    TurnAbortedError,
)
from process_designer.service import ChatTurns

__all__ = ["ProcessWriterServicer", "add_servicer", "from_proto", "status_code", "to_incoming", "to_proto"]

logger = logging.getLogger(__name__)

ChatMessage = sopwriter_pb2.ChatMessage

_STATUS: tuple[tuple[type[ProcessDesignerError], grpc.StatusCode], ...] = (
    (MessageConflictError, grpc.StatusCode.ALREADY_EXISTS),
    (NotFoundError, grpc.StatusCode.NOT_FOUND),
    (InputError, grpc.StatusCode.INVALID_ARGUMENT),
    (TurnAbortedError, grpc.StatusCode.ABORTED),
    (ServiceUnavailableError, grpc.StatusCode.UNAVAILABLE),
    (EngineError, grpc.StatusCode.UNAVAILABLE),
    (StorageFullError, grpc.StatusCode.RESOURCE_EXHAUSTED),
)


def status_code(error: ProcessDesignerError) -> grpc.StatusCode:
    """The gRPC status an error ends a stream with; unlisted errors are INTERNAL."""
    for kind, code in _STATUS:
        if isinstance(error, kind):
            return code
    return grpc.StatusCode.INTERNAL


def to_incoming(request: sopwriter_pb2.ChatMessage) -> IncomingMessage:
    """Translate a client's ``ChatMessage``; an unknown role number is kept for validation to name."""
    try:
        role = threads_pb2.Role.Name(request.role)
    except ValueError:
        role = str(request.role)
    return IncomingMessage(
        thread_id=request.thread_id, role=role, content=request.content, client_msg_id=request.client_msg_id
    )


def from_proto(message: sopwriter_pb2.ChatMessage) -> OutgoingMessage:
    """Translate an ASSISTANT message from the wire (for clients)."""
    return OutgoingMessage(
        thread_id=message.thread_id,
        content=message.content,
        client_msg_id=message.client_msg_id,
        agent=message.agent,
        final=message.final,
        message_id=message.message_id,
        version=message.version if message.HasField("version") else None,
        replayed=message.replayed,
        partial=message.partial,
        restart=message.restart,
    )


def to_proto(message: OutgoingMessage) -> sopwriter_pb2.ChatMessage:
    """Translate an ASSISTANT message for the wire."""
    return ChatMessage(
        thread_id=message.thread_id,
        role=threads_pb2.ASSISTANT,
        content=message.content,
        client_msg_id=message.client_msg_id,
        agent=message.agent,
        final=message.final,
        message_id=message.message_id,
        version=message.version,
        replayed=message.replayed,
        partial=message.partial,
        restart=message.restart,
    )


class _Malformed:
    """A request frame that is not a ``ChatMessage`` (e.g. a string field that is not UTF-8)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _read_frame(data: bytes) -> sopwriter_pb2.ChatMessage | _Malformed:
    """Decode one request frame; a bad frame becomes a value the stream answers with INVALID_ARGUMENT
    (grpc would otherwise end the call without a status the client can act on)."""
    try:
        return ChatMessage.FromString(data)
    except DecodeError as exc:
        return _Malformed(str(exc) or "undecodable protobuf")


def add_servicer(servicer: ProcessWriterServicer, server: grpc.aio.Server) -> None:
    """Register ``servicer`` as ``sopwriter.v1.ProcessWriter`` with the tolerant request decoder."""
    handlers = {"Chat": grpc.stream_stream_rpc_method_handler(
        servicer.Chat, request_deserializer=_read_frame, response_serializer=ChatMessage.SerializeToString)}
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler("sopwriter.v1.ProcessWriter", handlers),))
    server.add_registered_method_handlers("sopwriter.v1.ProcessWriter", handlers)


def _settle(future: asyncio.Future[Any]) -> None:
    """Mark a read abandoned at the end of a call as handled, whatever it ended with."""
    if not future.cancelled():
        future.exception()


class _InternalError(ProcessDesignerError):
    """A defect in the service; the details are in the server log."""


class _ChatStream:
    """One ``Chat`` call: reads messages, runs each as a ChatService turn, merges the answers.

    Turns of different threads run concurrently; ChatService orders turns of one thread. At
    most ``max_turns`` are in progress; further messages wait unread (flow control). At most
    ``max_pending`` answers wait to be sent: a turn whose answer finds no room waits and
    still counts as in progress, so a client that stops reading stops the reading of its
    messages too, and the stream holds a bounded amount of memory. The first error, or a
    server shutdown, stops reading: turns already accepted finish and their answers are
    sent, then the stream ends with the error's status.
    """

    def __init__(self, service: ChatTurns, max_turns: int, max_pending: int) -> None:
        self._service = service
        self._max_turns = max_turns
        self._answers: asyncio.Queue[sopwriter_pb2.ChatMessage | None] = asyncio.Queue()
        self._room = asyncio.Semaphore(max_pending)
        self._turns: set[asyncio.Task[None]] = set()
        self._stop_reading = asyncio.Event()
        self.error: ProcessDesignerError | None = None

    def end(self, error: ProcessDesignerError) -> None:
        """Stop reading; end with ``error`` once the accepted turns are answered."""
        if self.error is None:
            self.error = error
        self._stop_reading.set()

    async def answers(self, requests: AsyncIterable[sopwriter_pb2.ChatMessage]) -> AsyncIterator[ChatMessage]:
        reader = asyncio.create_task(self._read(requests))
        try:
            while (answer := await self._answers.get()) is not None:
                self._room.release()
                yield answer
        finally:
            reader.cancel()
            for turn in list(self._turns):
                turn.cancel()
            # Wait so that cancelled turns release their thread locks before the call ends.
            await asyncio.gather(reader, *self._turns, return_exceptions=True)

    async def _read(self, requests: AsyncIterable[sopwriter_pb2.ChatMessage]) -> None:
        iterator = aiter(requests)
        stop = asyncio.ensure_future(self._stop_reading.wait())
        receive: asyncio.Future[sopwriter_pb2.ChatMessage] | None = None
        try:
            while True:
                if len(self._turns) >= self._max_turns:
                    # Back-pressure: read on only when one of this stream's turns is done.
                    await asyncio.wait({stop, *self._turns}, return_when=asyncio.FIRST_COMPLETED)
                    if stop.done():
                        break
                    continue
                receive = asyncio.ensure_future(anext(iterator))
                await asyncio.wait({receive, stop}, return_when=asyncio.FIRST_COMPLETED)
                if not receive.done():
                    break
                try:
                    request = receive.result()
                except StopAsyncIteration:
                    break
                self._start(request)
                if stop.done():
                    break
            if self._turns:
                await asyncio.wait(set(self._turns))
        finally:
            for waiter in (receive, stop):
                if waiter is not None:
                    waiter.cancel()
                    waiter.add_done_callback(_settle)
            self._answers.put_nowait(None)

    def _start(self, request: sopwriter_pb2.ChatMessage | _Malformed) -> None:
        if isinstance(request, _Malformed):
            self.end(InputError(f"a message on this stream is not a valid ChatMessage ({request.reason}); "
                                "string fields must be UTF-8 text. It was not stored; messages before it are "
                                "answered"))
            return
        turn = asyncio.create_task(self._answer(to_incoming(request)))
        self._turns.add(turn)
        turn.add_done_callback(self._turns.discard)

    async def _answer(self, message: IncomingMessage) -> None:
        try:
            async with contextlib.aclosing(self._service.handle(message)) as answers:
                async for answer in answers:
                    await self._room.acquire()
                    self._answers.put_nowait(to_proto(answer))
        except ProcessDesignerError as exc:
            self.end(exc)
        except Exception:
            logger.exception("chat turn on thread %r failed", message.thread_id)
            self.end(_InternalError("the server failed on this message; the details are in its log"))


class ProcessWriterServicer(sopwriter_pb2_grpc.ProcessWriterServicer):
    """``sopwriter.v1.ProcessWriter`` over the service's chat turns."""

    def __init__(self, service: ChatTurns, *, max_turns_per_stream: int = 32,
                 max_pending_answers: int = 64) -> None:
        self._service = service
        self._max_turns = max_turns_per_stream
        self._max_pending = max_pending_answers
        self._streams: set[_ChatStream] = set()

    async def Chat(
        self, request_iterator: AsyncIterable[sopwriter_pb2.ChatMessage], context: grpc.aio.ServicerContext
    ) -> AsyncIterator[sopwriter_pb2.ChatMessage]:
        stream = _ChatStream(self._service, self._max_turns, self._max_pending)
        self._streams.add(stream)
        try:
            async for answer in stream.answers(request_iterator):
                yield answer
        finally:
            self._streams.discard(stream)
        if stream.error is not None:
            await context.abort(status_code(stream.error), str(stream.error))

    def begin_shutdown(self) -> None:
        """Stop reading every open stream; each finishes its accepted turns, then ends UNAVAILABLE."""
        self._service.stop_accepting()
        for stream in list(self._streams):
            stream.end(
                ServiceUnavailableError(
                    "the server is shutting down; reconnect and resend any message that was not "
                    "answered (resending the same client_msg_id is safe)"
                )
            )
