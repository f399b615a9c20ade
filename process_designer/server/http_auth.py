"""HTTP authentication: ASGI middleware for the API (REST and WebSocket) that sets the caller."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Receive, Scope, Send

from process_designer.server.access import AccessControl
from process_designer.server.auth import AuthenticationError, Authenticator, acting_as

__all__ = ["AuthMiddleware"]


class AuthMiddleware:
    """Requests under ``prefix`` need a bearer token: 401 (HTTP) or a 1008 close (WebSocket) without one.

    Health, the page and the OpenAPI description stay open. Running the app inside this
    middleware's task makes the principal visible to every handler of the request.
    """

    def __init__(self, app: ASGIApp, authenticator: Authenticator, access: AccessControl, prefix: str) -> None:
        self._app = app
        self._authenticator = authenticator
        self._prefix = prefix
        if access.authentication_failed not in authenticator.failures:
            authenticator.failures.append(access.authentication_failed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or not str(scope["path"]).startswith(self._prefix):
            await self._app(scope, receive, send)
            return
        headers = {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in scope["headers"]}
        try:
            principal = self._authenticator.authenticate(headers.get("authorization"))
        except AuthenticationError as exc:
            await _refuse(scope, send, str(exc))
            return
        acting_as(principal)
        await self._app(scope, receive, send)


async def _refuse(scope: Scope, send: Send, reason: str) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008, "reason": reason[:120]})
        return
    body = json.dumps({"error": "unauthenticated", "detail": reason}).encode()
    await send({"type": "http.response.start", "status": 401,
                "headers": [(b"content-type", b"application/json"), (b"www-authenticate", b"Bearer"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
