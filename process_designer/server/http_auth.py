"""HTTP authentication: ASGI middleware for the API (REST and WebSocket) that sets the caller.

A browser cannot set headers on a WebSocket, so a chat socket may carry its token as the
subprotocols ``bearer, <token>`` instead (``new WebSocket(url, ["bearer", token])``). Tokens
in the query string are never read: they end up in access logs and browser history.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from process_designer.principal import acting_as
from process_designer.server.access import AccessControl
from process_designer.server.auth import AuthenticationError, Authenticator

__all__ = ["BEARER_SUBPROTOCOL", "AuthMiddleware"]

BEARER_SUBPROTOCOL = "bearer"
_NO_SUBPROTOCOL_TOKEN = ("the 'bearer' subprotocol needs the token as the next value: "
                         "new WebSocket(url, ['bearer', token])")
# RFC 6455 limits a close frame's reason to 123 bytes.
_CLOSE_REASON_BYTES = 123


class AuthMiddleware:
    """Requests under ``prefix`` need a bearer token: 401 (HTTP) or a 1008 close (WebSocket) without one.

    The token comes from ``Authorization: Bearer <token>`` or, on a WebSocket, from the
    subprotocols ``bearer, <token>``; such a socket is accepted with the subprotocol ``bearer``.
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
        authorization = headers.get("authorization")
        offered = _subprotocol_token(scope)
        token_missing = authorization is None and offered == ""
        if authorization is None and offered is not None:
            authorization = f"Bearer {offered}"
        try:
            principal = self._authenticator.authenticate(authorization)
        except AuthenticationError as exc:
            if offered is None:
                await _refuse(scope, send, str(exc))
            else:
                reason = _NO_SUBPROTOCOL_TOKEN if token_missing else str(exc)
                await _close_after_accept(receive, send, reason)
            return
        acting_as(principal)
        await self._app(scope, receive, _choosing_bearer(send) if offered is not None else send)


def _subprotocol_token(scope: Scope) -> str | None:
    """The token after ``bearer`` in a WebSocket's subprotocols ('' if none follows), or ``None``."""
    if scope["type"] != "websocket":
        return None
    offered = [str(value).strip() for value in scope.get("subprotocols") or ()]
    lowered = [value.lower() for value in offered]
    if BEARER_SUBPROTOCOL not in lowered:
        return None
    position = lowered.index(BEARER_SUBPROTOCOL)
    return offered[position + 1] if position + 1 < len(offered) else ""


def _choosing_bearer(send: Send) -> Send:
    """``send`` accepting the socket with the ``bearer`` subprotocol, which the browser insists on."""

    async def send_choosing_bearer(message: Message) -> None:
        if message["type"] == "websocket.accept" and not message.get("subprotocol"):
            message = {**message, "subprotocol": BEARER_SUBPROTOCOL}
        await send(message)

    return send_choosing_bearer


def _close_reason(reason: str) -> str:
    return reason.encode("utf-8")[:_CLOSE_REASON_BYTES].decode("utf-8", errors="ignore")


async def _close_after_accept(receive: Receive, send: Send, reason: str) -> None:
    # A browser sees a refused handshake only as an anonymous failure (1006); accepting first and
    # closing with 1008 lets the page tell the person why. Nothing is read or sent in between.
    if (await receive())["type"] != "websocket.connect":
        return
    await send({"type": "websocket.accept", "subprotocol": BEARER_SUBPROTOCOL})
    await send({"type": "websocket.close", "code": 1008, "reason": _close_reason(reason)})


async def _refuse(scope: Scope, send: Send, reason: str) -> None:
    if scope["type"] == "websocket":
        # Before the accept, the server answers the handshake with 403.
        await send({"type": "websocket.close", "code": 1008, "reason": _close_reason(reason)})
        return
    body = json.dumps({"error": "unauthenticated", "detail": reason}).encode()
    await send({"type": "http.response.start", "status": 401,
                "headers": [(b"content-type", b"application/json"), (b"www-authenticate", b"Bearer"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
