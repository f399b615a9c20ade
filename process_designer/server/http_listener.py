"""Run the HTTP app with uvicorn inside the service's event loop, as one of its listeners."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Generator

import uvicorn

from process_designer.config import Settings
from process_designer.server.http_app import create_app
from process_designer.service import DesignService

__all__ = ["HttpListener", "start_http"]


class _Server(uvicorn.Server):
    """A uvicorn server that leaves SIGTERM/SIGINT to the service, which stops every listener."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


class HttpListener:
    """A started HTTP server: ``address`` is ``host:port`` (the real port when 0 was asked)."""

    def __init__(self, server: uvicorn.Server, task: asyncio.Task[None], address: str) -> None:
        self._server = server
        self._task = task
        self.address = address

    @property
    def port(self) -> int:
        return int(self.address.rsplit(":", 1)[1])

    async def stop(self, grace: float) -> None:
        """Stop accepting, give open requests ``grace`` seconds, then close them."""
        self._server.should_exit = True
        try:
            await asyncio.wait_for(asyncio.shield(self._task), timeout=grace)
        except TimeoutError:
            self._server.force_exit = True
            await self._task


async def start_http(service: DesignService, settings: Settings, *, ping_interval: float = 20.0,
                     ping_timeout: float = 20.0) -> HttpListener:
    """Serve :func:`create_app` over ``service`` on ``settings.host:settings.http_port`` until ``stop``.

    A WebSocket whose client answers no ping within ``ping_timeout`` seconds is closed (1011).
    """
    app = create_app(service)
    config = uvicorn.Config(app, host=settings.host, port=settings.http_port, log_level="warning",
                            lifespan="on", ws_max_size=max(4 * settings.max_message_bytes, 1024 * 1024),
                            ws_ping_interval=ping_interval, ws_ping_timeout=ping_timeout)
    server = _Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise OSError(f"the HTTP server did not start on {settings.host}:{settings.http_port}; "
                          "pick another port with --http-port or PD_HTTP_PORT")
        await asyncio.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    return HttpListener(server, task, f"{settings.host}:{port}")
