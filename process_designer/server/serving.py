"""Run the service's listeners (gRPC and HTTP) over one DesignService until SIGTERM or SIGINT, then drain them."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from process_designer.config import Settings
from process_designer.server.grpc_server import create_server
from process_designer.server.http_listener import start_http
from process_designer.service import DesignService

__all__ = ["LISTENERS", "Listener", "serve", "start_grpc"]


class Listener(Protocol):
    """A started server: where it listens, and how to stop it."""

    address: str

    async def stop(self, grace: float) -> None: ...


StartListener = Callable[[DesignService, Settings], Awaitable[Listener]]


async def start_grpc(service: DesignService, settings: Settings) -> Listener:
    """Start the gRPC server on ``settings.host:settings.grpc_port``."""
    server, _port = create_server(service, f"{settings.host}:{settings.grpc_port}")
    await server.start()
    return server


LISTENERS: tuple[tuple[str, StartListener], ...] = (("gRPC", start_grpc), ("HTTP", start_http))


async def serve(
    service: DesignService,
    settings: Settings,
    *,
    grace: float = 10.0,
    listeners: Sequence[tuple[str, StartListener]] = LISTENERS,
    announce: Callable[[str], None] = print,
    stop: asyncio.Event | None = None,
) -> None:
    """Start every listener, announce its address, and drain them all on SIGTERM/SIGINT or ``stop``."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    started: list[Listener] = []
    try:
        for name, start in listeners:
            listener = await start(service, settings)
            started.append(listener)
            announce(f"{name} listening on {listener.address}")
        await stop.wait()
        announce(f"shutting down; finishing turns in progress (up to {grace:g}s)")
    finally:
        await asyncio.gather(*(listener.stop(grace) for listener in reversed(started)))
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)
