"""``process-designer chat``: a terminal chat, in-process or against a running server (``--server``)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import sys
import threading
import uuid
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Protocol, TextIO

from process_designer.cli.inputs import decode_utf8
from process_designer.config import load_settings
from process_designer.errors import InputError, ProcessDesignerError

if TYPE_CHECKING:
    from process_designer.server.messages import OutgoingMessage

__all__ = ["register", "run"]

_HELP = "type a message; /system KEY: VALUE sets context; /quit, Ctrl-D or Ctrl-C leaves"


class _Backend(Protocol):
    async def open(self) -> None: ...
    def send(self, thread_id: str, content: str, *, role: str) -> AsyncIterator[OutgoingMessage]: ...
    async def close(self) -> None: ...


class _InProcess:
    """Talks to the service in this process."""

    def __init__(self) -> None:
        from process_designer.service import DesignService

        self._service = DesignService.open(load_settings())

    async def open(self) -> None:
        """Nothing to connect to: the service runs in this process."""

    async def send(self, thread_id: str, content: str, *, role: str) -> AsyncIterator[OutgoingMessage]:
        from process_designer.server.messages import IncomingMessage

        message = IncomingMessage(thread_id=thread_id, role=role, content=content, client_msg_id=uuid.uuid4().hex)
        async with contextlib.aclosing(self._service.handle(message)) as answers:
            async for answer in answers:
                yield answer

    async def close(self) -> None:
        self._service.close()


class _Remote:
    """Talks to a server over gRPC; a stream the server ended is reopened for the next message."""

    def __init__(self, address: str) -> None:
        from process_designer.server.grpc_client import GrpcChatClient

        self._address = address
        self._factory = functools.partial(GrpcChatClient, token=load_settings().token)
        self._client: GrpcChatClient | None = None
        self._broken = False

    async def open(self) -> None:
        """Connect now, so that an unreachable server is reported before the first message."""
        if self._client is not None:
            await self._client.close()
        self._client = self._factory(self._address)
        await self._client.connect()
        self._broken = False

    async def send(self, thread_id: str, content: str, *, role: str) -> AsyncIterator[OutgoingMessage]:
        if self._client is None or self._broken:
            await self.open()
        assert self._client is not None
        try:
            async for answer in self._client.send(thread_id, content, role=role):
                yield answer
        except ProcessDesignerError:
            self._broken = True
            raise

    async def close(self) -> None:
        if self._client is not None:
            await self._client.close()


def _start_reading(stream: TextIO) -> asyncio.Queue[str | InputError | None]:
    """Read lines in a daemon thread so that a blocked read never holds up exit.

    A line that is not UTF-8 comes through as the InputError that names it; the lines after it
    are still read.
    """
    loop = asyncio.get_running_loop()
    lines: asyncio.Queue[str | InputError | None] = asyncio.Queue()

    def read() -> None:
        raw = getattr(stream, "buffer", None)
        for number, line in enumerate(raw if raw is not None else stream, start=1):
            item: str | InputError = line if isinstance(line, str) else ""
            if isinstance(line, bytes):
                try:
                    item = decode_utf8(line, f"standard input, line {number},")
                except InputError as exc:
                    item = exc
            loop.call_soon_threadsafe(lines.put_nowait, item)
        loop.call_soon_threadsafe(lines.put_nowait, None)

    threading.Thread(target=read, name="chat-stdin", daemon=True).start()
    return lines


async def _chat(backend: _Backend, thread_id: str, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    interactive = stdin.isatty()
    print(f"thread {thread_id} — {_HELP}", file=stderr, flush=True)
    lines = _start_reading(stdin)
    while True:
        if interactive:
            print("you> ", end="", file=stdout, flush=True)
        line = await lines.get()
        if isinstance(line, InputError):
            print(f"process-designer: error: {line}; this line was not sent", file=stderr, flush=True)
            continue
        if line is None or line.strip() == "/quit":
            return 0
        text = line.strip()
        if not text:
            continue
        role = "USER"
        if text.startswith("/system"):
            role, text = "SYSTEM", text[len("/system") :].strip()
        elif text.startswith("/"):
            print(f"unknown command {text.split()[0]!r}; {_HELP}", file=stderr, flush=True)
            continue
        try:
            async for answer in backend.send(thread_id, text, role=role):
                print(f"[{answer.agent}] {answer.content}", file=stdout, flush=True)
        except ProcessDesignerError as exc:
            print(f"process-designer: error: {exc}", file=stderr, flush=True)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``chat`` sub-command."""
    parser = subparsers.add_parser(
        "chat",
        help="chat with the designer in the terminal (works with piped input too)",
        description="Each answer is printed as it streams, one line per agent stage. " + _HELP + ".",
    )
    parser.add_argument("--thread", help="continue this thread (default: a new one; its id is printed)")
    parser.add_argument("--server", metavar="HOST:PORT", help="talk to a running `process-designer serve`")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the chat until /quit, end of input or Ctrl-C."""
    from process_designer.server.messages import validate_id

    thread_id = validate_id(args.thread, "--thread") if args.thread else f"chat-{uuid.uuid4().hex[:12]}"
    if args.server is not None and not args.server.rpartition(":")[2].isdigit():
        raise InputError(f"--server {args.server!r} is not HOST:PORT; e.g. --server 127.0.0.1:50051")

    async def main() -> int:
        backend: _Backend = _Remote(args.server) if args.server else _InProcess()
        try:
            await backend.open()
            return await _chat(backend, thread_id, sys.stdin, sys.stdout, sys.stderr)
        finally:
            await backend.close()

    try:
        return asyncio.run(main())
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 0
