"""ASGI middleware: one SERVER span per HTTP request or WebSocket, continuing the caller's trace."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from opentelemetry import propagate
from opentelemetry.trace import SpanKind, Status, StatusCode

from process_designer.telemetry.setup import current

__all__ = ["TracingMiddleware"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class TracingMiddleware:
    """Span ``<METHOD> <route template>`` (``WEBSOCKET <route>`` for a chat socket) with HTTP attributes."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = {key.decode("latin-1"): value.decode("latin-1") for key, value in scope.get("headers", ())}
        method = scope.get("method", "WEBSOCKET") if scope["type"] == "http" else "WEBSOCKET"
        attributes: dict[str, Any] = {"http.request.method": method, "url.path": scope.get("path", ""),
                                      "url.scheme": scope.get("scheme", "http")}
        status: dict[str, int] = {}

        async def recording_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = int(message["status"])
            await send(message)

        tracer = current().tracer
        with tracer.start_as_current_span(method, context=propagate.extract(headers), kind=SpanKind.SERVER,
                                          attributes=attributes) as span:
            try:
                await self.app(scope, receive, recording_send)
            finally:
                route = getattr(scope.get("route"), "path", None)
                if route:
                    span.update_name(f"{method} {route}")
                    span.set_attribute("http.route", route)
                if "code" in status:
                    span.set_attribute("http.response.status_code", status["code"])
                    if status["code"] >= 500:
                        span.set_attribute("error.type", str(status["code"]))
                        span.set_status(Status(StatusCode.ERROR))
