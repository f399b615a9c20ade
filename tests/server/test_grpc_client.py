"""GrpcChatClient, the client the terminal chat and the benchmark use, against a real server."""

from __future__ import annotations

import asyncio
import socket

import grpc
import pytest
from grpc_harness import Running

from process_designer.errors import InputError
from process_designer.server.grpc_client import ChatClientError, GrpcChatClient


async def test_concurrent_sends_on_one_stream_get_their_own_answers(running: Running) -> None:
    async with GrpcChatClient(f"127.0.0.1:{running.port}") as client:

        async def context(thread_id: str, owner: str) -> list[tuple[str, str, str]]:
            return [
                (a.thread_id, a.client_msg_id, a.agent)
                async for a in client.send(thread_id, f"owner: {owner}", role="SYSTEM", client_msg_id=f"{thread_id}-1")
            ]

        first, second = await asyncio.gather(context("alpha", "Sales"), context("beta", "Finance"))
    assert first == [("alpha", "alpha-1", agent) for agent in ("route_turn", "update_context", "respond")]
    assert second == [("beta", "beta-1", agent) for agent in ("route_turn", "update_context", "respond")]


async def test_an_error_status_reaches_the_sender(running: Running) -> None:
    async with GrpcChatClient(f"127.0.0.1:{running.port}") as client:
        with pytest.raises(ChatClientError) as caught:
            async for _ in client.send("bad id", "owner: Ops", role="SYSTEM"):
                pass
    assert caught.value.code == grpc.StatusCode.INVALID_ARGUMENT
    assert str(caught.value) == (
        "the server answered INVALID_ARGUMENT: thread_id 'bad id' is malformed; "
        "use 1 to 128 characters of letters, digits, '.', '_', ':' or '-'"
    )


async def test_an_unknown_role_is_refused_before_sending(running: Running) -> None:
    async with GrpcChatClient(f"127.0.0.1:{running.port}") as client:
        with pytest.raises(InputError, match=r"^role 'ADMIN' is not a threads.v1.Role; use USER or SYSTEM$"):
            await anext(client.send("t", "hello", role="ADMIN"))


async def test_an_unreachable_server_is_one_clear_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        address = f"127.0.0.1:{probe.getsockname()[1]}"  # bound, never listening
        with pytest.raises(ChatClientError, match=rf"^cannot reach a Process Designer server at {address} within 0.3s;"):
            await GrpcChatClient(address, connect_timeout=0.3).connect()
