"""Map the product's exceptions to HTTP statuses and the JSON body ``{"error", "detail"}``."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from process_designer.errors import (
    InputError,
    NotFoundError,
    ProcessDesignerError,
    StorageFullError,
    TemplateError,
)
from process_designer.server.messages import (
    MessageConflictError,
    MessageTooLargeError,
    ServiceUnavailableError,
    TurnAbortedError,
)

__all__ = ["error_body", "install_error_handlers", "status_of"]

# Most specific first: the first class an exception is an instance of decides.
_STATUSES: tuple[tuple[type[ProcessDesignerError], int, str], ...] = (
    (MessageTooLargeError, 413, "too_large"),
    (MessageConflictError, 409, "conflict"),
    (TurnAbortedError, 409, "turn_aborted"),
    (ServiceUnavailableError, 503, "unavailable"),
    (NotFoundError, 404, "not_found"),
    (InputError, 400, "invalid"),
    (TemplateError, 422, "template_rejected"),
    (StorageFullError, 507, "storage_full"),
)


def status_of(exc: ProcessDesignerError) -> tuple[int, str]:
    """The HTTP status and error code for ``exc`` (500 ``internal`` for anything unexpected)."""
    for kind, status, code in _STATUSES:
        if isinstance(exc, kind):
            return status, code
    return 500, "internal"


def error_body(code: str, detail: str) -> dict[str, str]:
    return {"error": code, "detail": detail}


def _validation_detail(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) + "; see /docs for the request schema"


def install_error_handlers(app: FastAPI, max_body_bytes: int) -> None:
    """Answer every error as JSON and refuse bodies over ``max_body_bytes`` with 413."""

    async def product_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ProcessDesignerError)
        status, code = status_of(exc)
        return JSONResponse(error_body(code, str(exc)), status_code=status)

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return JSONResponse(error_body("invalid_request", _validation_detail(exc)), status_code=422)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        code = "not_found" if exc.status_code == 404 else "http_error"
        detail = exc.detail if exc.status_code != 404 else (
            f"no route {request.url.path}; see /docs for the API"
        )
        return JSONResponse(error_body(code, str(detail)), status_code=exc.status_code)

    app.add_exception_handler(ProcessDesignerError, product_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)

    app.add_middleware(_BodyLimit, max_bytes=max_body_bytes)


class _BodyLimit:
    """Refuse request bodies over ``max_bytes`` with 413, whether declared (``content-length``) or
    streamed in chunks: the body is read here as it arrives (at most ``max_bytes`` held), so a
    chunked upload is cut at the limit, then handed to the app whole."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    def _too_large(self, size: str) -> MessageTooLargeError:
        return MessageTooLargeError(f"the request body is {size} bytes, over the limit of {self.max_bytes}; "
                                    "send less or raise PD_MAX_MESSAGE_BYTES")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            response = JSONResponse(error_body("too_large", str(self._too_large(declared))), status_code=413)
            await response(scope, receive, send)
            return
        body = await self._read_body(receive)
        if body is None:
            response = JSONResponse(error_body("too_large", str(self._too_large(f"over {self.max_bytes}"))),
                                    status_code=413)
            await response(scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()  # after the body: the client's disconnect
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _read_body(self, receive: Receive) -> bytes | None:
        """The whole body, read chunk by chunk; ``None`` as soon as it passes the limit."""
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return b"".join(chunks)
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.max_bytes:
                return None
            chunks.append(chunk)
            if not message.get("more_body"):
                return b"".join(chunks)
